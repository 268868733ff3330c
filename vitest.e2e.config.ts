import { defineConfig } from "vitest/config";
import { alias } from "./vitest.alias";

export default defineConfig({
  resolve: { alias },
  test: {
    name: "e2e",
    include: ["tests/e2e/**/*.test.ts"],
    // The live-minutes fault tests (network cut, SIGKILL while browsers type) are not green yet
    // (issue 10 is open): they run with `npm run test:live-faults` and in `npm run soak`, not in
    // `npm test`, until they pass reliably.
    exclude: process.env.LIVE_FAULTS ? [] : ["tests/e2e/minutes-live.test.ts"],
    globalSetup: ["tests/e2e/setup/server.ts"],
    // One real server and one browser per file; files share the server but never their data.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
