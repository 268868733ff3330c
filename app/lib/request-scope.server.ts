import { AsyncLocalStorage } from "node:async_hooks";

/**
 * What one HTTP request has looked up already (its session, the profile, memberships), and
 * how many SQL statements it ran (ADR 032). Remix hands each loader a fresh `Request`, so a
 * cache keyed on the request never hits; the memo lives on the load context instead, which
 * server.ts creates per request, and is reached through an async-local scope so that models
 * need no extra argument. Outside a request (jobs, tests calling models) nothing is memoised.
 */
export interface RequestMemo {
  values: Map<string, Promise<unknown>>;
  queries: number;
}

const scope = new AsyncLocalStorage<RequestMemo>();

export function newRequestMemo(): RequestMemo {
  return { values: new Map(), queries: 0 };
}

/** Runs the request's handler with `memo` as the scope every model call inside it sees. */
export function runInRequestScope<T>(memo: RequestMemo, fn: () => T): T {
  return scope.run(memo, fn);
}

/**
 * `load()` once per request and key; later calls in the same request share its promise. A
 * failed load is forgotten, so a retry asks the database again.
 */
export function memoized<T>(key: string, load: () => Promise<T>): Promise<T> {
  // (`load` must return a promise, not a drizzle query: a query runs again on every `then`.)
  const memo = scope.getStore();
  if (!memo) return load();
  let pending = memo.values.get(key) as Promise<T> | undefined;
  if (!pending) {
    pending = load();
    memo.values.set(key, pending);
    const settled = pending;
    settled.catch(() => {
      if (memo.values.get(key) === settled) memo.values.delete(key);
    });
  }
  return pending;
}

/** Records what a lookup already read (the session's user row), for a later `recall`. */
export function remember<T>(key: string, value: T): void {
  scope.getStore()?.values.set(key, Promise.resolve(value));
}

/** What this request remembered under `key`, if anything (and nothing was written since). */
export function recall<T>(key: string): Promise<T> | undefined {
  return scope.getStore()?.values.get(key) as Promise<T> | undefined;
}

/**
 * Called for every statement (db.server.ts): counts it, and forgets everything memoised when
 * it may write, so the loaders that run after an action see what the action changed.
 */
export function noteStatement(sql: string): void {
  const memo = scope.getStore();
  if (!memo) return;
  memo.queries++;
  if (process.env.QUERY_LOG === "1") console.log(`[sql ${memo.queries}] ${sql.slice(0, 300)}`);
  else if (process.env.QUERY_LOG === "full") console.log(`[sql ${memo.queries}] ${sql.replace(/\s+/g, " ")}`);
  if (!/^\s*select\b/i.test(sql)) memo.values.clear();
}

/** Forgets what this request memoised (after a commit made outside drizzle's view). */
export function forgetRequestMemo(): void {
  scope.getStore()?.values.clear();
}
