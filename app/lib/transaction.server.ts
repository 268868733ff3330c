import { serverRefusal } from "./database-errors";
import { db, inTransaction, type Tx } from "./db.server";
import { forgetRequestMemo } from "./request-scope.server";

/**
 * One verb, one transaction. `withTransaction` runs the checks, writes and audit entry of a
 * verb in one write transaction and hands it an `afterCommit` list: live events, mail
 * delivery, document side effects and other work that must neither run under the write
 * lock nor happen for a change that was rolled back. They run, in order, once the commit
 * has succeeded; when the transaction fails they never run.
 */
export type AfterCommit = (effect: () => unknown) => void;

/** A transaction the server timed out or expired runs at most this many times in all. */
const TRANSACTION_ATTEMPTS = 3;
/** A transaction refused the write lock (SQLITE_BUSY) is tried again for this long, like the embedded driver's busy-retry. */
const BUSY_WAIT_MS = 10_000;
const BUSY_ATTEMPTS = 20;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function withTransaction<T>(fn: (tx: Tx, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  if (inTransaction()) throw new Error("withTransaction was called inside another transaction: pass the transaction down instead");
  let effects: Array<() => unknown> = [];
  let result: T;
  const started = Date.now();
  for (let attempt = 1, ended = 0, busy = 0; ; attempt++) {
    effects = [];
    try {
      result = await db().transaction((tx) => fn(tx, (effect) => void effects.push(effect)));
      break;
    } catch (error) {
      // sqld ended the transaction (timed out, its stream expired) or refused it the write
      // lock: nothing of it was written (database-errors.ts), so it runs again from the start.
      // Past the limits the error stands, and the request answers 503 with Retry-After.
      const refusal = serverRefusal(error);
      if (!refusal) throw error;
      if (refusal === "busy") {
        // sqld itself may have waited long for the lock before refusing it (tens of seconds
        // behind a queue of writers): such a refusal still gets one more attempt.
        if (++busy >= BUSY_ATTEMPTS || (busy > 1 && Date.now() - started > BUSY_WAIT_MS)) throw error;
        await sleep(50 + Math.random() * 150);
      } else if (++ended >= TRANSACTION_ATTEMPTS) throw error;
      console.warn(`transaction attempt ${attempt} ended by the database server (${refusal}); running it again`);
      forgetRequestMemo();
    }
  }
  // What this request looked up before the change (its session, profile, memberships) may be stale.
  forgetRequestMemo();
  // Outside the transaction's async context: an effect may start its own transaction.
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      // The change is committed; a side effect that fails is reported, never undone.
      console.warn("a step after commit failed", error);
    }
  }
  return result;
}

export { inTransaction };

/** Heavy work (rendering a PDF, network I/O) refuses to run while a transaction holds the write lock. */
export function assertNoTransaction(what: string): void {
  if (inTransaction()) throw new Error(`${what} must not run inside a database transaction`);
}
