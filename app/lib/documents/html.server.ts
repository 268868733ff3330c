import { ElementType, parseDocument } from "htmlparser2";
import type { ChildNode, Element, Text } from "domhandler";
import type { Block, Inline } from "./model";

/**
 * The app's sanitised rich text (see rich-text.server.ts) as document blocks.
 *
 * The model has no underline, strike-through or code style, so u, s and code keep their words
 * and lose their style. Nested lists are flattened into their parent list, nested items marked
 * with a dash. h3 is the biggest heading rich text can hold (the sanitiser maps h1/h2 to it) and
 * becomes a level-3 heading; h4 becomes a bold paragraph, since the model has only three levels
 * and the first two belong to the agenda itself. A line break (br) is "\n" inside an Inline.
 */
export function htmlToBlocks(html: string): Block[] {
  const doc = parseDocument(html, { decodeEntities: true });
  const blocks: Block[] = [];
  convertBlocks(doc.children, blocks);
  return blocks;
}

type Style = { bold?: boolean; italic?: boolean; link?: string };

const BLOCK_TAGS = new Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "pre", "div"]);

// Guards on the node type, so that only htmlparser2 is imported at run time (not its dependencies).
const isElement = (node: ChildNode): node is Element => ElementType.isTag(node);
const isText = (node: ChildNode): node is Text => node.type === ElementType.Text;
const isBlockElement = (node: ChildNode): node is Element => isElement(node) && BLOCK_TAGS.has(node.name);

/** Block-level children into `out`; loose inline content between blocks becomes a paragraph. */
function convertBlocks(nodes: ChildNode[], out: Block[]): void {
  let loose: ChildNode[] = [];
  const flushLoose = () => {
    pushParagraph(out, collectInlines(loose));
    loose = [];
  };
  for (const node of nodes) {
    if (!isBlockElement(node)) {
      loose.push(node);
      continue;
    }
    flushLoose();
    switch (node.name) {
      case "h1":
      case "h2":
      case "h3": {
        const text = plainText(collectInlines(node.children));
        if (text) out.push({ type: "heading", level: 3, text });
        break;
      }
      case "h4":
      case "h5":
      case "h6":
        pushParagraph(out, collectInlines(node.children, { bold: true }));
        break;
      case "ul":
      case "ol": {
        const items: Inline[][] = [];
        collectListItems(node, 0, items);
        if (items.length) out.push({ type: "list", ordered: node.name === "ol", items });
        break;
      }
      case "blockquote": {
        // A quote holds paragraphs (and sometimes lists): convert them, then quote the paragraphs.
        const inner: Block[] = [];
        convertBlocks(node.children, inner);
        for (const block of inner) out.push(block.type === "paragraph" ? { type: "quote", content: block.content } : block);
        break;
      }
      case "pre":
        pushParagraph(out, collectInlines(node.children, {}, true));
        break;
      default: // p, div
        pushParagraph(out, collectInlines(node.children));
    }
  }
  flushLoose();
}

function pushParagraph(out: Block[], content: Inline[]): void {
  if (content.length) out.push({ type: "paragraph", content });
}

/** Items of a list; items of lists nested inside an item follow it, prefixed with a dash. */
function collectListItems(list: Element, depth: number, items: Inline[][]): void {
  for (const li of list.children) {
    if (!isElement(li) || li.name !== "li") continue;
    const nested = li.children.filter((c): c is Element => isElement(c) && (c.name === "ul" || c.name === "ol"));
    const content = itemContent(li.children.filter((c) => !nested.includes(c as Element)));
    if (content.length) items.push(depth > 0 ? tidy([{ text: "– " }, ...content]) : content);
    for (const sub of nested) collectListItems(sub, depth + 1, items);
  }
}

/**
 * An item's text. Editors wrap it in <p>, and an item may hold several: each paragraph, and each
 * stretch of inline nodes between them, becomes a line of the item.
 */
function itemContent(nodes: ChildNode[]): Inline[] {
  const lines: Inline[][] = [];
  let loose: ChildNode[] = [];
  const flushLoose = () => {
    lines.push(collectInlines(loose));
    loose = [];
  };
  for (const node of nodes) {
    if (!isBlockElement(node)) {
      loose.push(node);
      continue;
    }
    flushLoose();
    lines.push(collectInlines(node.children));
  }
  flushLoose();
  return tidy(joinWithBreaks(lines.filter((line) => line.length > 0)));
}

