import { defineConfig } from "vitest/config";
import { alias } from "./vitest.alias";

/**
 * The crash test of the collaborative minutes: a real server is killed (SIGKILL) while
 * scripted clients type, again and again. Run with `npx vitest run --config vitest.crash.config.ts`.
 */
export default defineConfig({
  resolve: { alias },
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
