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
  return chipReferences(yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(MINUTES_FIELD), minutesSchema()).toJSON() as JSONContent);
}

/**
 * The document with each action-item chip as a reference only (`id`, `ref`): what is stored,
 * hashed, indexed and adopted (ADR 042). A chip's title belongs to the action item, whose
 * audience may be smaller than the minutes'; it is filled in per reader (`withChipTitles`).
 */
export function chipReferences(json: JSONContent): JSONContent {
  const map = (node: JSONContent): JSONContent => {
    if (node.type === "actionItem") return { ...node, attrs: { id: node.attrs?.id ?? null, ref: node.attrs?.ref ?? null } };
    return node.content ? { ...node, content: node.content.map(map) } : node;
  };
  return map(json);
}

const CHIP_REFERENCE = new Set(["id", "ref"]);

/**
 * Removes every attribute but the reference from the live document's chips (a title written
 * by an older editor or by a raw client): true when something was removed. The removal is a
 * Yjs change like any other; with garbage collection on (Hocuspocus' documents, `new Y.Doc()`)
 * the removed text is gone from the document's encoded state, so no client receives it.
 */
export function dropChipTitles(doc: Y.Doc, origin: unknown): boolean {
  const chips: Y.XmlElement[] = [];
  const fragment = doc.getXmlFragment(MINUTES_FIELD);
  for (const node of fragment.createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === "actionItem")) {
    const el = node as Y.XmlElement;
    if (Object.keys(el.getAttributes()).some((name) => !CHIP_REFERENCE.has(name))) chips.push(el);
  }
  if (!chips.length) return false;
  doc.transact(() => {
    for (const el of chips) for (const name of Object.keys(el.getAttributes())) if (!CHIP_REFERENCE.has(name)) el.removeAttribute(name);
  }, origin);
  return true;
}

/** A Yjs update that creates the given content in an empty document. */
export function jsonToUpdate(json: JSONContent): Uint8Array {
  return Y.encodeStateAsUpdate(prosemirrorJSONToYDoc(minutesSchema(), json, MINUTES_FIELD));
}

export function jsonToHTML(json: JSONContent): Promise<string> {
  return renderHTML(json, minutesExtensions());
}

/** A chip in plain text: `[No.3 title]` for a reader's copy, `[No.3]` for the stored reference. */
export const chipText = (node: JSONContent) => `[No.${node.attrs?.ref ?? "?"}${node.attrs?.title ? ` ${node.attrs.title}` : ""}]`;

/** The words of the document, one block a line: for search and for text diffs. */
export function jsonToText(json: JSONContent): string {
  const lines: string[] = [];
  const inline = (node: JSONContent): string =>
    node.type === "text"
      ? (node.text ?? "")
      : node.type === "hardBreak"
        ? "\n"
        : node.type === "actionItem"
          ? chipText(node)
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

/** What approvals are tied to: any change to the content changes it; an action item's title is not the minutes' content (ADR 042). */
export function contentHash(json: JSONContent): string {
  return sha256(JSON.stringify(chipReferences(json)));
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
 * One reader's copy of the document, with each action-item chip's title as `title` decides
 * (the item's title, or a placeholder outside the item's TLP audience:
 * models/minutes/chips.server.ts). Whatever title a chip carried is never used.
 */
export function withChipTitles(json: JSONContent, title: (id: string | null) => string): JSONContent {
  const map = (node: JSONContent): JSONContent => {
    if (node.type === "actionItem") return { ...node, attrs: { id: node.attrs?.id ?? null, ref: node.attrs?.ref ?? null, title: title((node.attrs?.id as string | null) ?? null) } };
    return node.content ? { ...node, content: node.content.map(map) } : node;
  };
  return map(json);
}
