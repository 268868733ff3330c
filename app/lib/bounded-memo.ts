/**
 * `make()` once per key, kept in `cache` for the next call, up to 10,000 answers (then the cache
 * starts again, so a long-running server cannot grow it forever). For answers that never
 * change while the program runs: what an instant or a day is in a zone.
 */
export function remembered<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) {
    value = make();
    if (cache.size >= 10_000) cache.clear();
    cache.set(key, value);
  }
  return value;
}
