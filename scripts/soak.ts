import { spawnSync } from "node:child_process";

/**
 * The long repetitions of the live-minutes proof (issue 10), kept out of `npm test`:
 * - three delegations typing 20 lines each in three sections, 10 runs in a row;
 * - a delegate's first click into a page just opened while another delegation types, 40 loads;
 * - network cuts of 5 s and 5 minutes while typing (then the reload-while-cut check);
 * - the server killed (SIGKILL) while three browsers type, 10 times;
 * - three delegations pressing Ctrl+End, Enter and typing at once on a throttled CPU, 30 rounds
 *   (`tests/e2e/minutes-placement.test.ts`).
 * Each is an e2e file (by default `tests/e2e/minutes-live.test.ts`) with its SOAK_* knobs turned
 * up. Other soaks can be added to `runs` below. Usage: `npm run soak` (or `npm run soak -- sections`).
 */
const runs: Record<string, Record<string, string>> = {
  sections: { SOAK_SECTIONS: "10", SOAK_KILLS: "0", SOAK_FIRST_CLICKS: "0", SOAK_CUT_SECONDS: "30", FILTER: "three delegations" },
  clicks: { SOAK_SECTIONS: "0", SOAK_KILLS: "0", SOAK_FIRST_CLICKS: "40", FILTER: "first click" },
  cut: { SOAK_SECTIONS: "0", SOAK_KILLS: "0", SOAK_FIRST_CLICKS: "0", SOAK_CUT_SECONDS: "5,300", FILTER: "network drops" },
  kills: { SOAK_SECTIONS: "0", SOAK_KILLS: "10", SOAK_FIRST_CLICKS: "0", FILTER: "killed" },
  placement: { SOAK_PLACEMENT_ROUNDS: "30", FILE: "tests/e2e/minutes-placement.test.ts", FILTER: "three delegations" },
};

const wanted = process.argv.slice(2).filter((a) => a in runs);
let failed = false;
for (const name of wanted.length ? wanted : Object.keys(runs)) {
  const { FILTER, FILE = "tests/e2e/minutes-live.test.ts", ...env } = runs[name];
  console.log(`\n== soak: ${name} ==`);
  const result = spawnSync("npx", ["vitest", "run", "--config", "vitest.e2e.config.ts", FILE, "-t", FILTER], {
    stdio: "inherit",
    env: { ...process.env, ...env },
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
