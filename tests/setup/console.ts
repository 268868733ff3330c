import { afterEach, beforeEach, vi } from "vitest";

/**
 * An unexpected console.error fails the test: errors the app logs are bugs unless the test
 * says it expects one with `expectConsoleError()`.
 */
let allowed = 0;
let seen: unknown[][] = [];

export function expectConsoleError(count = 1) {
  allowed += count;
}

beforeEach(() => {
  allowed = 0;
  seen = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
    seen.push(args);
  });
});

afterEach(() => {
  vi.mocked(console.error).mockRestore();
  if (seen.length > allowed) {
    const first = seen[allowed].map((a) => (a instanceof Error ? a.stack : String(a))).join(" ");
    throw new Error(`console.error was called ${seen.length} time(s), ${allowed} expected. First unexpected: ${first}`);
  }
});
