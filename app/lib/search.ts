export const searchKinds = ["agenda", "minutes", "decisions", "actions", "outcomes", "papers"] as const;
export type SearchKind = (typeof searchKinds)[number];

/** Hits shown per kind; the page says when there are more and asks for more words. */
export const PER_KIND = 25;

/** What someone typed, as the words every hit must contain (quotes keep a phrase together). */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.normalize("NFC").matchAll(/"([^"]+)"|(\S+)/g)) {
    const term = (match[1] ?? match[2]).trim();
    if (term && !terms.some((t) => t.toLowerCase() === term.toLowerCase())) terms.push(term);
  }
  return terms.slice(0, 8);
}

/** A LIKE pattern that matches the term literally (% and _ are not wildcards in what people type). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Scripts written without spaces between words: a term there matches anywhere (substring). */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Where a term matches: Latin-script (and other spaced) terms at the beginning of a word
 * ("sanction" finds "sanctions", "AI" does not match inside "chain"); Japanese and Korean terms
 * anywhere, since those scripts do not mark word boundaries. Case is ignored.
 */
export function termPattern(term: string): RegExp {
  const body = escapeRegExp(term);
  return UNSPACED.test(term) ? new RegExp(body, "iu") : new RegExp(`(?<![\\p{L}\\p{N}])${body}`, "iu");
}

/** Every term found in the text, by the rule of termPattern. */
export function containsAll(text: string, terms: readonly string[]): boolean {
  return terms.every((t) => termPattern(t).test(text));
}

export interface Segment {
  text: string;
  match: boolean;
}

/** A text cut into plain and matching pieces, for marking every match of every term. */
export function highlight(text: string, terms: readonly string[]): Segment[] {
  if (!text || terms.length === 0) return text ? [{ text, match: false }] : [];
  const sources = terms.map((t) => termPattern(t).source).sort((a, b) => b.length - a.length);
  const all = new RegExp(sources.join("|"), "giu");
  const segments: Segment[] = [];
  let last = 0;
  for (const m of text.matchAll(all)) {
    if (m[0] === "") continue;
    if (m.index > last) segments.push({ text: text.slice(last, m.index), match: false });
    segments.push({ text: m[0], match: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) segments.push({ text: text.slice(last), match: false });
  return segments;
}

export interface Snippet {
  before: string;
  match: string;
  after: string;
}

/**
 * The passage around the first term found, cut at word boundaries where the language has them
 * (Japanese and Korean text is cut by characters), with ellipses where it was cut.
 */
export function snippetOf(text: string, terms: readonly string[], width = 160): Snippet {
  return (text.length > width * 8 && snippetNearFirst(text, terms, width)) || snippetOfWhole(text, terms, width);
}

/**
 * The passage `snippetOf` would cut from a text that begins with `head` and goes on, made
 * from the head alone, or null when the head cannot tell (no term in it, or the passage could
 * reach its end): then the whole text is needed. Search reads long minutes this way (ADR 054).
 */
export function snippetOfHead(head: string, terms: readonly string[], width = 160): Snippet | null {
  return head.length > width * 8 ? snippetNearFirst(head, terms, width, true) : null;
}

/**
 * How far short of a head's end the passage must stay: a match the head holds is the text's
 * first only if no earlier one runs past the head's end, and no term is longer than a query.
 */
const HEAD_MARGIN = 2 * 200;

/**
 * The same passage for a long text (whole minutes) without flattening all of it: the first
 * match is found in the raw text (terms hold no spaces, so it is the same match), and only
 * the words around it are flattened. Null when the window is too short to tell (runs of
 * blank lines) or a term spans spaces: then the whole text is used.
 * With `head`, the text goes on after it (`snippetOfHead`).
 */
function snippetNearFirst(text: string, terms: readonly string[], width: number, head = false): Snippet | null {
  if (terms.some((t) => /\s/.test(t))) return null;
  let at = -1;
  let length = 0;
  for (const term of terms) {
    const found = termPattern(term).exec(text);
    if (found && (at === -1 || found.index < at)) {
      at = found.index;
      length = found[0].length;
    }
  }
  if (at === -1) return null;
  const reach = width * 4;
  const from = Math.max(0, at - reach);
  // In a head, the passage must end well before the head does (the text goes on after it).
  if (head && at + length + reach + HEAD_MARGIN >= text.length) return null;
  const to = Math.min(text.length, at + length + reach);
  let lead = text.slice(from, at).replace(/\s+/g, " ");
  let tail = text.slice(at + length, to).replace(/\s+/g, " ");
  if (from === 0) lead = lead.trimStart();
  if (to === text.length) tail = tail.trimEnd();
  const side = Math.max(20, Math.floor((width - length) / 2));
  const cutBefore = lead.length > side;
  const cutAfter = tail.length > side;
  if ((!cutBefore && from > 0) || (!cutAfter && to < text.length)) return null;
  const before = (cutBefore ? "…" : "") + trimStart(lead.slice(lead.length - Math.min(side, lead.length)), cutBefore);
  const after = trimEnd(tail.slice(0, side), cutAfter) + (cutAfter ? "…" : "");
  return { before, match: text.slice(at, at + length), after };
}

/** The passage computed over the whole flattened text (the reference the long-text path must equal). */
export function snippetOfWhole(text: string, terms: readonly string[], width: number): Snippet {
  const flat = text.replace(/\s+/g, " ").trim();
  let at = -1;
  let length = 0;
  for (const term of terms) {
    const found = termPattern(term).exec(flat);
    if (found && (at === -1 || found.index < at)) {
      at = found.index;
      length = found[0].length;
    }
  }
  if (at === -1) {
    const cut = flat.length > width ? `${trimEnd(flat.slice(0, width))}…` : flat;
    return { before: cut, match: "", after: "" };
  }
  const side = Math.max(20, Math.floor((width - length) / 2));
  const start = Math.max(0, at - side);
  const end = Math.min(flat.length, at + length + side);
  const before = (start > 0 ? "…" : "") + trimStart(flat.slice(start, at), start > 0);
  const after = trimEnd(flat.slice(at + length, end), end < flat.length) + (end < flat.length ? "…" : "");
  return { before, match: flat.slice(at, at + length), after };
}

function trimStart(text: string, cut: boolean): string {
  if (!cut) return text;
  const space = text.indexOf(" ");
  return space !== -1 && space < 20 ? text.slice(space + 1) : text;
}

function trimEnd(text: string, cut = true): string {
  if (!cut) return text;
  const space = text.lastIndexOf(" ");
  return space !== -1 && text.length - space < 20 ? text.slice(0, space) : text;
}
