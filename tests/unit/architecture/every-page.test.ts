import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const app = fileURLToPath(new URL("../../../app/", import.meta.url));
const IMPORT = 'import "~/components/every-page";';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));

/** The file an `import("…")` of our own code names, or null for a package or a server module. */
function resolved(from: string, specifier: string): string | null {
  if (!/^(~\/|\.\.?\/)/.test(specifier) || /\.server$/.test(specifier)) return null;
  const base = specifier.startsWith("~/") ? join(app, specifier.slice(2)) : join(dirname(from), specifier);
  return [".ts", ".tsx"].map((ext) => base + ext).find((f) => existsSync(f)) ?? null;
}

/**
 * The modules every page uses share one browser file only if every entry of the browser build
 * reaches them the same way (ADR 052): the client entry, each page route and each chunk loaded
 * with `import()` (an entry of its own). One that forgets the import splits them into several
 * files again, which costs every page, not just that one.
 */
describe("~/components/every-page", () => {
  it("is imported by the client entry, the root, every page route and every chunk loaded later", () => {
    const pages = readdirSync(`${app}routes`)
      .filter((f) => f.endsWith(".tsx"))
      .filter((f) => /^export default /m.test(readFileSync(`${app}routes/${f}`, "utf8")))
      .map((f) => join(app, "routes", f));
    expect(pages.length).toBeGreaterThan(20);
    const browserCode = [...filesUnder(`${app}components`), ...filesUnder(`${app}routes`)];
    const lazy = browserCode.flatMap((file) => [...readFileSync(file, "utf8").matchAll(/import\("([^"]+)"\)/g)].map((m) => resolved(file, m[1])).filter((f): f is string => !!f));
    expect(lazy.length).toBeGreaterThan(4);
    const entries = new Set([join(app, "entry.client.tsx"), join(app, "root.tsx"), ...pages, ...lazy]);
    const missing = [...entries].filter((f) => !readFileSync(f, "utf8").includes(IMPORT)).map((f) => relative(app, f));
    expect(missing).toEqual([]);
  });
});
