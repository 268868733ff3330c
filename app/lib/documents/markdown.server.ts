import type { BlockContent, PhrasingContent, Root, RootContent, TableRow } from "mdast";
import type { DocumentModel, Inline } from "./model";

/**
 * Markdown of a document model, for pasting into other systems. The text is built as a
 * Markdown syntax tree and serialised by `mdast-util-to-markdown`, which escapes whatever the
 * minutes contain (`<script>`, `onerror=`, `[x](javascript:…)` typed as text stay text). Links
 * keep only http(s) and mailto addresses; any other scheme becomes plain text. No raw HTML is
 * ever emitted except the marking comment, whose value comes from the fixed TLP list.
 */

const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

export function safeHref(href: string | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

function phrasing(content: Inline[]): PhrasingContent[] {
  return content.flatMap((inline): PhrasingContent[] => {
    const parts = inline.text.split("\n");
    const pieces: PhrasingContent[] = parts.flatMap((part, i): PhrasingContent[] => [...(i > 0 ? [{ type: "break" as const }] : []), ...(part ? [{ type: "text" as const, value: part }] : [])]);
    let node: PhrasingContent[] = pieces;
    if (inline.italic) node = [{ type: "emphasis", children: node }];
    if (inline.bold) node = [{ type: "strong", children: node }];
    const href = safeHref(inline.link);
    if (href) node = [{ type: "link", url: href, children: node }];
    return node;
  });
}

const paragraph = (children: PhrasingContent[]): BlockContent => ({ type: "paragraph", children });
const text = (value: string): PhrasingContent[] => phrasing([{ text: value }]);

export async function documentToMarkdown(doc: DocumentModel): Promise<string> {
  // The marking is one of the TLP labels; it is also a comment so tools can find it.
  const marking = /^TLP:[A-Z+]+$/.test(doc.marking) ? doc.marking : "TLP:AMBER";
  const children: RootContent[] = [
    { type: "html", value: `<!-- ${marking} -->` },
    paragraph([{ type: "strong", children: text(doc.marking) }]),
    { type: "heading", depth: 1, children: text(doc.title) },
  ];
  if (doc.subtitle) children.push(paragraph([{ type: "emphasis", children: text(doc.subtitle) }]));
  if (doc.meta?.length) {
    children.push({ type: "list", ordered: false, spread: false, children: doc.meta.map((m) => ({ type: "listItem", spread: false, children: [paragraph(text(`${m.label}: ${m.value}`))] })) });
  }
  for (const block of doc.blocks) {
    if (block.type === "heading") children.push({ type: "heading", depth: (block.level + 1) as 2 | 3 | 4, children: text(block.text) });
    else if (block.type === "paragraph") children.push(paragraph(phrasing(block.content)));
    else if (block.type === "quote") children.push({ type: "blockquote", children: [paragraph(phrasing(block.content))] });
    else if (block.type === "note") children.push(paragraph([{ type: "emphasis", children: text(block.text) }]));
    else if (block.type === "list") {
      children.push({ type: "list", ordered: block.ordered, spread: false, children: block.items.map((item) => ({ type: "listItem", spread: false, children: [paragraph(phrasing(item))] })) });
    } else if (block.type === "table") {
      const row = (cells: string[]): TableRow => ({ type: "tableRow", children: cells.map((c) => ({ type: "tableCell", children: text(c.replace(/\n/g, " ")) })) });
      children.push({ type: "table", children: [row(block.header), ...block.rows.map(row)] });
    }
  }
  // The footer says what the file is (a record's status, adoption and SHA-256), as on every PDF/DOCX page.
  if (doc.footerNote) children.push(paragraph([{ type: "emphasis", children: text(doc.footerNote) }]));
  children.push(paragraph([{ type: "strong", children: text(doc.marking) }]));
  const root: Root = { type: "root", children };
  // The serialiser and its table extension are loaded by the first Markdown export (ADR 048).
  const [{ toMarkdown }, { gfmTableToMarkdown }] = await Promise.all([import("mdast-util-to-markdown"), import("mdast-util-gfm-table")]);
  return toMarkdown(root, { extensions: [gfmTableToMarkdown()], bullet: "-", emphasis: "_", strong: "*", resourceLink: true });
}
