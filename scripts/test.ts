/**
 * `npm test`: every suite in turn, each streamed as it runs, then one summary line per
 * suite. Exits non-zero if any suite failed. `npm test -- unit e2e` runs only those.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { ensureRequirements } from "./test-requirements";

interface Suite {
  name: string;
  command: string[];
  /** vitest's JSON report, for the counts. */
  report?: string;
}

const out = "tmp/test-results";
mkdirSync(out, { recursive: true });

const vitest = (name: string, args: string[]): Suite => ({
  name,
  report: `${out}/${name}.json`,
  command: ["npx", "vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${out}/${name}.json`],
});

const suites: Suite[] = [
  { name: "typecheck", command: ["npx", "tsc", "--noEmit"] },
  // Layers point one way and nothing imports in a circle (.dependency-cruiser.cjs).
  { name: "imports", command: ["npm", "run", "--silent", "check:imports"] },
  vitest("unit", ["--project", "unit"]),
  vitest("integration", ["--project", "integration"]),
  vitest("e2e", ["--config", "vitest.e2e.config.ts"]),
  vitest("crash", ["--config", "vitest.crash.config.ts"]),
];

const wanted = process.argv.slice(2);
const selected = wanted.length ? suites.filter((s) => wanted.includes(s.name)) : suites;

const ready = ensureRequirements(selected.map((s) => s.name));
if (!ready.ok) {
  console.error(ready.message);
  process.exit(1);
}

/** The suites that start the built server. */
const BUILT_FOR = new Set(["e2e", "crash"]);

function run(command: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command[0], command.slice(1), { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const lines: string[] = [];
let failed = false;
const startedAll = performance.now();

// The app is built once for every suite that runs the built server (e2e, crash), not once by
// each of them (tests/support/server.ts's buildApp skips when told it is done).
if (selected.some((s) => BUILT_FOR.has(s.name))) {
  console.log("\n━━━ build ━━━");
  const started = performance.now();
  const code = await run(["npm", "run", "build"], { NODE_ENV: "production" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  lines.push(`${"build".padEnd(12)} ${code === 0 ? "PASS" : "FAIL"}  (${seconds}s)`);
  if (code === 0) process.env.CONCORD_TEST_BUILT = "1";
  failed ||= code !== 0;
}

for (const suite of selected) {
  if (suite.report) rmSync(suite.report, { force: true });
  console.log(`\n━━━ ${suite.name} ━━━`);
  const started = performance.now();
  const code = await run(suite.command);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  let counts = "";
  if (suite.report) {
    try {
      const report = JSON.parse(readFileSync(suite.report, "utf8"));
      counts = `${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped`;
    } catch {
      counts = "no report";
    }
  }
  failed ||= code !== 0;
  lines.push(`${suite.name.padEnd(12)} ${code === 0 ? "PASS" : "FAIL"}  ${counts ? `${counts}  ` : ""}(${seconds}s)`);
}

console.log("\n━━━ summary ━━━");
for (const line of lines) console.log(line);
console.log(`${"total".padEnd(12)} ${failed ? "FAIL" : "PASS"}  (${((performance.now() - startedAll) / 1000).toFixed(1)}s)`);
process.exit(failed ? 1 : 0);
