import { fromMarkdown } from "mdast-util-from-markdown";
import { describe, expect, it } from "vitest";
import { documentToMarkdown, safeHref } from "~/lib/documents/markdown.server";
import type { DocumentModel } from "~/lib/documents/model";

const doc = (blocks: DocumentModel["blocks"]): DocumentModel => ({ title: "Minutes <b>1</b>", marking: "TLP:AMBER", lang: "en", blocks });

/** Everything a Markdown renderer would turn the export into: HTML nodes and link targets. */
function rendered(markdown: string) {
  const tree = fromMarkdown(markdown);
  const html: string[] = [];
  const links: string[] = [];
  const walk = (node: { type: string; value?: string; url?: string; children?: unknown[] }) => {
    if (node.type === "html") html.push(node.value ?? "");
    if (node.type === "link" || node.type === "image") links.push(node.url ?? "");
    for (const child of (node.children ?? []) as (typeof node)[]) walk(child);
  };
  walk(tree as never);
  return { html, links };
}

describe("the Markdown export", () => {
  it("keeps raw HTML and event handlers typed into the minutes as text, never as HTML", async () => {
    const md = await documentToMarkdown(
      doc([
        { type: "paragraph", content: [{ text: '<script>alert(1)</script> <img src=x onerror="alert(2)">' }] },
        { type: "heading", level: 2, text: "<iframe src=//evil>" },
        { type: "list", ordered: false, items: [[{ text: "<a href=javascript:alert(3)>x</a>" }]] },
        { type: "table", header: ["<b>h</b>"], rows: [["<svg onload=alert(4)>"]] },
      ]),
    );
    const { html } = rendered(md);
    // Only the marking comment is HTML.
    expect(html).toEqual(["<!-- TLP:AMBER -->"]);
    expect(md).toContain("alert(1)");
  });

  it("drops links whose scheme is not http, https or mailto, keeping their text", async () => {
    const md = await documentToMarkdown(
      doc([
        {
          type: "paragraph",
          content: [
            { text: "bad", link: "javascript:alert(1)" },
            { text: " also bad", link: " JaVaScRiPt:alert(1)" },
            { text: " data", link: "data:text/html,<script>alert(1)</script>" },
            { text: " good", link: "https://example.org/a?b=1" },
            { text: " mail", link: "mailto:sec@example.org" },
          ],
        },
      ]),
    );
    expect(rendered(md).links).toEqual(["https://example.org/a?b=1", "mailto:sec@example.org"]);
    expect(md).toContain("bad");
  });

  it("escapes Markdown typed as text, so [x](javascript:…) stays literal", async () => {
    const md = await documentToMarkdown(doc([{ type: "paragraph", content: [{ text: "[click](javascript:alert(1)) and ![i](x) **not bold**" }] }]));
    expect(rendered(md).links).toEqual([]);
  });

  it("accepts only safe link schemes", () => {
    expect(safeHref("vbscript:x")).toBeNull();
    expect(safeHref("/relative")).toBeNull();
    expect(safeHref("https://a.example/")).toBe("https://a.example/");
  });
});
