export const searchKinds = ["agenda", "minutes", "decisions", "actions", "outcomes"] as const;
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

export function containsAll(text: string, terms: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return terms.every((t) => lower.includes(t.toLowerCase()));
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
  const flat = text.replace(/\s+/g, " ").trim();
  const lower = flat.toLowerCase();
  let at = -1;
  let length = 0;
  for (const term of terms) {
    const i = lower.indexOf(term.toLowerCase());
    if (i !== -1 && (at === -1 || i < at)) {
      at = i;
      length = term.length;
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
