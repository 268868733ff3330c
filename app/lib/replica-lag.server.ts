/**
 * How far the read replica is behind its primary (ADR 030). sqld answers every statement
 * with the replication index (the frame number of the write-ahead log) of the node that ran
 * it, so one `SELECT 1` to each gives the two positions. The index says how many frames
 * behind; to say how long, the primary's index is sampled once a second and the lag is the age
 * of the oldest sample the replica has not reached yet (an upper bound, to a second).
 */

export interface ReplicaLag {
  /** The replica answered the last check. */
  ok: boolean;
  primaryIndex: number | null;
  replicaIndex: number | null;
  /** Frames the replica still has to apply (0: caught up). */
  behind: number | null;
  /** How long the replica has been missing a change the primary had (0: caught up). */
  lagMs: number | null;
  checkedAt: number | null;
}

const POLL_MS = 1_000;
const TIMEOUT_MS = 2_000;
const KEEP_MS = 10 * 60_000;

/** The HTTP base of a libSQL URL (libsql:// and wss:// are https, ws:// is http). */
export function httpBase(url: string): string {
  return url.replace(/^libsql:\/\//, "https://").replace(/^wss:\/\//, "https://").replace(/^ws:\/\//, "http://").replace(/\/+$/, "");
}

/** The replication index of the node at `url`, from one read over its HTTP (Hrana v2) API. */
export async function replicationIndex(url: string, authToken?: string): Promise<number> {
  const response = await fetch(`${httpBase(url)}/v2/pipeline`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authToken ? { authorization: `Bearer ${authToken}` } : {}) },
    body: JSON.stringify({ requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }, { type: "close" }] }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`replication index: HTTP ${response.status}`);
  const body = (await response.json()) as { results?: Array<{ type: string; response?: { result?: { replication_index?: string | null } } }> };
  const first = body.results?.[0];
  if (first?.type !== "ok") throw new Error("replication index: the statement failed");
  return Number(first.response?.result?.replication_index ?? 0);
}

interface Monitor {
  state: ReplicaLag;
  timer: ReturnType<typeof setInterval>;
  samples: Array<{ at: number; index: number }>;
  replicaUrl: string;
  authToken?: string;
  /** A read of the replica's index on behalf of a request, shared by those that ask meanwhile. */
  asking?: Promise<void>;
}

const g = globalThis as typeof globalThis & { __concordReplicaMonitor?: Monitor };

const UNKNOWN: ReplicaLag = { ok: false, primaryIndex: null, replicaIndex: null, behind: null, lagMs: null, checkedAt: null };

/** Starts checking the replica once a second (idempotent). */
export function startReplicaMonitor({ primaryUrl, replicaUrl, authToken }: { primaryUrl: string; replicaUrl: string; authToken?: string }): void {
  if (g.__concordReplicaMonitor) return;
  const monitor: Monitor = { state: UNKNOWN, samples: [], timer: undefined as unknown as ReturnType<typeof setInterval>, replicaUrl, authToken };
  let running = false;
  const check = async () => {
    if (running) return;
    running = true;
    const at = Date.now();
    try {
      // The primary first: a replica at or past the primary's position then is caught up.
      const primaryIndex = await replicationIndex(primaryUrl, authToken);
      monitor.samples.push({ at, index: primaryIndex });
      const replicaIndex = await replicationIndex(replicaUrl, authToken);
      const oldestMissing = monitor.samples.find((s) => s.index > replicaIndex);
      monitor.samples = monitor.samples.filter((s) => s.at > Date.now() - KEEP_MS || s.index > replicaIndex);
      monitor.state = {
        ok: true,
        primaryIndex,
        replicaIndex,
        behind: Math.max(0, primaryIndex - replicaIndex),
        lagMs: oldestMissing ? Date.now() - oldestMissing.at : 0,
        checkedAt: Date.now(),
      };
    } catch (error) {
      if (monitor.state.ok) console.warn("read replica check failed", (error as Error)?.message ?? error);
      monitor.state = { ...monitor.state, ok: false, checkedAt: Date.now() };
    } finally {
      running = false;
    }
  };
  monitor.timer = setInterval(() => void check(), POLL_MS);
  monitor.timer.unref?.();
  g.__concordReplicaMonitor = monitor;
  void check();
}

export function stopReplicaMonitor(): void {
  const monitor = g.__concordReplicaMonitor;
  if (monitor) clearInterval(monitor.timer);
  g.__concordReplicaMonitor = undefined;
}

/**
 * Asks the replica for its index now, for a request whose read-your-writes mark the last check
 * had not reached; resolves with whether it has (the state records the newer index). A failure
 * leaves the state as it was: the request then reads the primary.
 */
export async function confirmReplicaReached(index: number): Promise<boolean> {
  const monitor = g.__concordReplicaMonitor;
  if (!monitor) return false;
  monitor.asking ??= replicationIndex(monitor.replicaUrl, monitor.authToken)
    .then((replicaIndex) => {
      const s = monitor.state;
      if (!s.ok || s.replicaIndex === null || replicaIndex <= s.replicaIndex) return;
      monitor.state = { ...s, replicaIndex, behind: s.primaryIndex === null ? s.behind : Math.max(0, s.primaryIndex - replicaIndex) };
    })
    .catch(() => undefined)
    .finally(() => (monitor.asking = undefined));
  await monitor.asking;
  return replicaReached(index);
}

/** The last check's result (unknown before the first). */
export function replicaLag(): ReplicaLag {
  return g.__concordReplicaMonitor?.state ?? UNKNOWN;
}

/** Whether reads may go to the replica now: it answered its last check within a few seconds and is less than `maxLagMs` behind. */
export function replicaUsable(maxLagMs: number, now = Date.now()): boolean {
  const s = replicaLag();
  return s.ok && s.lagMs !== null && s.lagMs <= maxLagMs && s.checkedAt !== null && now - s.checkedAt < 3 * POLL_MS + TIMEOUT_MS;
}

/**
 * Whether the replica has applied the primary's replication index `index` (read-your-writes,
 * ADR 030): by its last check, which must be recent. Its index only grows, so a read after
 * the check sees at least that much.
 */
export function replicaReached(index: number, now = Date.now()): boolean {
  const s = replicaLag();
  return s.ok && s.replicaIndex !== null && s.replicaIndex >= index && s.checkedAt !== null && now - s.checkedAt < 3 * POLL_MS + TIMEOUT_MS;
}
