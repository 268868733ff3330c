import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { stats } from "./support";

/**
 * Anchors for `npm run bench` (ADR 032): figures are printed beside the same measure of a bare
 * app on the same machine in the same run, and their ratio, because this machine's load moves
 * both. The bare app is scripts/bench/bare/server.mjs.
 */

export const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** One line of the bench table: figure, anchor, ratio, the load average when it was taken. */
export function row(measure: string, figure: string, anchor: string, ratio: number, ratioLabel = "×") {
  console.log(`  ${measure}: ${figure} | anchor ${anchor} | ratio ${ratio.toFixed(2)}${ratioLabel} | load ${load()}`);
}

export interface Fixture {
  markup: string;
  data: unknown;
}

/** The markup (the body without scripts) and the loader data of a page Concord rendered. */
export function fixtureOf(html: string): Fixture {
  const context = /window\.__remixContext = (\{[\s\S]*?\});<\/script>/.exec(html);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  return {
    markup: body.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<link rel="modulepreload"[^>]*>/g, ""),
    data: context ? JSON.parse(context[1]).state.loaderData : null,
  };
}

export interface BareServer {
  url: string;
  process: ChildProcess;
  startedMs: number;
  stop(): Promise<void>;
}

const BARE = fileURLToPath(new URL("./bare/server.mjs", import.meta.url));

/** Starts the bare app (plain node) serving `fixtures` at /page/<name>; resolves once /json answers. */
export async function startBare(dir: string, fixtures: Record<string, Fixture>): Promise<BareServer> {
  const file = join(dir, "bare-fixtures.json");
  writeFileSync(file, JSON.stringify(fixtures));
  const started = performance.now();
  const child = spawn(process.execPath, [BARE], { env: { ...process.env, NODE_ENV: "production", FIXTURES: file, PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /listening on (http:\/\/localhost:\d+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once("exit", (code) => reject(new Error(`bare app exited with ${code}`)));
  });
  while (!(await fetch(`${url}/json`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 10));
  const startedMs = performance.now() - started;
  return {
    url,
    process: child,
    startedMs,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** Resident memory of a process, in MB. */
export function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? NaN);
  return kb / 1024;
}

/** GETs `url` from `concurrency` loops for `ms`; every body is read to its end. */
export async function underLoad(url: string, cookie: string, { concurrency = 10, ms = 3000 } = {}) {
  const times: number[] = [];
  const end = performance.now() + ms;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const response = await fetch(url, { headers: { cookie } });
        if (!response.ok) throw new Error(`${url}: ${response.status}`);
        await response.arrayBuffer();
        times.push(performance.now() - t);
      }
    }),
  );
  return { requests: times.length, seconds: (performance.now() - started) / 1000, times };
}

/**
 * Concord's page and the anchor under the same load, in interleaved rounds (Concord, anchor,
 * Concord, anchor…) so a change in the machine's load falls on both.
 */
export async function compareUnderLoad(a: { url: string; cookie: string }, b: { url: string; cookie?: string }, rounds = 3, ms = 2500) {
  const sum = { a: { n: 0, s: 0, times: [] as number[] }, b: { n: 0, s: 0, times: [] as number[] } };
  await underLoad(a.url, a.cookie, { ms: 500 });
  await underLoad(b.url, b.cookie ?? "", { ms: 500 });
  for (let i = 0; i < rounds; i++) {
    for (const [key, target] of [["a", a], ["b", b]] as const) {
      const r = await underLoad(target.url, target.cookie ?? "", { ms });
      sum[key].n += r.requests;
      sum[key].s += r.seconds;
      sum[key].times.push(...r.times);
    }
  }
  const rps = (k: "a" | "b") => sum[k].n / sum[k].s;
  return { a: { rps: rps("a"), p99: stats(sum.a.times).p99 }, b: { rps: rps("b"), p99: stats(sum.b.times).p99 } };
}

/** Sequential timings of two URLs, interleaved request by request. */
export async function compareOneAtATime(a: { url: string; cookie: string }, b: { url: string; cookie?: string }, n = 40) {
  const ta: number[] = [];
  const tb: number[] = [];
  const once = async (url: string, cookie: string) => {
    const t = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
    return performance.now() - t;
  };
  for (let i = 0; i < 3; i++) {
    await once(a.url, a.cookie);
    await once(b.url, b.cookie ?? "");
  }
  for (let i = 0; i < n; i++) {
    ta.push(await once(a.url, a.cookie));
    tb.push(await once(b.url, b.cookie ?? ""));
  }
  return { a: stats(ta), b: stats(tb) };
}
