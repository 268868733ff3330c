import { AsyncLocalStorage } from "node:async_hooks";

/**
 * One writer at a time per key (a live document's name). The collaboration server's hooks
 * (compaction, numbering decisions) and the request path (circulate, adopt, restore…) both
 * write a document's rows; run one after the other, two transactions of this process never
 * fight over SQLite's write lock, and a verb sees the document as the last store left it.
 *
 * Re-entrant: work that already holds the key (a verb reading the live document, which makes
 * Hocuspocus store it) runs at once instead of waiting for itself.
 */
const tails = new Map<string, Promise<unknown>>();
const held = new AsyncLocalStorage<Map<string, { active: boolean }>>();

export async function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const mine = held.getStore();
  if (mine?.get(key)?.active) return fn();
  const previous = tails.get(key) ?? Promise.resolve();
  const token = { active: false };
  const run = previous.then(() => {
      token.active = true;
      const holding = new Map(mine ?? []);
      holding.set(key, token);
      return held.run(holding, fn);
  });
  // The next caller waits for this one to finish, whether it succeeded or not.
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  try {
    return await run;
  } finally {
    // A timer started inside `fn` inherits the async context; it must not think it holds the key.
    token.active = false;
    if (tails.get(key) === tail) tails.delete(key);
  }
}
