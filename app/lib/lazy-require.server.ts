import { createRequire } from "node:module";

const requireHere = createRequire(import.meta.url);

/**
 * A CommonJS library loaded the first time it is used, for synchronous code that cannot await
 * `import()` (ADR 033's pattern for the rest; ADR 048). esbuild sees no import, so the library
 * stays outside the server bundle and a start-up neither compiles nor runs it; the first call
 * pays its load once (a few milliseconds to tens of them).
 */
export function lazyRequire<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(name) as T);
}
