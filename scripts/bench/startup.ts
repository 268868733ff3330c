import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildApp, removeServerFiles, startServer } from "../../tests/support/server";
import { load, row, rssMb, startBare } from "./anchors";
import { ms } from "./support";

/**
 * `npm run bench -- startup` (ADR 043): start to a healthy /healthz on an existing database
 * (a copy of the demo's, migrated), the CPU time the process spent getting there (steadier
 * than the wall clock on a loaded machine), and resident memory 2 s later; each the median
 * of five starts, beside the bare app's. `npm run bench -- pages` prints the same two rows
 * (median of three) among its others.
 */
const ROUNDS = 5;

/** User + system CPU time of a process so far, in ms (from /proc, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

export async function benchStartup() {
  buildApp();
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-startup-"));
  const seeded = await startServer({ env: { SEED_DEMO: "1" } });
  await seeded.stop();
  const starts: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  const bareStarts: number[] = [];
  const bareRss: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const file = join(dir, `copy-${i}.db`);
    copyFileSync(seeded.databaseFile, file);
    const started = performance.now();
    const server = await startServer({ databaseFile: file, env: { SEED_DEMO: "0" } });
    starts.push(performance.now() - started);
    cpu.push(cpuMs(server.process.pid!));
    await new Promise((r) => setTimeout(r, 2000));
    rss.push(rssMb(server.process.pid!));
    await server.stop();
    removeServerFiles(server);
    // The anchor in the same round: the bare Express + Remix app of scripts/bench/bare.
    const bare = await startBare(dir, {});
    bareStarts.push(bare.startedMs);
    await new Promise((r) => setTimeout(r, 2000));
    bareRss.push(rssMb(bare.process.pid!));
    await bare.stop();
  }
  removeServerFiles(seeded);
  rmSync(dir, { recursive: true, force: true });
  console.log(`  starts: ${starts.map((s) => s.toFixed(0)).join(", ")} ms; CPU ${cpu.join(", ")} ms; RSS ${rss.map((r) => r.toFixed(0)).join(", ")} MB | load ${load()}`);
  row(`cold start to healthy, existing database (median of ${ROUNDS})`, `${ms(median(starts))} (CPU ${ms(median(cpu))})`, `bare app ${ms(median(bareStarts))}`, median(starts) / median(bareStarts), "× slower");
  row(`idle RSS 2 s after start (median of ${ROUNDS})`, `${median(rss).toFixed(0)} MB`, `bare app ${median(bareRss).toFixed(0)} MB`, median(rss) / median(bareRss), "×");
}
