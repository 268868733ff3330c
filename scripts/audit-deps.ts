/**
 * `npm run audit:deps`: known advisories of the packages Concord ships (production
 * dependencies, the whole tree). Kept out of `npm test` so that an advisory published
 * tomorrow does not turn unrelated work red; run it in CI on a schedule and before a release.
 *
 * It asks the registry first (`npm audit --omit=dev`). Where the registry refuses the bulk
 * advisory endpoint (as the one this project is built against does: 405), it says so and
 * checks the installed tree against security/advisories.json instead. Exit code 1 when
 * something shipped is affected.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

interface Advisory {
  id: string;
  cve?: string;
  package: string;
  severity: string;
  fixed: string;
}

const audit = spawnSync("npm", ["audit", "--omit=dev", "--json"], { encoding: "utf8" });
const report = (() => {
  try {
    return JSON.parse(audit.stdout) as { vulnerabilities?: Record<string, { severity: string; via: unknown[] }>; message?: string; error?: { summary?: string } };
  } catch {
    return null;
  }
})();

if (report?.vulnerabilities) {
  const found = Object.entries(report.vulnerabilities);
  for (const [name, v] of found) console.log(`${v.severity.padEnd(8)} ${name}`);
  console.log(found.length ? `${found.length} shipped package(s) with known advisories (registry).` : "No known advisories in shipped packages (registry).");
  process.exit(found.length ? 1 : 0);
}

const why = report?.message ?? report?.error?.summary ?? (audit.stderr.split("\n").find((l) => l.includes("audit")) || "no answer");
console.log(`The registry refused the bulk advisory endpoint (${why.trim()}).`);
console.log("Checking the installed production tree against security/advisories.json instead.\n");

/** Every installed version of each production package (npm ls, whole tree). */
function installed(): Map<string, Set<string>> {
  // npm ls exits non-zero over unrelated peer-dependency remarks; its JSON is complete all the same.
  const out = spawnSync("npm", ["ls", "--omit=dev", "--all", "--json"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }).stdout;
  const versions = new Map<string, Set<string>>();
  const walk = (deps: Record<string, { version?: string; dependencies?: Record<string, unknown> }> | undefined) => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (node.version) (versions.get(name) ?? versions.set(name, new Set()).get(name)!).add(node.version);
      walk(node.dependencies as never);
    }
  };
  walk((JSON.parse(out) as { dependencies?: never }).dependencies);
  return versions;
}

const below = (version: string, fixed: string) => {
  const a = version.split(/[.-]/).map(Number);
  const b = fixed.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};

const { advisories } = JSON.parse(readFileSync(new URL("../security/advisories.json", import.meta.url), "utf8")) as { advisories: Advisory[] };
const tree = installed();
let affected = 0;
for (const a of advisories) {
  const versions = [...(tree.get(a.package) ?? [])];
  const bad = versions.filter((v) => below(v, a.fixed));
  const status = versions.length === 0 ? "not shipped" : bad.length ? `AFFECTED (${bad.join(", ")} < ${a.fixed})` : `fixed (${versions.join(", ")})`;
  if (bad.length) affected += 1;
  console.log(`${a.severity.padEnd(8)} ${a.id} ${a.cve ?? ""} ${a.package}: ${status}`);
}
console.log(`\n${tree.size} production packages checked against ${advisories.length} known advisories: ${affected} affected.`);
process.exit(affected ? 1 : 0);
