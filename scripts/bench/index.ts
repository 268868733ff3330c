/**
 * `npm run bench`: measures and prints; asserts nothing. `npm run bench -- foundation`
 * runs one group. Each group runs in a process of its own: groups point the app's database
 * module at their own files, and its connection and settings are per process.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { benchActions } from "./actions";
import { benchAgenda } from "./agenda";
import { benchBundles } from "./bundles";
import { benchCalendar } from "./calendar";
import { benchCluster } from "./cluster";
import { benchDriverGroup } from "./driver";
import { benchFoundation } from "./foundation";
import { benchMinutes } from "./minutes";
import { benchPages } from "./pages";
import { benchPapers } from "./papers";
import { benchOutcomes } from "./outcomes";
import { benchSearch } from "./search";
import { benchSearchScale } from "./search-scale";
import { benchStartup } from "./startup";

const groups: Record<string, () => Promise<void>> = {
  foundation: benchFoundation,
  pages: benchPages,
  driver: benchDriverGroup,
  calendar: benchCalendar,
  actions: benchActions,
  agenda: benchAgenda,
  minutes: benchMinutes,
  outcomes: benchOutcomes,
  search: benchSearch,
  // The 100,000-paragraph half of `search` on its own (ADR 035).
  "search-scale": benchSearchScale,
  papers: benchPapers,
  cluster: benchCluster,
  bundles: benchBundles,
  startup: benchStartup,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in groups));
if (unknown.length) throw new Error(`unknown bench group(s): ${unknown.join(", ")}; known: ${Object.keys(groups).join(", ")}`);
const selected = Object.keys(groups).filter((name) => !wanted.length || wanted.includes(name));

if (selected.length === 1) {
  console.log(`\n${selected[0]}`);
  await groups[selected[0]]();
} else {
  let failed = false;
  for (const name of selected) {
    const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), name], { stdio: "inherit" });
    failed ||= child.status !== 0;
  }
  process.exit(failed ? 1 : 0);
}
