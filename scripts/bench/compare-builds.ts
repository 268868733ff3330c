/**
 * Two builds of Concord and the bench's anchor on one page, interleaved (ADR 051): each build's
 * server CPU per request (utime + stime from /proc/<pid>/stat over its rounds) and req/s at
 * concurrency 10, and each build's ratio to the anchor measured in the same rounds. On a shared
 * machine the CPU per request is the figure to compare; one bench run moves by more than most
 * changes (docs/performance.md).
 *
 *   npx tsx scripts/bench/compare-builds.ts <old tree> <new tree> [rounds] [path]
 *
 * A tree is a directory holding a build as `npm run build` leaves it: `build/`, `public/`,
 * `db/migrations/` and `package.json`, with `node_modules` beside them (a symbolic link to the
 * worktree's will do). `path` is a page of the demo, signed in as jp.delegate; `MEETING` in it
 * stands for the demo's next scheduled meeting (default `/meetings/MEETING`).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { freePort, startServer } from "../../tests/support/server";
import { concordManifest, fixtureOf, load, underLoad } from "./anchors";
import { signInCookie } from "./support";

const BARE = fileURLToPath(new URL("./bare/server.mjs", import.meta.url));

const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function listening(child: ChildProcess): Promise<void> {
  await new Promise<void>((done, fail) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (/listening on/.test(out)) done();
    });
    child.once("exit", (code) => fail(new Error(`exited with ${code}`)));
  });
}

async function startTree(tree: string, databaseFile: string) {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: tree,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), PUBLIC_URL: url, DATABASE_URL: `file:${databaseFile}`, SEED_DEMO: "0", LOG_LEVEL: "error" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await listening(child);
  return { url, child, cookie: await signInCookie(url, "jp.delegate@concord.test") };
}

const [oldTree, newTree, roundsArg = "6", pathArg = "/meetings/MEETING"] = process.argv.slice(2);
if (!oldTree || !newTree) throw new Error("usage: compare-builds.ts <old tree> <new tree> [rounds] [path]");
const dir = mkdtempSync(join(tmpdir(), "concord-compare-"));

// The demo, seeded once by the worktree's build, copied for each tree.
const seed = await startServer();
const demoFile = seed.databaseFile;
await seed.stop();
const client = createClient({ url: `file:${demoFile}` });
const meetingId = String((await client.execute("select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' order by m.starts_at limit 1")).rows[0].id);
client.close();
const path = pathArg.replace("MEETING", meetingId);

const trees = [resolve(oldTree), resolve(newTree)];
const servers = [];
for (const [i, tree] of trees.entries()) {
  const file = join(dir, `tree-${i}.db`);
  copyFileSync(demoFile, file);
  servers.push(await startTree(tree, file));
}

// The anchor renders what the new build sent (ADR 046).
const first = await fetch(`${servers[1].url}${path}`, { headers: { cookie: servers[1].cookie } });
const fixtures = join(dir, "fixtures.json");
writeFileSync(fixtures, JSON.stringify({ pages: { page: fixtureOf(path, await first.text(), first.headers) }, manifest: concordManifest(trees[1]) }));
const barePort = await freePort();
const bare = spawn(process.execPath, [BARE], { env: { ...process.env, NODE_ENV: "production", FIXTURES: fixtures, PORT: String(barePort) }, stdio: ["ignore", "pipe", "inherit"] });
await listening(bare);

const sides = [
  { name: "old", url: `${servers[0].url}${path}`, cookie: servers[0].cookie, pid: servers[0].child.pid! },
  { name: "anchor", url: `http://localhost:${barePort}${path}`, cookie: "", pid: bare.pid! },
  { name: "new", url: `${servers[1].url}${path}`, cookie: servers[1].cookie, pid: servers[1].child.pid! },
];
const sum = sides.map(() => ({ requests: 0, seconds: 0, cpu: 0 }));
for (const side of sides) await underLoad(side.url, side.cookie, { ms: 600 });
// Old, anchor, new, anchor — then the other way round, so a change of load falls on both builds.
const orders = [[0, 1, 2, 1], [2, 1, 0, 1]];
for (let round = 0; round < Number(roundsArg); round++) {
  for (const i of orders[round % 2]) {
    const before = cpuMs(sides[i].pid);
    const r = await underLoad(sides[i].url, sides[i].cookie, { ms: 2500 });
    sum[i].requests += r.requests;
    sum[i].seconds += r.seconds;
    sum[i].cpu += cpuMs(sides[i].pid) - before;
  }
}
const rps = (i: number) => sum[i].requests / sum[i].seconds;
const cpu = (i: number) => sum[i].cpu / sum[i].requests;
for (const i of [0, 2]) {
  console.log(`${sides[i].name} build ${pathArg}: ${cpu(i).toFixed(2)} ms CPU per request, ${rps(i).toFixed(1)} req/s at concurrency 10, ${(rps(i) / rps(1)).toFixed(2)}× the anchor`);
}
console.log(`anchor: ${cpu(1).toFixed(2)} ms CPU per request, ${rps(1).toFixed(1)} req/s | new/old CPU per request ${(cpu(2) / cpu(0)).toFixed(3)} | load ${load()}`);

for (const child of [servers[0].child, servers[1].child, bare]) child.kill("SIGTERM");
rmSync(dir, { recursive: true, force: true });
rmSync(seed.dir, { recursive: true, force: true });
