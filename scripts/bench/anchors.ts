import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
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
  /** Concord's path and query for the page: the bare app answers at the same one. */
  path: string;
  /** The body's markup as Concord sent it (scripts removed). */
  markup: string;
  /** The same markup as an element tree, which the bare route renders with React as a route's JSX would. */
  tree: Node[];
  /** The head's elements, rendered by the bare app's root. */
  head: Node[];
  /** The loader data of every route of the page, by route id. */
  data: unknown;
  /** The response headers Concord sent with it that do not depend on the request or the body. */
  headers: Record<string, string>;
}

/** An element ([tag, attributes, children]) or a text. */
export type Node = string | [string, Record<string, string>, Node[]];

/** Headers the bare app sets itself (per response or per body) or that only the bench asks for. */
const OWN_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding", "content-type", "vary", "x-query-count", "etag"]);

/** The markup (the body without scripts), its element tree, the loader data and the headers of a page Concord rendered. */
export function fixtureOf(path: string, html: string, headers: Headers = new Headers()): Fixture {
  const context = /window\.__remixContext = (\{[\s\S]*?\});<\/script>/.exec(html);
  const body = /<body[^>]*>([\s\S]*)<\/body>/.exec(html)?.[1] ?? html;
  const markup = body.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<link rel="modulepreload"[^>]*>/g, "");
  // What Concord's head carries: its title, the catalogues' preloads, the stylesheet, the error
  // texts. The bare app renders them too; its <Scripts> writes the module preloads and the
  // route manifest from Concord's own manifest (startBare), so it sends as many bytes.
  const head = /<head>([\s\S]*?)<\/head>/.exec(html)?.[1] ?? "";
  return {
    path,
    markup,
    tree: parseMarkup(markup),
    head: parseMarkup(head.replace(/<script(?![^>]*application\/json)[\s\S]*?<\/script>/g, "")),
    data: context ? JSON.parse(context[1]).state.loaderData : null,
    headers: Object.fromEntries([...headers].filter(([name]) => !OWN_HEADERS.has(name))),
  };
}

const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]);
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0" };
const decode = (text: string) =>
  text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) =>
    e[0] === "#" ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? whole),
  );

/**
 * React's server markup (always well formed: quoted attributes, escaped text, closed elements)
 * as a tree. Comments (React's text separators and Suspense marks) are left out: React writes
 * its own again when it renders the tree.
 */
export function parseMarkup(markup: string): Node[] {
  const root: Node[] = [];
  const stack: Array<{ tag: string; children: Node[] }> = [{ tag: "", children: root }];
  const token = /<!--[\s\S]*?-->|<\/([a-zA-Z0-9-]+)\s*>|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/]+(?:="[^"]*")?)*)\s*\/?>|[^<]+/g;
  for (const m of markup.matchAll(token)) {
    const top = stack[stack.length - 1];
    if (m[0].startsWith("<!--")) continue;
    if (m[1]) {
      while (stack.length > 1 && stack.pop()!.tag !== m[1]);
    } else if (m[2]) {
      const attributes: Record<string, string> = {};
      for (const a of (m[3] ?? "").matchAll(/([^\s=>/]+)(?:="([^"]*)")?/g)) attributes[a[1]] = decode(a[2] ?? "");
      const children: Node[] = [];
      top.children.push([m[2], attributes, children]);
      if (!VOID.has(m[2])) stack.push({ tag: m[2], children });
    } else {
      top.children.push(decode(m[0]));
    }
  }
  return root;
}

export interface BareServer {
  url: string;
  process: ChildProcess;
  startedMs: number;
  stop(): Promise<void>;
}

const BARE = fileURLToPath(new URL("./bare/server.mjs", import.meta.url));

/** Concord's route table as its last build wrote it for the browser (public/build/manifest-*.js). */
export function concordManifest(root: string): unknown {
  const dir = join(root, "public/build");
  const newest = readdirSync(dir)
    .filter((f) => /^manifest-[0-9A-Z]+\.js$/.test(f))
    .map((f) => ({ f, at: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.at - a.at)[0];
  if (!newest) throw new Error("no Remix manifest in public/build: run npm run build");
  const text = readFileSync(join(dir, newest.f), "utf8");
  return JSON.parse(text.slice(text.indexOf("=") + 1).replace(/;\s*$/, ""));
}

/**
 * Starts the bare app (plain node) with Concord's route table (`manifest`) serving each fixture
 * at Concord's own path, and at /page/<name> as one string; resolves once /json answers.
 */
export async function startBare(dir: string, fixtures: Record<string, Fixture>, manifest: unknown = null): Promise<BareServer> {
  const file = join(dir, "bare-fixtures.json");
  writeFileSync(file, JSON.stringify({ pages: fixtures, manifest }));
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
 * Concord, anchor…) so a change in the machine's load falls on both; `c`, when given, is a
 * second anchor measured in the same rounds.
 */
export async function compareUnderLoad(a: { url: string; cookie: string }, b: { url: string; cookie?: string }, rounds = 3, ms = 2500, c?: { url: string; cookie?: string }) {
  const targets = { a, b, ...(c ? { c } : {}) } as Record<"a" | "b" | "c", { url: string; cookie?: string }>;
  const keys = Object.keys(targets) as Array<"a" | "b" | "c">;
  const sum = Object.fromEntries(keys.map((k) => [k, { n: 0, s: 0, times: [] as number[] }])) as Record<"a" | "b" | "c", { n: number; s: number; times: number[] }>;
  for (const key of keys) await underLoad(targets[key].url, targets[key].cookie ?? "", { ms: 500 });
  for (let i = 0; i < rounds; i++) {
    for (const key of keys) {
      const r = await underLoad(targets[key].url, targets[key].cookie ?? "", { ms });
      sum[key].n += r.requests;
      sum[key].s += r.seconds;
      sum[key].times.push(...r.times);
    }
  }
  const figures = (k: "a" | "b" | "c") => ({ rps: sum[k].n / sum[k].s, p99: stats(sum[k].times).p99 });
  return { a: figures("a"), b: figures("b"), c: c ? figures("c") : undefined };
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
