/**
 * The read-your-writes mark a live page sets before it reloads on someone else's change (ADR
 * 030 addendum). The server's mark `concord-fresh=w<index>` sends a page read to the replica
 * only once the replica has applied that replication index; a notice carries the index of the
 * change it announces, so the reload reads the primary only until the replica has the change.
 *
 * Returns the cookie to set, or null to leave the present one alone: a higher index already
 * held (the reader's own write) stays, and so does a "primary for a while" mark (`p`: the
 * reader's write whose index is unknown). A notice without an index (its index could not be
 * read) falls back to reading the primary for a while.
 */
export const FRESH_COOKIE = "concord-fresh";
/** As long as the server's index mark (read-routing.server.ts). */
const INDEX_MARK_SECONDS = 15 * 60;
const PRIMARY_MARK_SECONDS = 10;

export function markAfterNotice(cookieHeader: string, index: number | undefined): string | null {
  const current = new RegExp(`(?:^|;\\s*)${FRESH_COOKIE}=([^;]*)`).exec(cookieHeader)?.[1]?.trim();
  const held = current ? /^w(\d+)$/.exec(current) : null;
  if (typeof index !== "number" || !Number.isSafeInteger(index) || index < 0) {
    return `${FRESH_COOKIE}=1; Max-Age=${PRIMARY_MARK_SECONDS}; Path=/; SameSite=Lax`;
  }
  if (current && !held) return null;
  if (held && Number(held[1]) >= index) return null;
  return `${FRESH_COOKIE}=w${index}; Max-Age=${INDEX_MARK_SECONDS}; Path=/; SameSite=Lax`;
}
