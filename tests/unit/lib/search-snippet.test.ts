import { describe, expect, it } from "vitest";
import { containsAll, searchTerms, snippetOf, snippetOfHead, snippetOfWhole } from "~/lib/search";

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

  it("cut from a text's head are the passage the whole text gives, or not cut at all (ADR 054)", () => {
    const words = ["alpha", "beta", "注意喚起", "indicators", "contraindicators", "\n\n", "  ", "해킹", "x", "😀", "\n".repeat(80), "Ａ"];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let cut = 0;
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 300 + Math.floor(random() * 1500) }, () => words[Math.floor(random() * words.length)]).join(random() < 0.5 ? " " : "");
      const terms = searchTerms(["indicators", "注意", "beta x", "해킹", "zz", "x", "ａ", "contra"][n % 8]);
      // As search reads it: the first 1,400–4,400 characters (substr counts characters, not UTF-16 units).
      const head = [...text].slice(0, 1400 + Math.floor(random() * 3000)).join("");
      if (containsAll(head, terms)) expect(containsAll(text, terms), `case ${n}`).toBe(true);
      const snippet = snippetOfHead(head, terms);
      if (snippet && head.length < text.length) {
        cut++;
        expect(snippet, `case ${n}`).toEqual(snippetOf(text, terms));
      }
    }
    // Most heads could tell: the test compared something.
    expect(cut).toBeGreaterThan(1000);
  });
});
