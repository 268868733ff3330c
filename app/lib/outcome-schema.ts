import { Extension, Mark, mergeAttributes, type Extensions } from "@tiptap/core";
import Document from "@tiptap/extension-document";
import Heading from "@tiptap/extension-heading";
import Bold from "@tiptap/extension-bold";
import Italic from "@tiptap/extension-italic";
import Paragraph from "@tiptap/extension-paragraph";
import Text from "@tiptap/extension-text";
import { Dropcursor } from "@tiptap/extensions/drop-cursor";
import { Gapcursor } from "@tiptap/extensions/gap-cursor";

/**
 * The schema of an outcome document's live text, shared by the browser's editor and the
 * server. Deliberately flat (paragraphs and headings, bold and italic): every top-level block
 * is one paragraph of the parallel texts, aligned across languages by its `pid`.
 */

export interface BracketAttrs {
  id: string;
  /** The owning delegation's code (US, JP, KR); the server's register is the truth. */
  owner: string;
  alternatives: string[];
}

/**
 * Text one delegation has not accepted. Shown as "[text / alternative]" with its owner;
 * the server refuses any client update that removes or rewrites a bracket (ADR 017).
 * Not inclusive, so typing next to a bracket never extends it; the default `excludes`
 * (itself) means two brackets cannot overlap.
 */
export const Bracket = Mark.create({
  name: "bracket",
  inclusive: false,
  addAttributes() {
    return {
      id: { default: null, parseHTML: (el) => el.getAttribute("data-bracket"), renderHTML: (a) => ({ "data-bracket": a.id }) },
      owner: { default: null, parseHTML: (el) => el.getAttribute("data-owner"), renderHTML: (a) => ({ "data-owner": a.owner }) },
      alternatives: {
        default: [],
        parseHTML: (el) => {
          try {
            const parsed = JSON.parse(el.getAttribute("data-alternatives") ?? "[]");
            return Array.isArray(parsed) ? parsed.map(String) : [];
          } catch {
            return [];
          }
        },
        renderHTML: (a) => {
          const alternatives: string[] = Array.isArray(a.alternatives) ? a.alternatives : [];
          return { "data-alternatives": JSON.stringify(alternatives), "data-alt": alternatives.length ? ` / ${alternatives.join(" / ")}` : "" };
        },
      },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-bracket]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes, { class: "bracket" }), 0];
  },
});

/** Every paragraph and heading carries a stable id (set by the server) for the parallel texts. */
const ParagraphIds = Extension.create({
  name: "paragraphIds",
  addGlobalAttributes() {
    return [
      {
        types: ["paragraph", "heading"],
        attributes: {
          pid: { default: null, parseHTML: (el) => el.getAttribute("data-pid"), renderHTML: (a) => (a.pid ? { "data-pid": a.pid } : {}) },
        },
      },
    ];
  },
});

export function outcomeExtensions(): Extensions {
  return [
    // What the starter kit gave with the rest turned off, in its order, imported one by one so
    // the editor's bundle does not carry the rest (ADR 047).
    Bold,
    Dropcursor,
    Gapcursor,
    Italic,
    Paragraph,
    Text,
    Document.extend({ content: "block*" }),
    Heading.configure({ levels: [2, 3] }),
    ParagraphIds,
    Bracket,
  ];
}

export const OUTCOME_FIELD = "default";

/** Hocuspocus document names: `outcome:<document id>`, beside the minutes' `minutes:<meeting id>`. */
export const outcomeDocumentName = (documentId: string) => `outcome:${documentId}`;
export const outcomeIdOfDocument = (name: string) => (/^outcome:([A-Za-z0-9_-]{1,64})$/.exec(name)?.[1] ?? null);
