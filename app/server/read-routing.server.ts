import type { IncomingMessage, ServerResponse } from "node:http";
import { hasReplica, withReadRouting, type ReadRoute } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { confirmReplicaReached, replicaReached, replicaUsable } from "~/lib/replica-lag.server";

/**
 * Read-your-writes with a read replica, by replication index (ADR 030). A request that writes
 * learns the primary's replication index after its commit and answers with a cookie
 * `concord-fresh=w<index>`; a later page read by that browser goes to the replica only once
 * the replica is known to have applied that index, and to the primary until then — however
 * long replication takes. A live page that hears of someone else's change sets the same mark
 * from the index the notice carries (app/lib/fresh-mark.ts) before it reloads. Any other value
 * of the cookie (`1`, set by a live page on a notice without an index; `p`, by a write whose
 * index could not be read) means "the primary" while it lasts.
 *
 * The cookie only chooses which copy of the data is read; it carries no authority, so it is
 * readable by scripts and a forged one only costs the primary a read.
 */
import { FRESH_COOKIE } from "~/lib/fresh-mark";
export { FRESH_COOKIE };

/** How long a "primary" mark lasts: past the lag at which the replica is bypassed anyway. */
export function freshSeconds(): number {
  return Math.ceil(env().DATABASE_REPLICA_MAX_LAG_MS / 1000) + 2;
}

/**
 * How long an index mark lasts. Once the replica has the index the mark changes nothing, so it
 * can outlive any lag; it expires so that a browser does not carry it for ever.
 */
export function indexMarkSeconds(): number {
  return Math.max(15 * 60, freshSeconds());
}

/** What a request's cookie asks of its reads. */
export function readMark(cookieHeader: string | undefined): Pick<ReadRoute, "fresh" | "after"> {
  const match = new RegExp(`(?:^|;\\s*)${FRESH_COOKIE}=([^;]*)`).exec(cookieHeader ?? "");
  if (!match) return { fresh: false };
  const index = /^w(\d+)$/.exec(match[1]!.trim());
  return index ? { fresh: false, after: Number(index[1]) } : { fresh: true };
}

// Diagnostics (docs/scale-out.md): X-Reads-From names the nodes a request's page reads went to.
const readsHeader = process.env.READS_FROM_HEADER === "1";

export function routeReads(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!hasReplica()) return next();
  const mark = readMark(req.headers.cookie);
  const reads = req.method === "GET" || req.method === "HEAD";
  const route: ReadRoute = reads ? mark : { fresh: true };
  if (readsHeader) route.readFrom = new Set();
  // The cookie goes on the response's headers just before they are sent, once the request's
  // writes have committed and their index is known.
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (route.written !== undefined && !res.headersSent) {
      const value =
        route.written === "unknown"
          ? `${FRESH_COOKIE}=p; Max-Age=${freshSeconds()}`
          : `${FRESH_COOKIE}=w${Math.max(route.written, mark.after ?? 0)}; Max-Age=${indexMarkSeconds()}`;
      res.appendHeader("Set-Cookie", `${value}; Path=/; SameSite=Lax`);
    }
    if (route.readFrom?.size && !res.headersSent) res.setHeader("X-Reads-From", [...route.readFrom].sort().join(", "));
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  // The lag monitor learns the replica's index once a second. A reader whose mark it has not
  // seen reached asks the replica now (one shared `SELECT 1`), so the read goes to the replica
  // as soon as it has the change, not up to a second later.
  const after = route.after;
  if (reads && after !== undefined && !replicaReached(after) && replicaUsable(env().DATABASE_REPLICA_MAX_LAG_MS)) {
    void confirmReplicaReached(after).finally(() => withReadRouting(route, next));
    return;
  }
  withReadRouting(route, next);
}
