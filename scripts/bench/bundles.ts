import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { kb } from "./support";

/**
 * `npm run bench -- bundles`: the JavaScript each page loads before anyone opens an editor,
 * gzipped, from the last `npm run build` (Remix's manifest: the entry, then every route from
 * the root down to the page, each module with its static imports), beside its budget
 * (issue 16: 100 KB, the minutes page 190 KB). Chunks a page imports only when asked (an
 * editor on focus) are listed apart, with what they add when they load.
 */
const BUDGET = 100 * 1024;
const BUDGETS: Record<string, number> = { "routes/_app.meetings.$meetingId.minutes": 190 * 1024 };

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
  let over = 0;
  console.log("  page (route) | JS gz at first paint | budget | files | loaded on demand (gz, beyond what the page has)");
  for (const id of Object.keys(manifest.routes).sort()) {
    const route = manifest.routes[id];
    // Resource routes (files, feeds, events) render no page: their browser module is an empty stub.
    if (id === "root" || readFileSync(join(root, route.module), "utf8").length < 200) continue;
    const modules = pageModules(manifest, id);
    const total = [...modules].reduce((sum, url) => sum + gzipped(url), 0);
    const budget = BUDGETS[id] ?? BUDGET;
    if (total > budget) over++;
    const lazy = new Set<string>();
    for (const url of [...modules].flatMap((u) => [u, ...staticImports(u)])) for (const chunk of lazyChunks(url)) if (!modules.has(chunk)) lazy.add(chunk);
    const later = [...lazy].map((chunk) => {
      const extra = new Set([chunk, ...staticImports(chunk)].filter((u) => !modules.has(u)));
      return `${chunk.replace(/^\/build\//, "")} +${kb([...extra].reduce((s, u) => s + gzipped(u), 0))}`;
    });
    console.log(`  ${id.replace(/^routes\//, "")} | ${kb(total)} | ${kb(budget)}${total > budget ? " OVER" : ""} | ${modules.size} | ${later.join(", ") || "—"}`);
  }
  console.log(`  pages over budget: ${over}`);
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
