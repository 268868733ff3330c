import { resolveExtensions } from "@tiptap/core";
import { generateJSON } from "@tiptap/html/server";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { docToJSON, jsonToHTML, jsonToText } from "~/lib/minutes-doc.server";
import { MINUTES_FIELD, minutesExtensions } from "~/lib/minutes-schema";
import { outcomeExtensions } from "~/lib/outcome-schema";

/**
 * Pasted HTML goes through the minutes schema's parse rules (what the editor does on paste),
 * and whatever a client writes into the Yjs document is read back through the same schema:
 * nothing outside it survives, in the editor, the page or an export.
 */
const hostile = [
  '<div data-decision="forged" data-number="99" onmouseover="x()">A decision</div>',
  "<p>Kept words<script>alert(1)</script></p>",
  '<p onclick="steal()" style="position:fixed">Clicked</p>',
  '<p><a href="javascript:alert(1)">bad link</a> and <a href="https://example.org">good link</a></p>',
  '<img src="x" onerror="alert(1)"><iframe src="https://evil.example"></iframe>',
  "<style>body{display:none}</style><svg><script>alert(2)</script></svg>",
].join("");

const dangerous = /<script|<style|<iframe|<img|<svg|onclick|onerror|onmouseover|javascript:|position:fixed/i;

describe("the minutes schema", () => {
  it("cleans hostile pasted HTML down to its words and allowed structure", async () => {
    const json = generateJSON(hostile, minutesExtensions());
    const html = await jsonToHTML(json);
    expect(html).not.toMatch(dangerous);
    expect(html).toContain("Kept words");
    expect(html).toContain('href="https://example.org"');
    expect(jsonToText(json)).toContain("A decision");
  });

  it("ignores elements and attributes a client writes into the document outside the schema", async () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(MINUTES_FIELD);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.setAttribute("onclick", "steal()");
    paragraph.setAttribute("style", "position:fixed");
    paragraph.insert(0, [new Y.XmlText("Still readable")]);
    const script = new Y.XmlElement("script");
    script.insert(0, [new Y.XmlText("alert(1)")]);
    fragment.push([paragraph, script]);
    const html = await jsonToHTML(docToJSON(doc));
    expect(html).not.toMatch(dangerous);
    expect(html).toContain("Still readable");
    // Removed from the document itself, as every browser's editor would remove it.
    expect(fragment.toArray().map((n) => (n as Y.XmlElement).nodeName)).toEqual(["paragraph"]);
  });

  // The schemas list the starter kit's extensions one by one (ADR 047): documents stored under
  // the starter kit must read the same, so the resolved order (schema order, mark nesting,
  // keymap precedence) and the configuration are pinned here.
  it("resolves to the extensions, order and options the starter kit gave it", () => {
    const names = (extensions: ReturnType<typeof minutesExtensions>) => resolveExtensions(extensions).map((e) => e.name);
    expect(names(minutesExtensions())).toEqual([
      "link", "paragraph", "agendaHeadingInput", "listItemBranchingDeleteKeymap", "bold", "code", "dropCursor", "gapCursor", "hardBreak",
      "italic", "strike", "text", "underline", "doc", "heading", "blockquote", "bulletList", "orderedList", "listItem", "decision", "actionItem",
    ]);
    expect(names(outcomeExtensions())).toEqual(["paragraph", "bold", "dropCursor", "gapCursor", "italic", "text", "doc", "heading", "paragraphIds", "bracket"]);
    const link = resolveExtensions(minutesExtensions()).find((e) => e.name === "link")!;
    expect(link.options).toMatchObject({ openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"] });
  });
});
