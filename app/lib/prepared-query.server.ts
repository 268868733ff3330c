/**
 * A statement that drizzle builds once per database handle instead of on every call (ADR 051).
 * Building a select (its SQL text and parameter list, from the query's tree) was half of a
 * page's SQL cost in the profiles; the text of a fixed-shape query never changes, so it is
 * built once with placeholders (`sql.placeholder("id")`) and run with the values of each call.
 *
 * Kept per handle — the primary, the read replica, each open transaction — because a prepared
 * query runs on the handle it was built on: a query built on the primary must never run inside
 * a transaction, nor one of a transaction after it has ended. A handle that goes away (a closed
 * database, a finished transaction) takes its prepared queries with it.
 *
 * Placeholders bypass the column's encoder: pass what the driver stores (a timestamp's number,
 * a boolean's 0 or 1), or keep such values inline as constants, as the queries here do.
 */
export function preparedPerHandle<Handle extends object, Query>(prepare: (handle: Handle) => Query): (handle: Handle) => Query {
  const built = new WeakMap<Handle, Query>();
  return (handle) => {
    let query = built.get(handle);
    if (query === undefined) {
      query = prepare(handle);
      built.set(handle, query);
    }
    return query;
  };
}
