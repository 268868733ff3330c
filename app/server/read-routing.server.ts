import type { IncomingMessage, ServerResponse } from "node:http";
import { hasReplica, withReadRouting } from "~/lib/db.server";
import { env } from "~/lib/env.server";

/**
 * Read-your-writes with a read replica (ADR 030). Every request that may write (anything but
 * GET and HEAD) is answered with a short-lived `concord-fresh` cookie; while a browser holds
 * it, its page reads come from the primary, so the person who just wrote sees the write at
 * once even when the replica has not applied it yet. It lasts longer than the lag past which
 * the replica is bypassed, so once it is gone the replica has the write. A page that hears of
 * someone else's change (the agenda's live events) sets it too before reloading its data.
 *
 * The cookie only chooses which copy of the data is read; it carries no authority, so it is
 * readable by scripts (the live page sets it) and a forged one only costs the primary a read.
 */
export const FRESH_COOKIE = "concord-fresh";

export function freshSeconds(): number {
  return Math.ceil(env().DATABASE_REPLICA_MAX_LAG_MS / 1000) + 2;
}

export function routeReads(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  if (!hasReplica()) return next();
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.appendHeader("Set-Cookie", `${FRESH_COOKIE}=1; Max-Age=${freshSeconds()}; Path=/; SameSite=Lax`);
    return next();
  }
  const fresh = new RegExp(`(?:^|;\\s*)${FRESH_COOKIE}=1(?:;|$)`).test(req.headers.cookie ?? "");
  withReadRouting(fresh, next);
}
