import type { IncomingMessage, ServerResponse } from "node:http";
import { hasReplica, withReadRouting, type ReadRoute } from "~/lib/db.server";
import { env } from "~/lib/env.server";

/**
 * Read-your-writes with a read replica, by replication index (ADR 030). A request that writes
 * learns the primary's replication index after its commit and answers with a cookie
 * `concord-fresh=w<index>`; a later page read by that browser goes to the replica only once
 * the replica is known to have applied that index, and to the primary until then — however
 * long replication takes. Any other value of the cookie (the agenda's live page sets `1`
 * before it reloads on someone else's change, whose index it does not know; a write whose
 * index could not be read sets `p`) means "the primary" while it lasts.
 *
 * The cookie only chooses which copy of the data is read; it carries no authority, so it is
 * readable by scripts and a forged one only costs the primary a read.
 */
export const FRESH_COOKIE = "concord-fresh";

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

export function routeReads(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!hasReplica()) return next();
  const mark = readMark(req.headers.cookie);
  const reads = req.method === "GET" || req.method === "HEAD";
  const route: ReadRoute = reads ? mark : { fresh: true };
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
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse["writeHead"];
  withReadRouting(route, next);
}
