import { getSchema, type JSONContent } from "@tiptap/core";
import { prosemirrorJSONToYDoc, yXmlFragmentToProseMirrorRootNode } from "@tiptap/y-tiptap";
import type { Schema } from "@tiptap/pm/model";
import * as Y from "yjs";
import { sha256 } from "./hash";
import { renderHTML } from "./tiptap-html.server";
import { MINUTES_FIELD, minutesExtensions } from "./minutes-schema";

let schema: Schema | undefined;

/** The ProseMirror schema of the minutes, built once from the same extensions the editor uses. */
export function minutesSchema(): Schema {
  return (schema ??= getSchema(minutesExtensions()));
}

/**
 * The document as ProseMirror JSON, read through the schema exactly as the editor reads it:
 * an element the schema does not know (which only a hostile or broken client can write) is
 * removed from the document, as y-prosemirror does in every browser, instead of failing.
 */
export function docToJSON(doc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(MINUTES_FIELD), minutesSchema()).toJSON() as JSONContent;
}

/** A Yjs update that creates the given content in an empty document. */
export function jsonToUpdate(json: JSONContent): Uint8Array {
  return Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(minutesSchema(), json, MINUTES_FIELD));
}

export function jsonToHTML(json: JSONContent): Promise<string> {
  return renderHTML(json, minutesExtensions());
}

/** The words of the document, one block a line: for search and for text diffs. */
export function jsonToText(json: JSONContent): string {
  const lines: string[] = [];
  const inline = (node: JSONContent): string =>
    node.type === "text"
      ? (node.text ?? "")
      : node.type === "hardBreak"
        ? "\n"
        : node.type === "actionItem"
          ? `[No.${node.attrs?.ref ?? "?"} ${node.attrs?.title ?? ""}]`
          : (node.content ?? []).map(inline).join("");
  const walk = (node: JSONContent, prefix = "") => {
    if (node.type === "paragraph" || node.type === "heading" || node.type === "decision") {
      const number = node.type === "decision" && node.attrs?.number ? `D${node.attrs.number}: ` : node.type === "decision" ? "D: " : "";
      lines.push(prefix + number + (node.content ?? []).map(inline).join(""));
      return;
    }
    for (const child of node.content ?? []) walk(child, node.type === "listItem" ? "• " : prefix);
  };
  walk(json);
  return lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
}

/** What approvals are tied to: any change to the content changes it. */
export function contentHash(json: JSONContent): string {
  return sha256(JSON.stringify(json));
}

/** Every decision node, in document order, with the agenda section it sits in. */
export function decisionsIn(json: JSONContent): Array<{ id: string | null; number: number | null; text: string; agendaItemId: string | null }> {
  const out: Array<{ id: string | null; number: number | null; text: string; agendaItemId: string | null }> = [];
  let section: string | null = null;
  const text = (n: JSONContent): string => (n.type === "text" ? (n.text ?? "") : (n.content ?? []).map(text).join(""));
  const walk = (node: JSONContent) => {
    if (node.type === "heading" && node.attrs?.level === 2) section = node.attrs?.agendaItemId ?? null;
    if (node.type === "decision") {
      out.push({ id: node.attrs?.id ?? null, number: node.attrs?.number ?? null, text: text(node), agendaItemId: section });
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(json);
  return out;
}

/**
 * The document with each action-item chip's title as `title` decides (a reader outside the
 * item's TLP audience gets a placeholder: models/minutes/chips.server.ts). A copy; the stored
 * document and its content hash are untouched.
 */
export function withChipTitles(json: JSONContent, title: (id: string | null, current: string) => string): JSONContent {
  const map = (node: JSONContent): JSONContent => {
    if (node.type === "actionItem") return { ...node, attrs: { ...node.attrs, title: title((node.attrs?.id as string | null) ?? null, String(node.attrs?.title ?? "")) } };
    return node.content ? { ...node, content: node.content.map(map) } : node;
  };
  return map(json);
}
