/**
 * `npm run bench`: measures and prints; asserts nothing. `npm run bench -- foundation`
 * runs one group.
 */
import { benchActions } from "./actions";
import { benchAgenda } from "./agenda";
import { benchCalendar } from "./calendar";
import { benchFoundation } from "./foundation";
import { benchMinutes } from "./minutes";
import { benchSearch } from "./search";

const groups: Record<string, () => Promise<void>> = {
  foundation: benchFoundation,
  calendar: benchCalendar,
  actions: benchActions,
  agenda: benchAgenda,
  minutes: benchMinutes,
  search: benchSearch,
};

const wanted = process.argv.slice(2);
for (const [name, run] of Object.entries(groups)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n${name}`);
  await run();
}
