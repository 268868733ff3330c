import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { namespaces as known } from "~/locales";
import { ROOT } from "./server";

/**
 * Which catalogue namespaces a route's page may translate with, read from its source and
 * everything it imports for the browser (ADR 039): `useTranslation("ns")` (none: common)
 * and every string that starts with a key's "ns:" prefix. Server-only modules (`.server`)
 * are not followed: what they translate is translated on the server, and keys they hand
 * the page as data are shown through `MessageText`, which loads its own namespace.
 */
const APP = join(ROOT, "app");
const NS = new Set<string>(known);

const importPatterns = [
  /^\s*import\s+(?!type\s)(?:[\w*{}\s,$]+\s+from\s+)?["']([^"']+)["']/gm,
  /^\s*export\s+(?!type\s)[\w*{}\s,$]+\s+from\s+["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith("~/")) base = join(APP, spec.slice(2));
  else if (spec.startsWith(".")) base = resolve(dirname(from), spec);
  else return null; // a package, or #db (server only)
  for (const candidate of [base, `${base}.tsx`, `${base}.ts`, join(base, "index.tsx"), join(base, "index.ts")]) {
    if (/\.(tsx?|jsx?)$/.test(candidate) && existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * `meeting-pages.ts` imports modules only so that the browser build puts them in one file
 * (ADR 058); a route importing it renders none of them through it. A page that does render one
 * imports it by name (itself or through a component), and that import is followed.
 */
const groupingOnly = (file: string) => file === join(APP, "components", "meeting-pages.ts");

const serverOnly = (file: string) => groupingOnly(file) || /\.server\.(tsx?|jsx?)$/.test(file) || file.includes(`${join("app", "locales")}`);

/**
 * Keys written as a `Message` (`{ key: "agenda:errors.locked" }`, a zod `message:`) are data:
 * a field error or a refusal, shown through `MessageText`, which loads their namespace itself.
 */
const MESSAGE_KEY = /\b(?:key|message)\s*:\s*["'`]\w+:/g;

export function namespacesInSource(source: string): Set<string> {
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .replace(/(^|\s)\/\/.*$/gm, "$1")
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, "")
    .replace(MESSAGE_KEY, "");
  const found = new Set<string>();
  for (const m of code.matchAll(/\buseTranslation\(\s*(?:["'](\w+)["'])?\s*\)/g)) found.add(m[1] ?? "common");
  for (const m of code.matchAll(/["'`](\w+):[A-Za-z]/g)) if (NS.has(m[1])) found.add(m[1]);
  return found;
}

/** The namespaces of `file` and of every module it brings to the browser, with where each is used. */
export function namespacesUsedBy(file: string): Map<string, string[]> {
  const used = new Map<string, string[]>();
  const seen = new Set<string>();
  const queue = [file];
  while (queue.length) {
    const current = queue.pop()!;
    if (seen.has(current)) continue;
    seen.add(current);
    const source = readFileSync(current, "utf8");
    for (const ns of namespacesInSource(source)) used.set(ns, [...(used.get(ns) ?? []), relative(ROOT, current)]);
    for (const pattern of importPatterns) {
      for (const m of source.matchAll(pattern)) {
        const target = resolveImport(current, m[1]);
        if (target && !serverOnly(target) && !seen.has(target)) queue.push(target);
      }
    }
  }
  return used;
}
