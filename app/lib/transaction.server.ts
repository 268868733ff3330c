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

const TRANSACTION_ATTEMPTS = 3;

/** Whether the database server ended the transaction itself (sqld's TRANSACTION_TIMEOUT), anywhere in the cause chain. */
function endedByServer(error: unknown): boolean {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if ((e as { code?: unknown }).code === "TRANSACTION_TIMEOUT") return true;
  }
  return false;
}

export async function withTransaction<T>(fn: (tx: Tx, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  if (inTransaction()) throw new Error("withTransaction was called inside another transaction: pass the transaction down instead");
  let effects: Array<() => unknown> = [];
  let result: T;
  for (let attempt = 1; ; attempt++) {
    effects = [];
    try {
      result = await db().transaction((tx) => fn(tx, (effect) => void effects.push(effect)));
      break;
    } catch (error) {
      // sqld rolls back a write transaction that has held the write lock past its timeout
      // (5 s) while others wait: nothing of it was written, so it runs again from the start.
      if (attempt >= TRANSACTION_ATTEMPTS || !endedByServer(error)) throw error;
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
