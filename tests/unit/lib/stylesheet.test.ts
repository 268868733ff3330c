import { readFileSync } from "node:fs";
import { transform } from "esbuild";
import { describe, expect, it } from "vitest";

describe("the stylesheet", () => {
  it("parses without warnings (an unclosed block swallows every rule after it into a media query)", async () => {
    const css = readFileSync(new URL("../../../app/styles/app.css", import.meta.url), "utf8");
    const { warnings } = await transform(css, { loader: "css" });
    expect(warnings.map((w) => `${w.location?.line}: ${w.text}`)).toEqual([]);
  });
});
