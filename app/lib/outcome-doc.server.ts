import { getSchema, type JSONContent } from "@tiptap/core";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type { Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import { sha256 } from "./hash";
import { renderHTML } from "./tiptap-html.server";
import { OUTCOME_FIELD, outcomeExtensions, type BracketAttrs } from "./outcome-schema";

/** Reading and writing an outcome document's live text on the server, through the editor's schema. */

let schema: Schema | undefined;
export function outcomeSchema(): Schema {
  return (schema ??= getSchema(outcomeExtensions()));
}

/** The text as ProseMirror JSON; elements outside the schema are dropped, as every editor drops them. */
export function outcomeDocToJSON(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(OUTCOME_FIELD), outcomeSchema()).toJSON() as JSONContent;
}

export function outcomeJsonToUpdate(json: JSONContent): Uint8Array {
  return Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(outcomeSchema(), json, OUTCOME_FIELD));
}

export function outcomeJsonToHTML(json: JSONContent): Promise<string> {
  return renderHTML(json, outcomeExtensions());
}

/** What clearances are tied to: any change to the content (brackets included) changes it. */
export const outcomeContentHash = (json: JSONContent): string => sha256(JSON.stringify(json.content ?? []));

export interface SourceParagraph {
  id: string | null;
  type: "heading" | "paragraph";
  level?: number;
  /** The agreed words and every bracket as "[text / alternative]". */
  text: string;
  /** SHA-256 of `text`: a translation made against another hash is stale. */
  hash: string;
}

const bracketText = (text: string, attrs: Partial<BracketAttrs> | undefined) => `[${text}${attrs?.alternatives?.length ? ` / ${attrs.alternatives.join(" / ")}` : ""}]`;

/** A block's text, brackets written out as "[text / alternative]". */
function blockText(node: JSONContent): string {
  let out = "";
  let open: { id: string; text: string; attrs: Partial<BracketAttrs> } | null = null;
  const flush = () => {
    if (open) out += bracketText(open.text, open.attrs);
    open = null;
  };
  for (const child of node.content ?? []) {
    if (child.type !== "text") continue;
    const mark = child.marks?.find((m) => m.type === "bracket");
    if (mark) {
      const id = String(mark.attrs?.id ?? "");
      if (open && (open as { id: string }).id === id) (open as { text: string }).text += child.text ?? "";
      else {
        flush();
        open = { id, text: child.text ?? "", attrs: (mark.attrs ?? {}) as Partial<BracketAttrs> };
      }
    } else {
      flush();
      out += child.text ?? "";
    }
  }
  flush();
  return out;
}

/** The top-level blocks, in order: the paragraphs the language versions are aligned to. */
export function sourceParagraphs(json: JSONContent): SourceParagraph[] {
  return (json.content ?? [])
    .filter((n) => n.type === "paragraph" || n.type === "heading")
    .map((n) => {
      const text = blockText(n);
      return { id: (n.attrs?.pid as string | null) ?? null, type: n.type === "heading" ? "heading" : "paragraph", ...(n.type === "heading" ? { level: Number(n.attrs?.level ?? 2) } : {}), text, hash: sha256(text) };
    });
}

export function outcomeJsonToText(json: JSONContent): string {
  return sourceParagraphs(json)
    .map((p) => p.text)
    .filter(Boolean)
    .join("\n");
}

// ---------- brackets in the Yjs document ----------

export interface LiveBracket {
  id: string;
  owner: string;
  alternatives: string[];
  text: string;
  /** Index of the top-level block it sits in. */
  block: number;
}

export interface BracketScan {
  brackets: Map<string, LiveBracket>;
  /** Shapes no editor can make: a bracket across blocks, split in two, overlapping another, or without id. */
  problems: Array<{ kind: "boundary" | "split" | "overlap" | "malformed"; id: string | null }>;
}

const isBracketKey = (key: string) => key === "bracket" || key.startsWith("bracket--");

/**
 * Every bracket in the live text, read from the Yjs structure itself (y-prosemirror keeps a
 * mark as a formatting attribute of the text it covers), so the server sees exactly what a
 * client wrote, before any schema filtering.
 */
export function scanBrackets(doc: Y.Doc): BracketScan {
  const brackets = new Map<string, LiveBracket>();
  const problems: BracketScan["problems"] = [];
  const fragment = doc.getXmlFragment(OUTCOME_FIELD);
  const lastSeen = new Map<string, { block: number; op: number }>();
  let opIndex = 0;
  fragment.toArray().forEach((block, blockIndex) => {
    const texts: Y.XmlText[] = [];
    const collect = (node: unknown) => {
      if (node instanceof Y.XmlText) texts.push(node);
      else if (node instanceof Y.XmlElement) node.toArray().forEach(collect);
    };
    collect(block);
    for (const text of texts) {
      for (const op of text.toDelta() as Array<{ insert?: unknown; attributes?: Record<string, unknown> }>) {
        opIndex++;
        const keys = Object.keys(op.attributes ?? {}).filter(isBracketKey);
        if (keys.length === 0) continue;
        if (keys.length > 1) problems.push({ kind: "overlap", id: null });
        const attrs = (op.attributes![keys[0]] ?? {}) as Partial<BracketAttrs>;
        const id = typeof attrs.id === "string" && attrs.id ? attrs.id : null;
        if (!id || typeof attrs.owner !== "string") {
          problems.push({ kind: "malformed", id });
          continue;
        }
        const value = typeof op.insert === "string" ? op.insert : "";
        const seen = lastSeen.get(id);
        const existing = brackets.get(id);
        if (existing && seen) {
          if (seen.block !== blockIndex) problems.push({ kind: "boundary", id });
          else if (seen.op !== opIndex - 1) problems.push({ kind: "split", id });
          existing.text += value;
        } else {
          brackets.set(id, { id, owner: attrs.owner, alternatives: Array.isArray(attrs.alternatives) ? attrs.alternatives.map(String) : [], text: value, block: blockIndex });
        }
        lastSeen.set(id, { block: blockIndex, op: opIndex });
      }
    }
  });
  return { brackets, problems };
}

/** A copy of `doc` with `update` applied: what the document would become. */
export function withUpdate(doc: Y.Doc, update: Uint8Array): Y.Doc {
  const next = new Y.Doc({ gc: false });
  Y.applyUpdate(next, Y.encodeStateAsUpdate(doc));
  Y.applyUpdate(next, update);
  return next;
}
