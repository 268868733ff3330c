import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { namespacesInSource, namespacesUsedBy } from "#tests/support/i18n-usage";
import { ROOT } from "#tests/support/server";
import { namespaces as known } from "~/locales";

/**
 * ADR 039: a page loads only the catalogues its routes declare in `handle.i18n` (the root's
 * and each matched route's). What a route's page translates with is read from its source and
 * every module it brings to the browser; each must be declared by the route or a route
 * above it, or the page would wait for it on first use.
 */
interface RouteEntry {
  id: string;
  file: string;
  parentId?: string;
}

const require = createRequire(import.meta.url);
const { flatRoutes } = require("@remix-run/dev/dist/config/flat-routes.js") as {
  flatRoutes: (appDir: string, ignored: string[]) => Record<string, RouteEntry>;
};
const routes: RouteEntry[] = [
  { id: "root", file: "root.tsx" },
  ...Object.values(flatRoutes(join(ROOT, "app"), ["**/.*", "**/*.test.{ts,tsx}"])),
];
const byId = new Map(routes.map((r) => [r.id, r]));
const source = (r: RouteEntry) => readFileSync(join(ROOT, "app", r.file), "utf8");
const isPage = (r: RouteEntry) => r.id === "root" || /export default function/.test(source(r));

/** `handle.i18n` as written in the route module (read from source: route modules import server code). */
function declared(r: RouteEntry): string[] {
  const m = /export const handle(?::\s*\w+)?\s*=\s*\{\s*i18n:\s*\[([^\]]*)\]/.exec(source(r));
  return m ? [...m[1].matchAll(/"(\w+)"/g)].map((x) => x[1]) : [];
}

function available(r: RouteEntry): Set<string> {
  const all = new Set<string>();
  for (let at: RouteEntry | undefined = r; at; at = at.parentId ? byId.get(at.parentId) : undefined) for (const ns of declared(at)) all.add(ns);
  return all;
}

describe("the catalogues each page declares", () => {
  it("finds the routes and reads their sources", () => {
    expect(routes.filter(isPage).length).toBeGreaterThan(30);
    expect(namespacesInSource(`const { t } = useTranslation("agenda"); t("meetings:title"); const m = { key: "papers:errors.failed" };`)).toEqual(new Set(["agenda", "meetings"]));
  });

  it.each(routes.filter(isPage).map((r) => [r.id, r] as const))("%s declares every namespace its page translates with", (_id, route) => {
    const have = available(route);
    const missing = [...namespacesUsedBy(join(ROOT, "app", route.file))].filter(([ns]) => !have.has(ns)).map(([ns, files]) => `${ns} (${files.join(", ")})`);
    expect(missing, "add these to the route's handle.i18n").toEqual([]);
  });

  it.each(routes.filter(isPage).map((r) => [r.id, r] as const))("%s declares only namespaces that exist, once", (_id, route) => {
    const own = declared(route);
    expect(own.filter((ns) => !(known as readonly string[]).includes(ns))).toEqual([]);
    const parent = route.parentId ? byId.get(route.parentId) : undefined;
    const above = parent ? available(parent) : new Set<string>();
    expect(own.filter((ns) => above.has(ns)), "already declared above").toEqual([]);
  });
});
