import { defineConfig } from "vitest/config";
import { alias } from "./vitest.alias";

export default defineConfig({
  resolve: { alias },
  esbuild: { jsx: "automatic" },
  test: {
    // Every core: vitest's default leaves one free (one worker on this 2-core machine), and each
    // file has its own database (tests/setup/database.ts), so files run side by side.
    maxWorkers: "100%",
    projects: [
      {
        resolve: { alias },
        esbuild: { jsx: "automatic" },
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.{ts,tsx}"],
          environment: "node",
          setupFiles: ["tests/setup/console.ts"],
          // Renderers (pdfkit, pdf.js, happy-dom) are loaded on first use (ADR 033), so the
          // first test that renders pays the module load: room for that on a loaded machine.
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        esbuild: { jsx: "automatic" },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.{ts,tsx}"],
          environment: "node",
          pool: "forks",
          setupFiles: ["tests/setup/console.ts", "tests/setup/database.ts"],
          // Against sqld every statement is a round trip over HTTP: more room on a loaded machine.
          testTimeout: process.env.TEST_DATABASE === "sqld" ? 60_000 : 20_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
