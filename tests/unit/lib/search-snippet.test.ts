import { describe, expect, it } from "vitest";
import { searchTerms, snippetOf, snippetOfWhole } from "~/lib/search";

describe("snippets of long texts", () => {
  it("are the passage the whole flattened text gives, for texts of words, Japanese, Korean and runs of blank lines", () => {
    const words = ["alpha", "beta", "注意喚起", "indicators", "contraindicators", "\n\n", "  ", "해킹", "x", "\n".repeat(80)];
    let seed = 1;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 50 + Math.floor(random() * 600) }, () => words[Math.floor(random() * words.length)]).join(random() < 0.5 ? " " : "");
      const terms = searchTerms(["indicators", "注意", "beta x", "해킹 alpha", "zz", "x"][n % 6]);
      expect(snippetOf(text, terms), `case ${n}`).toEqual(snippetOfWhole(text, terms, 160));
    }
  });
});
