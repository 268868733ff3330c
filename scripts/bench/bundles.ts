import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { kb } from "./support";

/**
 * `npm run bench -- bundles`: the JavaScript each page loads before anyone opens an editor,
 * gzipped, from the last `npm run build` (Remix's manifest: the entry, then every route from
 * the root down to the page, each module with its static imports), beside its budget
 * (issue 16: 100 KB; the minutes page 190 KB with the live view it opens at once) and the
 * margin left. Chunks a page imports only when asked (an editor on focus, a form when opened)
 * are listed apart, with what they add when they load.
 *
 * `BUNDLES_DETAIL=agenda npm run bench -- bundles` also prints, for each page whose route id
 * contains the text, its modules by package and by file (esbuild's metafile of the browser
 * build, `build/server/metafile.js.json`: each module's minified bytes in its chunk, scaled by
 * that chunk's gzip ratio — an estimate; the page's total is measured).
 */
const BUDGET = 100 * 1024;
// The annex is the same page as the minutes (its live view, the same editor on demand): the same budget.
const BUDGETS: Record<string, number> = { "routes/_app.meetings.$meetingId.minutes": 190 * 1024, "routes/_app.meetings.$meetingId.minutes_.annex": 190 * 1024 };
/**
 * Pages that load a chunk as soon as they hydrate: it counts in their figure. The minutes page
 * opens with its live view (Yjs, the connection, this browser's copy); the editor it loads when
 * a writer starts editing is on demand (ADR 056).
 */
const OPENS_WITH_PAGE: Record<string, RegExp> = {
  "routes/_app.meetings.$meetingId.minutes": /\/live-minutes\.client-[^/]+\.js$/,
  "routes/_app.meetings.$meetingId.minutes_.annex": /\/live-minutes\.client-[^/]+\.js$/,
};

interface Entry {
  id: string;
  parentId?: string;
  module: string;
  imports?: string[];
  hasLoader?: boolean;
}
interface Manifest {
  entry: { module: string; imports: string[] };
  routes: Record<string, Entry>;
}

const root = fileURLToPath(new URL("../../public", import.meta.url));

export function readManifest(): Manifest {
  const dir = join(root, "build");
  const file = readdirSync(dir).find((f) => /^manifest-.*\.js$/.test(f));
  if (!file) throw new Error("no build: run npm run build first");
  const text = readFileSync(join(dir, file), "utf8");
  return JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as Manifest;
}

const sizes = new Map<string, number>();
export function gzipped(url: string): number {
  if (!sizes.has(url)) sizes.set(url, gzipSync(new Uint8Array(readFileSync(join(root, url)))).length);
  return sizes.get(url)!;
}

/** The modules a route's page loads at first paint. */
export function pageModules(manifest: Manifest, id: string): Set<string> {
  const chain: Entry[] = [];
  for (let r: Entry | undefined = manifest.routes[id]; r; r = r.parentId ? manifest.routes[r.parentId] : undefined) chain.unshift(r);
  return new Set([manifest.entry.module, ...manifest.entry.imports, ...chain.flatMap((r) => [r.module, ...(r.imports ?? [])])]);
}

