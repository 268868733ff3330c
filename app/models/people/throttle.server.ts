import { and, asc, count, desc, eq, gt, inArray, lt, max } from "drizzle-orm";
import { signInFailures } from "#db/schema";
import { db, type Tx } from "~/lib/db.server";
import { RateLimitError } from "~/lib/errors";
import { withTransaction } from "~/lib/transaction.server";

/**
 * Guess throttling that holds under concurrency (ADR 010). An attempt is first *reserved*: in
 * one write transaction (BEGIN IMMEDIATE, so attempts are serialised here and across processes
 * sharing the database) the recent failures are counted and, if the attempt may go ahead, a
 * failure row is written for each key before the password or code is even looked at. The slow
 * check (argon2, TOTP) then runs outside the transaction; only a success removes the rows again.
 * So N parallel wrong guesses count N, and the limit is reached after exactly `limit` of them.
 */

const MINUTE = 60_000;

export const THROTTLE = {
  windowMs: 15 * MINUTE,
  /** Failures for one account from one address: then that address is locked out of that account. */
  perAccountAndAddress: 5,
  /** Failures from one address across accounts: then that address is locked out. */
  perAddress: 20,
  /** Failures for one account from anywhere, past which attempts from unknown browsers are slowed. */
  perAccountBeforeDelay: 10,
  /** The longest wait the per-account delay imposes (it doubles from one second). */
  maxDelayMs: MINUTE,
  /** Wrong second-factor codes per pending sign-in (and per person) before the sign-in must start again. */
  perSecondFactor: 5,
} as const;

export type ThrottleRule =
  /** Refused once `limit` failures are recorded within the window. */
  | { key: string; kind: "lock"; limit: number }
  /** Past `after` failures, each attempt must wait 2^(n-after) s (capped) after the latest one. */
  | { key: string; kind: "delay"; after: number };

export interface Reservation {
  /** The attempt succeeded: forget its provisional failure rows (and, for `clear`, earlier ones). */
  succeeded(clear?: string[]): Promise<void>;
}

async function check(tx: Tx, rule: ThrottleRule, now: Date) {
  const since = new Date(now.getTime() - THROTTLE.windowMs);
  const where = and(eq(signInFailures.key, rule.key), gt(signInFailures.at, since));
  const [row] = await tx.select({ n: count(), latest: max(signInFailures.at) }).from(signInFailures).where(where);
  const n = Number(row?.n ?? 0);
  if (rule.kind === "lock") {
    if (n < rule.limit) return;
    const [first] = await tx.select({ at: signInFailures.at }).from(signInFailures).where(where).orderBy(asc(signInFailures.at)).limit(1);
    // The oldest failure leaving the window lets one more attempt through.
    const until = (first?.at.getTime() ?? now.getTime()) + THROTTLE.windowMs;
    throw new RateLimitError(Math.max(1, Math.ceil((until - now.getTime()) / 1000)));
  }
  if (n < rule.after) return;
  const delay = Math.min(THROTTLE.maxDelayMs, 1000 * 2 ** (n - rule.after));
  const latest = row?.latest ? new Date(row.latest).getTime() : 0;
  if (now.getTime() < latest + delay) throw new RateLimitError(Math.max(1, Math.ceil((latest + delay - now.getTime()) / 1000)));
}

/** Counts and records in one transaction; throws RateLimitError (429) when a rule says no. */
export async function reserveAttempt(rules: ThrottleRule[], now = new Date()): Promise<Reservation> {
  const ids = await withTransaction(async (tx) => {
    for (const rule of rules) await check(tx, rule, now);
    const rows = await tx
      .insert(signInFailures)
      .values(rules.map((r) => ({ key: r.key, at: now })))
      .returning({ id: signInFailures.id });
    return rows.map((r) => r.id);
  });
  return {
    async succeeded(clear = []) {
      await withTransaction(async (tx) => {
        await tx.delete(signInFailures).where(inArray(signInFailures.id, ids));
        if (clear.length) await tx.delete(signInFailures).where(inArray(signInFailures.key, clear));
      });
    },
  };
}

/** Failures recorded for a key within the window (for tests and the settings page). */
export async function recentFailureCount(key: string, now = new Date()): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(signInFailures)
    .where(and(eq(signInFailures.key, key), gt(signInFailures.at, new Date(now.getTime() - THROTTLE.windowMs))))
    .orderBy(desc(signInFailures.at));
  return Number(row?.n ?? 0);
}

export async function purgeOldSignInFailures(now = new Date()): Promise<void> {
  await db().delete(signInFailures).where(lt(signInFailures.at, new Date(now.getTime() - THROTTLE.windowMs)));
}
