/**
 * A small, format-neutral document model. Agendas and minutes are built as a DocumentModel once
 * and rendered to PDF (pdf.server.ts) or DOCX (docx.server.ts), so both exports carry the same
 * content and the same marking. Besides the types, this file holds the few helpers both
 * renderers need (marking colours, language tags, script runs) so they cannot drift apart.
 */

export interface DocumentModel {
  /** Big heading on the first page; also the PDF/DOCX title metadata. */
  title: string;
  /** Line under the title, e.g. the body's name. */
  subtitle?: string;
  /** Highest TLP marking of the contents: printed in every page header and footer. */
  marking: string;
  /** Document language: DOCX language tags, PDF /Lang. */
  lang: "en" | "ja" | "ko";
  /** Label/value lines under the title (e.g. the meeting time in the three capitals). */
  meta?: Array<{ label: string; value: string }>;
  blocks: Block[];
  /** Small text in the footer besides the marking, e.g. "Generated 2027-03-01 14:00 UTC". */
  footerNote?: string;
}

/** A run of text with one style. "\n" in `text` is a line break within the block. */
export type Inline = { text: string; bold?: boolean; italic?: boolean; link?: string };

export type Block =
  /** `marking`: optional per-section TLP label shown after the heading. */
  | { type: "heading"; level: 1 | 2 | 3; text: string; marking?: string }
  | { type: "paragraph"; content: Inline[] }
  | { type: "list"; ordered: boolean; items: Inline[][] }
  /** `widths`: relative column weights (e.g. [1, 3]); equal columns when absent. */
  | { type: "table"; header: string[]; rows: string[][]; widths?: number[] }
  | { type: "quote"; content: Inline[] }
  /** Small grey text. */
  | { type: "note"; text: string };

/** TLP 2.0 label colours (FIRST), hex without "#", shown on black. Anything else is white. */
const MARKING_COLOURS: Record<string, string> = {
  "TLP:RED": "FF2B2B",
  "TLP:AMBER+STRICT": "FFC000",
  "TLP:AMBER": "FFC000",
  "TLP:GREEN": "33FF00",
  "TLP:CLEAR": "FFFFFF",
};

export const markingColour = (marking: string): string => MARKING_COLOURS[marking] ?? "FFFFFF";

/** BCP 47 tag of a document language, for PDF /Lang and DOCX language tags. */
export const LANGUAGE_TAGS = { en: "en-US", ja: "ja-JP", ko: "ko-KR" } as const;

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF\uFFA0-\uFFDC]/;

/**
 * Text split where it changes between Hangul and everything else, whitespace staying with the
 * run before it. The PDF writes Hangul in Noto Sans KR and the rest in Noto Sans JP (pdfkit has
 * no font fallback); the DOCX gives Hangul runs a Korean East Asian font and language.
 */
export function scriptRuns(text: string): Array<{ text: string; korean: boolean }> {
  const runs: Array<{ text: string; korean: boolean }> = [];
  for (const ch of text) {
    const last = runs[runs.length - 1];
    const korean = HANGUL.test(ch);
    if (last && (last.korean === korean || /\s/.test(ch))) last.text += ch;
    else runs.push({ text: ch, korean });
  }
  return runs;
}
