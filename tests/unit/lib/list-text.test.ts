import { describe, expect, it } from "vitest";
import { LIST_TITLE_MAX, LIST_TITLE_READ, shortenForList } from "~/lib/list-text";

/** Every grapheme boundary of the whole text, found by walking all of it. */
function boundaries(text: string): Set<number> {
  const found = new Set<number>([0, text.length]);
  for (const { index } of new Intl.Segmenter("en", { granularity: "grapheme" }).segment(text)) found.add(index);
  return found;
}

function expectCutOnBoundary(text: string) {
  const { text: shown, shortened } = shortenForList(text);
  // The dashboard reads only the first LIST_TITLE_READ code points (SQLite's substr): the same cut.
  expect(shortenForList([...text].slice(0, LIST_TITLE_READ).join(""))).toEqual({ text: shown, shortened });
  expect(shortened).toBe(true);
  expect(shown.endsWith("…")).toBe(true);
  const kept = shown.slice(0, -1);
  expect(text.startsWith(kept)).toBe(true);
  expect(kept.length).toBeLessThanOrEqual(LIST_TITLE_MAX);
  // The cut is the last grapheme boundary of the whole text that fits (then trailing spaces go).
  const end = Math.max(...[...boundaries(text)].filter((b) => b <= LIST_TITLE_MAX));
  expect(kept).toBe(text.slice(0, end).trimEnd());
  // Never half a surrogate pair.
  if (kept.length) expect(kept.charCodeAt(kept.length - 1) >= 0xd800 && kept.charCodeAt(kept.length - 1) < 0xdc00).toBe(false);
  return kept;
}

describe("titles as a list shows them", () => {
  it("reads one code point more than it shows (the constant is written as a number: list-text.ts says why)", () => {
    expect(LIST_TITLE_READ).toBe(LIST_TITLE_MAX + 1);
  });

  it("leaves a title that fits as it is", () => {
    expect(shortenForList("Share indicators")).toEqual({ text: "Share indicators", shortened: false });
    const exactly = "あ".repeat(LIST_TITLE_MAX);
    expect(shortenForList(exactly)).toEqual({ text: exactly, shortened: false });
  });

  it("cuts a 10,000-character Japanese title to its first 200 characters and an ellipsis", () => {
    const title = "暗号資産交換業者への注意喚起、".repeat(700).slice(0, 10_000);
    const kept = expectCutOnBoundary(title);
    expect(kept).toBe(title.slice(0, 200));
  });

  it("never splits a Korean syllable written as conjoining jamo", () => {
    // 한 as three conjoining jamo (ᄒ ᅡ ᆫ): one grapheme of three code units.
    const title = "x" + "\u1112\u1161\u11ab".repeat(3400);
    const kept = expectCutOnBoundary(title);
    expect(kept.length).toBe(199);
    expect(kept.endsWith("\u1112\u1161\u11ab")).toBe(true);
  });

  it("never splits an emoji sequence, a flag or a surrogate pair", () => {
    for (const unit of ["👨‍👩‍👧‍👦", "🇯🇵🇰🇷🇺🇸", "👍🏽", "😀"]) {
      for (const lead of ["", "a", "ab", "abc"]) {
        const title = lead + unit.repeat(Math.ceil(10_000 / unit.length));
        const kept = expectCutOnBoundary(title);
        expect([...kept.slice(lead.length)].join("")).toBe(kept.slice(lead.length));
        expect(kept.slice(lead.length).length % unit.length === 0 || unit.startsWith("🇯")).toBe(true);
      }
    }
  });

  it("keeps a letter with its combining marks together", () => {
    const title = "Cafe\u0301 re\u0301sume\u0301 ".repeat(800);
    const kept = expectCutOnBoundary(title);
    expect(/[^\u0301]\u0301?$/u.test(kept)).toBe(true);
    expect(title.charAt(kept.length)).not.toBe("\u0301");
  });

  it("shows only the ellipsis when the first grapheme alone is longer than a list shows", () => {
    expect(shortenForList("e" + "\u0301".repeat(10_000))).toEqual({ text: "…", shortened: true });
  });

  it("cuts the bench's mixed-script title of 10,000 characters on a boundary", () => {
    expectCutOnBoundary("1 ".padEnd(10_000, " indicators 注意喚起 지표 %_\\'\""));
  });
});
