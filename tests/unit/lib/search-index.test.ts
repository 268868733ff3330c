import { describe, expect, it } from "vitest";
import { termPlans } from "~/lib/search-index";

describe("how a search term is looked up in the index", () => {
  it("puts Latin-script terms in the word index as a phrase whose last word is a prefix", () => {
    expect(termPlans("sanction")).toEqual([{ index: "words", match: '"sanction"*' }]);
    expect(termPlans("AI-enabled")).toEqual([{ index: "words", match: '"AI enabled"*' }]);
    expect(termPlans("50%")).toEqual([{ index: "words", match: '"50"*' }]);
  });

  it("adds the forms rich text stores, as the substrings they are: R&D is also looked for as R&amp;D", () => {
    expect(termPlans("R&D")).toEqual([
      { index: "words", match: '"R D"*' },
      { index: "trigrams", match: '"R&amp;D"' },
    ]);
    expect(termPlans('"')).toEqual([
      { index: "prefix", prefix: '"' },
      { index: "trigrams", match: '"&quot;"' },
    ]);
    // Not the word beginning "39", which every text with a number from 39 on holds (ADR 054).
    expect(termPlans("'")).toEqual([
      { index: "prefix", prefix: "'" },
      { index: "trigrams", match: '"&#39;"' },
    ]);
  });

  it("puts Japanese, Korean and punctuation of three characters or more in the trigram index, quoted", () => {
    expect(termPlans("注意喚起")).toEqual([{ index: "trigrams", match: '"注意喚起"' }]);
    expect(termPlans("AI暗号")).toEqual([{ index: "trigrams", match: '"AI暗号"' }]);
    expect(termPlans('%"%')[0]).toEqual({ index: "trigrams", match: '"%""%"' });
  });

  it("looks up one and two characters by the trigrams that begin with them", () => {
    expect(termPlans("의")).toEqual([{ index: "prefix", prefix: "의" }]);
    expect(termPlans("資産")).toEqual([{ index: "prefix", prefix: "資産" }]);
    expect(termPlans("%")).toEqual([{ index: "prefix", prefix: "%" }]);
  });

});
