import { remembered } from "./bounded-memo";

/**
 * How much of a title a list shows (ADR 050). A list row is a pointer to the record, not the
 * record: a title longer than this is shown shortened with an ellipsis, and the whole title is
 * on the record's own page, one click away. What is stored is never touched.
 */
export const LIST_TITLE_MAX = 200;

/**
 * Grapheme segmentation does not depend on the language; one segmenter serves every request.
 * Marked pure, like LIST_TITLE_READ below written as a number: only the server shortens titles,
 * and a top-level statement with a possible side effect would keep this module in the browser
 * build of the 19 pages whose routes reach it through loader code (a file of its own each).
 */
const graphemes = /* @__PURE__ */ new Intl.Segmenter(undefined, { granularity: "grapheme" });

export interface ListText {
  /** What the list shows: the whole text, or its first graphemes followed by "…". */
  text: string;
  /** Whether `text` is shortened (the list then says so to screen readers). */
  shortened: boolean;
}

/**
 * `text` as a list shows it: whole when it is at most `max` UTF-16 code units long, otherwise
 * the longest run of whole grapheme clusters (user-perceived characters: an emoji sequence, a
 * letter with its combining marks, a Hangul syllable block) that fits in `max`, trailing white
 * space removed, and "…". A cut never falls inside a surrogate pair, a combining sequence or
 * an emoji sequence.
 */
export function shortenForList(text: string, max: number = LIST_TITLE_MAX): ListText {
  if (text.length <= max) return { text, shortened: false };
  // Every page of a list shortens the same long titles again: the cut is remembered for titles
  // as a list reads them (LIST_TITLE_READ code points, at most twice as many UTF-16 units), so
  // the memo's keys stay small; a longer text is cut afresh.
  if (text.length > 2 * LIST_TITLE_READ) return cut(text, max);
  return remembered(shortened, `${max}:${text}`, () => cut(text, max));
}

const shortened = /* @__PURE__ */ new Map<string, ListText>();

/** A title as a list row carries it: `title` as the list shows it, and whether it is `shortened`. */
export function listedTitle(title: string): { title: string; shortened: boolean } {
  const { text, shortened } = shortenForList(title);
  return { title: text, shortened };
}

function cut(text: string, max: number): ListText {
  // The grapheme that straddles (or starts at) position `max` starts at the last boundary that
  // fits: ICU finds it from there, without walking the graphemes before it.
  const end = graphemes.segment(text).containing(max)!.index;
  return { text: `${text.slice(0, end).trimEnd()}…`, shortened: true };
}

/**
 * How many characters (code points, as SQLite's `substr` counts them) of a title a list reads:
 * one more than it can show, so `shortenForList` sees that the title goes on and can find the
 * grapheme boundary at the cut (it depends on the code point after it, never on one further).
 */
export const LIST_TITLE_READ = 201; // LIST_TITLE_MAX + 1 (see the segmenter above; a unit test checks it)
