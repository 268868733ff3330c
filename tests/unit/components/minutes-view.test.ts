import { getHTMLFromFragment, getSchema } from "@tiptap/core";
import { prosemirrorToYXmlFragment } from "@tiptap/y-tiptap";
import { Window } from "happy-dom";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { ChipTitles } from "~/components/minutes/chip-titles.client";
import { minutesExtensions } from "~/lib/minutes-schema";

/**
 * The live view (ADR 056) draws the shared document as the editor does. Here, without a
 * browser: its HTML against tiptap's own rendering of the same document (the DOM serializer
 * the editor's view uses for every node and mark), once ProseMirror's hack nodes and the chip's
 * node view (the editor's, not the schema's) are set aside. The e2e test compares it with the
 * editor itself in Chromium, hack nodes included.
 */
const window = new Window();
const globals = ["window", "document", "navigator", "Node", "Text", "HTMLElement", "NodeFilter"] as const;
// Defined, not assigned: Node 21 and later have a `navigator` of their own, a getter that refuses assignment.
const before = new Map<string, PropertyDescriptor | undefined>();
beforeAll(() => {
  for (const name of globals) {
    before.set(name, Object.getOwnPropertyDescriptor(globalThis, name));
    const value = name === "window" ? window : (window as unknown as Record<string, unknown>)[name];
    Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
});
afterAll(() => {
  for (const name of globals) {
    const own = before.get(name);
    if (own) Object.defineProperty(globalThis, name, own);
    else delete (globalThis as Record<string, unknown>)[name];
  }
});

const schema = getSchema(minutesExtensions());
const every = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2, agendaItemId: "ag-1" }, content: [{ type: "text", text: "1. Opening" }] },
    { type: "heading", attrs: { level: 3 }, content: [{ type: "text", text: "Sub" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "b", marks: [{ type: "bold" }] },
        { type: "text", text: "bi", marks: [{ type: "bold" }, { type: "italic" }] },
        { type: "text", text: " u", marks: [{ type: "underline" }] },
        { type: "text", text: " s", marks: [{ type: "strike" }] },
        { type: "text", text: " c", marks: [{ type: "code" }] },
        { type: "text", text: " link", marks: [{ type: "link", attrs: { href: "https://example.org/x" } }, { type: "bold" }] },
        { type: "text", text: " bad", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] },
        { type: "hardBreak" },
        { type: "text", text: "after" },
      ],
    },
    { type: "paragraph" },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "one" }] }] }] },
    { type: "orderedList", attrs: { start: 1 }, content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "first" }] }] }] },
    { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [{ type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "q" }] }] }] }] },
    { type: "decision", attrs: { id: "d-1", number: 4 }, content: [{ type: "text", text: "Decided" }] },
    { type: "decision", attrs: { id: null, number: null }, content: [{ type: "text", text: "Not yet numbered" }] },
    { type: "paragraph", content: [{ type: "text", text: "Chip " }, { type: "actionItem", attrs: { id: "a-1", ref: 7 } }, { type: "text", text: " and on" }] },
  ],
};

async function viewHtml(json: typeof every, titles = new ChipTitles([{ id: "a-1", ref: 7, title: "Share the list", status: "open" }], "Restricted", () => {})) {
  const { MinutesView } = await import("~/components/minutes/minutes-view.client");
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment("default");
  prosemirrorToYXmlFragment(schema.nodeFromJSON(json), fragment);
  const root = window.document.createElement("div") as unknown as HTMLElement;
  const view = new MinutesView(root, fragment, titles);
  return { html: () => root.innerHTML, view, doc, fragment };
}

/** The view's HTML with ProseMirror's hack nodes out and the chip as the schema renders it. */
const asSerialized = (html: string) =>
  html
    .replace(/<br class="ProseMirror-trailingBreak">/g, "")
    .replace(/<img class="ProseMirror-separator" alt="">/g, "")
    .replace(/<span class="action-chip" contenteditable="false" data-action-item="([^"]*)" data-ref="([^"]*)">[^<]*<\/span>/g, '<span data-action-item="$1" data-ref="$2" class="action-chip">No.$2</span>');

describe("the minutes' live view", () => {
  it("draws every node and mark as tiptap renders them", async () => {
    const { html } = await viewHtml(every);
    expect(asSerialized(html())).toBe(getHTMLFromFragment(schema.nodeFromJSON(every).content, schema));
  });

  it("adds ProseMirror's trailing break to empty blocks, draws chips from the page's data, and keeps unsafe links out", async () => {
    const { html } = await viewHtml(every);
    expect(html()).toContain('<p><br class="ProseMirror-trailingBreak"></p>');
    expect(html()).toContain('<span class="action-chip" contenteditable="false" data-action-item="a-1" data-ref="7">No.7 Share the list</span>');
    expect(html()).toContain('<a target="_blank" rel="noopener noreferrer nofollow" href="">');
    expect(html()).not.toContain("javascript:");
  });

  it("follows changes to the document, redrawing only the block they touch", async () => {
    const { html, fragment, view } = await viewHtml(every);
    const first = fragment.get(0) as Y.XmlElement;
    const root = (view as unknown as { root: HTMLElement }).root;
    const untouched = root.children[3];
    (first.get(0) as Y.XmlText).insert(0, "Now ");
    expect(html()).toContain('<h2 data-agenda-item="ag-1">Now 1. Opening</h2>');
    expect(root.children[3]).toBe(untouched);
    const added = new Y.XmlElement("paragraph");
    added.insert(0, [new Y.XmlText("new line")]);
    fragment.insert(1, [added]);
    expect(root.children[1].outerHTML).toBe("<p>new line</p>");
    view.destroy();
  });
});
