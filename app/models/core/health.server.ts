import { dbClient, isEmbedded } from "~/lib/db.server";
import { busHealth } from "~/lib/events.server";

export interface Health {
  ok: boolean;
  database: { kind: "embedded" | "server"; ok: boolean; ms: number };
  bus: { kind: "redis" | "in-process"; ok: boolean };
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
  return {
    ok: database.ok && bus.ok,
    database: { kind: isEmbedded() ? "embedded" : "server", ms: Math.round(performance.now() - started), ...database },
    bus,
  };
}
