/**
 * How one search term is looked up in the full-text index (ADR 035). The index only narrows
 * the candidates: every candidate is then checked against the exact rule of `termPattern`
 * (`app/lib/search.ts`), so each plan must find a superset of what that rule matches.
 *
 * - A term with a letter or digit and no Japanese or Korean: `search_words` (unicode61, word
 *   beginnings), as a phrase of its words with the last one a prefix: `AI-enabled` is
 *   `"ai enabled"*`. The rule there is "at the beginning of a word", which is what a token
 *   prefix finds.
 * - Any other term of three characters or more (Japanese, Korean, mixed scripts, `%%%`):
 *   `search_trigrams`, as a phrase (a substring of the text).
 * - One or two such characters (`의`, `注意`, `%`, `_`): the trigrams that begin with them,
 *   looked up in the trigram index's vocabulary (the text is indexed with two newlines after
 *   it, so every character begins a trigram).
 */
export type TermPlan = { index: "words"; match: string } | { index: "trigrams"; match: string } | { index: "prefix"; prefix: string };

const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHARACTER = /[\p{L}\p{N}\p{Co}]/u;
const WORD_SEPARATORS = /[^\p{L}\p{N}\p{Co}]+/u;

/** An FTS5 string: in double quotes, with double quotes doubled. */
export const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** How rich text stores what was typed: the same term as it appears in HTML. */
export const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The same with quotes as entities, as the sanitiser may store them (`richTextToPlain` reads both). */
const escapeHtmlQuotes = (text: string) => escapeHtml(text).replace(/"/g, "&quot;").replace(/'/g, "&#39;");

function planOf(term: string): TermPlan {
  if (!UNSPACED.test(term) && WORD_CHARACTER.test(term)) {
    const words = term.split(WORD_SEPARATORS).filter(Boolean);
    return { index: "words", match: `${ftsString(words.join(" "))}*` };
  }
  if ([...term].length >= 3) return { index: "trigrams", match: ftsString(term) };
  // The trigram tokenizer folds case; so does this (for the few cased characters that get here).
  return { index: "prefix", prefix: term.toLowerCase() };
}

/**
 * Every way the term can be stored: as typed and, where it differs, as rich text's HTML
 * stores it (`R&D` is `R&amp;D`). A record matches the term if any of them is found.
 */
export function termPlans(term: string): TermPlan[] {
  const escaped = [...new Set([escapeHtml(term), escapeHtmlQuotes(term)])].filter((form) => form !== term);
  // An escaped form is looked up as the substring it is (it holds an entity, so it is at least
  // four characters long): as words, `'` stored as `&#39;` would be the word beginning "39",
  // found in every text with a number from 39 on, each then read and checked for nothing (ADR 054).
  return [planOf(term), ...escaped.map((form): TermPlan => ({ index: "trigrams", match: ftsString(form) }))];
}

/**
 * Each kind's index entries have ids in a range of their own (migration 0019, ADR 054): kind
 * number × 2^40 plus a sequence. A kind's candidates are then an FTS5 query with a rowid range
 * (FTS5 seeks to it in each doclist), so counting them or building the set a kind's query
 * checks against reads only that kind's part of the index, not every entry holding the term.
 * The numbers are stored in the triggers: never renumber a kind.
 */
export const KIND_NUMBERS = { agenda: 1, minutes: 2, decisions: 3, actions: 4, outcomes: 5, papers: 6 } as const;

/** Entry ids are kind number << KIND_BITS plus a sequence. */
export const KIND_BITS = 40;
const KIND_SPAN = 2 ** KIND_BITS;

/** The ids of a kind's entries: from (inclusive) and to (exclusive). */
export function kindRange(kind: keyof typeof KIND_NUMBERS): { from: number; to: number } {
  const from = KIND_NUMBERS[kind] * KIND_SPAN;
  return { from, to: from + KIND_SPAN };
}