/** Dynamic imports in a module: what it may load later (editors). */
function lazyChunks(url: string): string[] {
  const text = readFileSync(join(root, url), "utf8");
  return [...text.matchAll(/import\("(\/build\/[^"]+\.js)"\)/g)].map((m) => m[1]);
}

export async function benchBundles() {
  const manifest = readManifest();
  const detail = process.env.BUNDLES_DETAIL;
  let over = 0;
  console.log("  page (route) | JS gz at first paint | + opened with the page | total | budget | margin | files | loaded on demand (gz, beyond what the page has)");
  for (const id of Object.keys(manifest.routes).sort()) {
    const route = manifest.routes[id];
    // Resource routes (files, feeds, events) render no page: their browser module is an empty stub.
    if (id === "root" || readFileSync(join(root, route.module), "utf8").length < 200) continue;
    const modules = pageModules(manifest, id);
    const firstPaint = [...modules].reduce((sum, url) => sum + gzipped(url), 0);
    const lazy = new Set<string>();
    for (const url of [...modules].flatMap((u) => [u, ...staticImports(u)])) for (const chunk of lazyChunks(url)) if (!modules.has(chunk)) lazy.add(chunk);
    const extraOf = (chunk: string) => new Set([chunk, ...staticImports(chunk)].filter((u) => !modules.has(u)));
    const opened = [...lazy].filter((chunk) => OPENS_WITH_PAGE[id]?.test(chunk));
    const withPage = new Set(opened.flatMap((chunk) => [...extraOf(chunk)]));
    // What the chunks opened with the page load on demand in their turn (the minutes' editor).
    for (const url of withPage) for (const chunk of lazyChunks(url)) if (!modules.has(chunk) && !withPage.has(chunk)) lazy.add(chunk);
    const extraLater = (chunk: string) => new Set([chunk, ...staticImports(chunk)].filter((u) => !modules.has(u) && !withPage.has(u)));
    const editor = [...withPage].reduce((sum, url) => sum + gzipped(url), 0);
    const total = firstPaint + editor;
    const budget = BUDGETS[id] ?? BUDGET;
    if (total > budget) over++;
    const later = [...lazy]
      .filter((chunk) => !opened.includes(chunk))
      .map((chunk) => `${chunk.replace(/^\/build\//, "")} +${kb([...extraLater(chunk)].reduce((s, u) => s + gzipped(u), 0))}`);
    const margin = budget - total;
    console.log(
      `  ${id.replace(/^routes\//, "")} | ${kb(firstPaint)} | ${editor ? `+${kb(editor)}` : "—"} | ${kb(total)} | ${kb(budget)} | ${margin < 0 ? `OVER by ${kb(-margin)}` : kb(margin)} | ${modules.size + withPage.size} | ${later.join(", ") || "—"}`,
    );
    if (detail && id.includes(detail)) printModules(new Set([...modules, ...withPage]));
  }
  console.log(`  pages over budget: ${over}`);
}

/** Where a page's bytes come from: packages and files, from esbuild's metafile of the browser build. */
function printModules(modules: Set<string>) {
  const file = fileURLToPath(new URL("../../build/server/metafile.js.json", import.meta.url));
  const meta = JSON.parse(readFileSync(file, "utf8")) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const byPackage = new Map<string, number>();
  const byFile = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, n: number) => map.set(key, (map.get(key) ?? 0) + n);
  for (const url of modules) {
    const output = meta.outputs[`public${url}`];
    if (!output) continue;
    const ratio = gzipped(url) / Math.max(1, readFileSync(join(root, url)).length);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1];
      add(byPackage, pkg ?? "app code", bytesInOutput * ratio);
      if (!pkg) add(byFile, input, bytesInOutput * ratio);
    }
  }
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `${kb(v)} ${k}`)
      .join(", ");
  // Each file is compressed apart: what the page would weigh as one file shows what the split costs.
  const separate = [...modules].reduce((sum, url) => sum + gzipped(url), 0);
  const together = gzipSync(new Uint8Array(Buffer.concat([...modules].map((url) => new Uint8Array(readFileSync(join(root, url))))))).length;
  console.log(`      ${modules.size} files: ${kb(separate)}; the same code as one file: ${kb(together)} (the split into files costs ${kb(separate - together)})`);
  console.log(`      packages: ${top(byPackage, 25)}`);
  console.log(`      app files: ${top(byFile, 25)}`);
}

/** A chunk's static imports, transitively. */
function staticImports(url: string, seen = new Set<string>()): string[] {
  const text = readFileSync(join(root, url), "utf8");
  for (const m of text.matchAll(/(?:import|from)\s*"(\/build\/[^"]+\.js)"/g)) {
    const next = m[1];
    if (!seen.has(next)) {
      seen.add(next);
      staticImports(next, seen);
    }
  }
  return [...seen];
}
