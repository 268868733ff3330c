import { describe, expect, it } from "vitest";
import { containsAll, likePattern, searchTerms, snippetOf } from "~/lib/search";

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
