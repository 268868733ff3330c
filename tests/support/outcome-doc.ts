import * as Y from "yjs";

/**
 * Editing an outcome document's Yjs structure as a client would (y-prosemirror keeps a
 * bracket as the `bracket` formatting attribute of the text it covers).
 */

export const FIELD = "default";

export function paragraphWith(doc: Y.Doc, text: string): Y.XmlText {
  const paragraph = new Y.XmlElement("paragraph");
  const content = new Y.XmlText(text);
  paragraph.insert(0, [content]);
  doc.getXmlFragment(FIELD).push([paragraph]);
  return content;
}

/** The Y.XmlText of the first paragraph containing `needle`. */
export function textContaining(doc: Y.Doc, needle: string): Y.XmlText {
  for (const block of doc.getXmlFragment(FIELD).toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    for (const child of block.toArray()) if (child instanceof Y.XmlText && plain(child).includes(needle)) return child;
  }
  throw new Error(`no paragraph contains ${needle}`);
}

export const plain = (text: Y.XmlText) => (text.toDelta() as Array<{ insert?: unknown }>).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");

export function bracket(text: Y.XmlText, word: string, attrs: { id: string; owner: string; alternatives?: string[] }) {
  const index = plain(text).indexOf(word);
  if (index < 0) throw new Error(`${word} not found`);
  text.format(index, word.length, { bracket: { id: attrs.id, owner: attrs.owner, alternatives: attrs.alternatives ?? [] } });
}

/** Every paragraph's plain text. */
export function paragraphs(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment(FIELD)
    .toArray()
    .filter((b): b is Y.XmlElement => b instanceof Y.XmlElement)
    .map((b) => b.toArray().map((c) => (c instanceof Y.XmlText ? plain(c) : "")).join(""));
}