function joinWithBreaks(lines: Inline[][]): Inline[] {
  return lines.flatMap((line, i) => (i === 0 ? line : [{ text: "\n" }, ...line]));
}

/** The styled text runs of inline nodes, whitespace collapsed as a browser would (except in pre). */
function collectInlines(nodes: ChildNode[], style: Style = {}, pre = false): Inline[] {
  const runs: Inline[] = [];
  const walk = (node: ChildNode, s: Style) => {
    if (isText(node)) {
      const text = pre ? node.data : node.data.replace(/[ \t\n\r\f]+/g, " ");
      if (text) runs.push({ text, ...s });
      return;
    }
    if (!isElement(node)) return; // comments, directives
    const name = node.name;
    if (name === "br") {
      runs.push({ text: "\n", ...s });
      return;
    }
    let next = s;
    if (name === "strong" || name === "b") next = { ...s, bold: true };
    else if (name === "em" || name === "i") next = { ...s, italic: true };
    else if (name === "a" && node.attribs.href) next = { ...s, link: node.attribs.href };
    // Block elements met inside inline content (e.g. a p inside an li) read as their own line.
    if (BLOCK_TAGS.has(name) && runs.length) runs.push({ text: "\n" });
    for (const child of node.children) walk(child, next);
  };
  for (const node of nodes) walk(node, style);
  return pre ? trimNewlines(merge(runs)) : tidy(runs);
}

/** Preformatted text as written, without the newlines that open or close the block. */
function trimNewlines(runs: Inline[]): Inline[] {
  const out = runs.map((run, i) => {
    let text = run.text;
    if (i === 0) text = text.replace(/^\n+/, "");
    if (i === runs.length - 1) text = text.replace(/\n+$/, "");
    return { ...run, text };
  });
  return out.filter((run) => run.text.length > 0);
}

/**
 * Collapse the whitespace the HTML source leaves between runs: no spaces at the start or end,
 * none around line breaks, no doubled spaces across run boundaries; merge runs of one style.
 */
function tidy(runs: Inline[]): Inline[] {
  const out: Inline[] = [];
  let atLineStart = true;
  for (const run of runs) {
    let text = run.text;
    if (text === "\n") {
      if (out.length) out[out.length - 1] = { ...out[out.length - 1], text: out[out.length - 1].text.replace(/ +$/, "") };
      atLineStart = true;
    } else {
      text = text.replace(/ {2,}/g, " ");
      if (atLineStart) text = text.replace(/^ +/, "");
      else if (out.length && out[out.length - 1].text.endsWith(" ")) text = text.replace(/^ +/, "");
      if (!text) continue;
      atLineStart = false;
    }
    out.push({ ...run, text });
  }
  // Drop leading/trailing breaks and spaces.
  while (out.length && out[0].text === "\n") out.shift();
  while (out.length && out[out.length - 1].text === "\n") out.pop();
  if (out.length) {
    const last = out[out.length - 1];
    out[out.length - 1] = { ...last, text: last.text.replace(/ +$/, "") };
    if (!out[out.length - 1].text) out.pop();
  }
  return merge(out);
}

/** Merge neighbouring runs of the same style, so renderers write fewer, longer runs. */
function merge(runs: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const run of runs) {
    const prev = out[out.length - 1];
    if (prev && !!prev.bold === !!run.bold && !!prev.italic === !!run.italic && prev.link === run.link) {
      out[out.length - 1] = { ...prev, text: prev.text + run.text };
    } else {
      out.push(clean(run));
    }
  }
  return out;
}

/** A run without `undefined` or `false` style keys, so results compare cleanly. */
function clean(run: Inline): Inline {
  const out: Inline = { text: run.text };
  if (run.bold) out.bold = true;
  if (run.italic) out.italic = true;
  if (run.link) out.link = run.link;
  return out;
}

const plainText = (runs: Inline[]) => runs.map((r) => r.text).join("").replace(/\s+/g, " ").trim();
