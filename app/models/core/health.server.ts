import { dbClient, hasReplica, isEmbedded } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { busHealth } from "~/lib/events.server";
import { replicaLag, replicaUsable } from "~/lib/replica-lag.server";

export interface Health {
  ok: boolean;
  database: { kind: "embedded" | "server"; ok: boolean; ms: number };
  bus: { kind: "redis" | "in-process"; ok: boolean };
  /**
   * The read replica, when there is one: its replication index against the primary's, how
   * long it has been behind, and whether reads go to it (`reads: "replica"`) or, because it
   * is down or too far behind, to the primary. A replica problem is reported, not fatal: the
   * instance still serves everything from the primary.
   */
  replica?: { ok: boolean; reads: "replica" | "primary"; primaryIndex: number | null; replicaIndex: number | null; behind: number | null; lagMs: number | null; maxLagMs: number };
}

const DATABASE_TIMEOUT_MS = 2_000;

let inFlight: Promise<Health> | undefined;

/**
 * What /healthz reports: whether the database answers (the embedded file or the libSQL
 * server, and how long it took) and whether the live bus (Redis, when configured) answers.
 * A load balancer takes an instance out of rotation while either is down.
 *
 * Checks asked for while one is under way share it (ADR 051): however many proxies and
 * monitors ask at once, one `SELECT 1` and one PING are in flight. Nothing is kept once the
 * check has answered: every answer comes from a probe that ended after it was asked for, so
 * a database or Redis that has just gone down shows on the next request.
 */
export function checkHealth(): Promise<Health> {
  if (!inFlight) {
    const check = probe();
    inFlight = check;
    const done = () => {
      if (inFlight === check) inFlight = undefined;
    };
    // Handled here only to forget the check; its callers receive its failure, if any.
    check.then(done, done);
  }
  return inFlight;
}

/** /healthz's answer: 200 while the database and the live bus answer, 503 otherwise; the body says which part failed. */
export async function healthAnswer(): Promise<{ status: 200 | 503; headers: Record<string, string>; body: Record<string, unknown> }> {
  const health = await checkHealth();
  return {
    status: health.ok ? 200 : 503,
    headers: { "Cache-Control": "no-store", ...(health.ok ? {} : { "Retry-After": "5" }) },
    body: { status: health.ok ? "ok" : "unavailable", database: health.database, bus: health.bus, ...(health.replica ? { replica: health.replica } : {}) },
  };
}

async function probe(): Promise<Health> {
  const started = performance.now();
  const database = await Promise.race([
    dbClient()
      .execute("SELECT 1")
      .then(
        () => ({ ok: true as const }),
        (error: unknown) => {
          // Logged here, never shown: the answer of an unauthenticated endpoint names no internals.
          console.warn("health check: the database did not answer", (error as Error)?.message ?? error);
          return { ok: false as const };
        },
      ),
    new Promise<{ ok: false }>((r) => setTimeout(() => r({ ok: false }), DATABASE_TIMEOUT_MS).unref()),
  ]);
  const bus = await busHealth();
  const maxLagMs = env().DATABASE_REPLICA_MAX_LAG_MS;
  const lag = hasReplica() ? replicaLag() : undefined;
  return {
    ok: database.ok && bus.ok,
    database: { kind: isEmbedded() ? "embedded" : "server", ms: Math.round(performance.now() - started), ...database },
    bus,
    ...(lag
      ? {
          replica: {
            ok: lag.ok,
            reads: replicaUsable(maxLagMs) ? ("replica" as const) : ("primary" as const),
            primaryIndex: lag.primaryIndex,
            replicaIndex: lag.replicaIndex,
            behind: lag.behind,
            lagMs: lag.lagMs,
            maxLagMs,
          },
        }
      : {}),
  };
}
