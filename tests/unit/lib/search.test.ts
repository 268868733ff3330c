import { describe, expect, it } from "vitest";
import { containsAll, highlight, likePattern, searchTerms, snippetOf } from "~/lib/search";

describe("search terms", () => {
  it("splits on spaces, keeps quoted phrases whole, drops repeats and stops at eight", () => {
    expect(searchTerms(' joint  "DPRK IT workers" advisory Joint ')).toEqual(["joint", "DPRK IT workers", "advisory"]);
    expect(searchTerms("a b c d e f g h i j")).toHaveLength(8);
    expect(searchTerms("   ")).toEqual([]);
    expect(searchTerms("共同注意喚起")).toEqual(["共同注意喚起"]);
  });

  it("escapes LIKE wildcards so they match themselves", () => {
    expect(likePattern("50%_done\\")).toBe("%50\\%\\_done\\\\%");
  });

  it("requires every term, ignoring Latin case", () => {
    expect(containsAll("The Joint Advisory", ["joint", "ADVISORY"])).toBe(true);
    expect(containsAll("The Joint Advisory", ["joint", "exercise"])).toBe(false);
  });
});

describe("snippets", () => {
  it("show the passage around the first term found, with ellipses where cut", () => {
    const text = `${"Earlier discussion of many things. ".repeat(10)}The delegations agreed a joint advisory on IT workers. ${"Later business. ".repeat(10)}`;
    const s = snippetOf(text, ["advisory"], 80);
    expect(s.match).toBe("advisory");
    expect(s.before.startsWith("…")).toBe(true);
    expect(s.after.endsWith("…")).toBe(true);
    expect((s.before + s.match + s.after).length).toBeLessThan(110);
  });

  it("keep the case of the text and cut Japanese by characters", () => {
    const s = snippetOf("佐藤代表団長は、共同注意喚起の最終案を次回会合までに提示すると述べた。", ["注意喚起"], 20);
    expect(s).toMatchObject({ match: "注意喚起" });
    expect(s.before).toContain("共同");
    expect(snippetOf("Joint ADVISORY", ["advisory"]).match).toBe("ADVISORY");
  });

  it("start from the beginning when no term is in the text", () => {
    expect(snippetOf("A short text.", ["absent"])).toEqual({ before: "A short text.", match: "", after: "" });
  });
});

describe("word matching", () => {
  it("matches Latin-script terms at word beginnings only: 'sanction' finds 'sanctions', 'AI' is not inside 'chain'", () => {
    expect(containsAll("New sanctions designations", ["sanction"])).toBe(true);
    expect(containsAll("Laundering through cross-chain bridges", ["AI"])).toBe(false);
    expect(containsAll("Laundering through cross-chain bridges", ["chain"])).toBe(true);
    expect(containsAll("AI-enabled phishing (AI)", ["ai"])).toBe(true);
    expect(snippetOf("Laundering through cross-chain bridges and AI tools", ["AI"]).match).toBe("AI");
  });

  it("matches Japanese and Korean terms anywhere, as those scripts have no spaces between words", () => {
    expect(containsAll("共同注意喚起の最終案", ["注意喚起"])).toBe(true);
    expect(containsAll("조치사항을 검토했다", ["사항"])).toBe(true);
  });

  it("cuts a text into its matches of every term, for highlighting", () => {
    expect(highlight("Sanctions on mixers; more sanctions", ["sanction", "mixer"])).toEqual([
      { text: "Sanction", match: true },
      { text: "s on ", match: false },
      { text: "mixer", match: true },
      { text: "s; more ", match: false },
      { text: "sanction", match: true },
      { text: "s", match: false },
    ]);
    expect(highlight("cross-chain AI", ["ai"])).toEqual([
      { text: "cross-chain ", match: false },
      { text: "AI", match: true },
    ]);
  });
});
