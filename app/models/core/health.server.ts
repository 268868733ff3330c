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

/**
 * What /healthz reports: whether the database answers (the embedded file or the libSQL
 * server, and how long it took) and whether the live bus (Redis, when configured) answers.
 * A load balancer takes an instance out of rotation while either is down.
 */
export async function checkHealth(): Promise<Health> {
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
