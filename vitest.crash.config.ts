import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The crash test of the collaborative minutes: a real server is killed (SIGKILL) while
 * scripted clients type, again and again. Run with `npx vitest run --config vitest.crash.config.ts`.
 */
export default defineConfig({
  resolve: {
    alias: {
      "~": fileURLToPath(new URL("./app", import.meta.url)),
      "#db": fileURLToPath(new URL("./db", import.meta.url)),
      "#tests": fileURLToPath(new URL("./tests", import.meta.url)),
    },
  },
  test: {
    name: "crash",
    include: ["tests/crash/**/*.test.ts"],
    environment: "node",
    pool: "forks",
    fileParallelism: false,
    testTimeout: 15 * 60_000,
    // beforeAll builds the app (remix build) and starts the server.
    hookTimeout: 5 * 60_000,
  },
});
