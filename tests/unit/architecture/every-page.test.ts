import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const app = fileURLToPath(new URL("../../../app/", import.meta.url));
const IMPORT = 'import "~/components/every-page";';

/**
 * The modules every page uses share one browser file only if every entry reaches them the same
 * way (ADR 052): a page route that forgets the import splits them into several files again,
 * which costs every page, not just that one.
 */
describe("~/components/every-page", () => {
  it("is imported by the client entry, the root and every page route", () => {
    const pages = readdirSync(`${app}routes`)
      .filter((f) => f.endsWith(".tsx"))
      .filter((f) => /^export default /m.test(readFileSync(`${app}routes/${f}`, "utf8")))
      .map((f) => `routes/${f}`);
    expect(pages.length).toBeGreaterThan(20);
    const missing = ["entry.client.tsx", "root.tsx", ...pages].filter((f) => !readFileSync(`${app}${f}`, "utf8").includes(IMPORT));
    expect(missing).toEqual([]);
  });
});
