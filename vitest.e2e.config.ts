import { defineConfig } from "vitest/config";
import { alias } from "./vitest.alias";

export default defineConfig({
  resolve: { alias },
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.test.ts"],
    globalSetup: ["tests/e2e/setup/server.ts"],
    // One real server and one browser per file; files share the server but never their data.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
