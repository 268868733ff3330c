import * as Y from "yjs";
import { paintChip, type ChipTitles } from "~/components/minutes/chip-titles.client";

/**
 * The minutes as the editor draws them, from the shared Yjs document alone: no ProseMirror,
 * no tiptap (ADR 056). The page opens with this live view; the editor loads when a writer
 * starts editing and takes over on the same document. The DOM is the editor's for the same
 * document — tags, classes and attributes of every node and mark of `minutesExtensions()`,
 * ProseMirror's own trailing breaks and separators, the chips' node view — so nothing moves
 * when the editor takes over (`tests/e2e/minutes-view.test.ts` compares the two).
 *
 * How y-prosemirror (@tiptap/y-tiptap) keeps a document: each node is a Y.XmlElement whose
 * nodeName is the node type and whose attributes are the node's attributes (nulls left out);
 * runs of text are Y.XmlText whose formatting attributes are the marks, keyed by mark name,
 * valued by the mark's attributes. Inline nodes (hard break, chip) carry no marks.
 */

/** What was typed into the view before the editor was there, replayed into it once it is. */
export type PendingInput =
  | { text: string }
  | { key: "Enter" | "Shift-Enter" | "Backspace" | "Delete" }
  | { paste: { html: string; text: string } }
  /** A caret move after something typed (Shift+Home to select it): the browser's own move, `Selection.modify`'s terms. */
  | { move: CaretMove }
  /** The caret put somewhere else (a click) after something typed: what follows goes there. */
  | { place: ViewCaret };

export interface CaretMove {
  alter: "move" | "extend";
  direction: "backward" | "forward";
  granularity: "character" | "word" | "line" | "lineboundary" | "documentboundary";
}

/** A key that moves the caret, in `Selection.modify`'s terms; null for any other key. */
export function caretMove(event: KeyboardEvent): CaretMove | null {
  const alter = event.shiftKey ? "extend" : "move";
  const word = event.ctrlKey || event.altKey;
  switch (event.key) {
    case "ArrowLeft":
      return { alter, direction: "backward", granularity: word ? "word" : "character" };
    case "ArrowRight":
      return { alter, direction: "forward", granularity: word ? "word" : "character" };
    case "ArrowUp":
      return { alter, direction: "backward", granularity: "line" };
    case "ArrowDown":
      return { alter, direction: "forward", granularity: "line" };
    case "Home":
      return { alter, direction: "backward", granularity: event.ctrlKey || event.metaKey ? "documentboundary" : "lineboundary" };
    case "End":
      return { alter, direction: "forward", granularity: event.ctrlKey || event.metaKey ? "documentboundary" : "lineboundary" };
    default:
      return null;
  }
}

/** Where the editor's caret goes when it takes over: where it was in the view, kept as Yjs positions. */
export interface ViewCaret {
  anchor: Y.RelativePosition;
  head: Y.RelativePosition;
}

/** What the editor is given when it takes over from the view. */
export interface EditingStart {
  caret: ViewCaret | null;
  inputs: PendingInput[];
  /** Whether it takes the focus (the person was in the view, or typed). */
  focus: boolean;
}

/** Marks outermost first: the schema's rank (link has tiptap priority 1000; then the extensions' order). */
export const MARK_ORDER = ["link", "bold", "code", "italic", "strike", "underline"] as const;
const MARK_TAGS: Record<string, string> = { bold: "strong", code: "code", italic: "em", strike: "s", underline: "u" };
/** The link mark's attributes and defaults (Link.configure in minutes-schema.ts), in their declared order. */
const LINK_DEFAULTS: Record<string, unknown> = { href: null, target: "_blank", rel: "noopener noreferrer nofollow", class: null, title: null };
const LINK_HTML_ATTRIBUTES: Record<string, unknown> = { target: "_blank", rel: "noopener noreferrer nofollow", class: null };
const LINK_PROTOCOLS = ["http", "https", "ftp", "ftps", "mailto", "tel", "callto", "sms", "cid", "xmpp", "http", "https", "mailto"];
const WHITESPACE = /[\0-\u0020\u00A0\u1680\u180E\u2000-\u2029\u205F\u3000]/g;
const TEXTBLOCKS = new Set(["paragraph", "heading", "decision"]);

/** The Yjs types a minutes document is made of. */
type YType = Y.XmlFragment | Y.XmlElement | Y.XmlText;

interface Mark {
  name: string;
  attrs: Record<string, unknown>;
  key: string;
}

/** tiptap's link rule: an address whose scheme is not one of these renders with `href=""` (no `javascript:`). */
function allowedHref(href: unknown): boolean {
  if (!href) return true;
  const pattern = new RegExp(`^(?:(?:${LINK_PROTOCOLS.join("|")}):|[^a-z]|[a-z0-9+.\\-]+(?:[^a-z+.\\-:]|$))`, "i");
  return pattern.test(String(href).replace(WHITESPACE, ""));
}

function marksOf(attributes: Record<string, unknown> | undefined): Mark[] {
  const marks: Mark[] = [];
  for (const name of MARK_ORDER) {
    const value = attributes?.[name];
    if (value == null || value === false) continue;
    const given = typeof value === "object" ? (value as Record<string, unknown>) : {};
    const attrs = name === "link" ? Object.fromEntries(Object.keys(LINK_DEFAULTS).map((k) => [k, given[k] ?? LINK_DEFAULTS[k]])) : {};
    marks.push({ name, attrs, key: `${name}${JSON.stringify(attrs)}` });
  }
  return marks;
}

function markElement(mark: Mark): HTMLElement {
  if (mark.name !== "link") return document.createElement(MARK_TAGS[mark.name]);
  // mergeAttributes(options.HTMLAttributes, rendered attributes), as tiptap does: its keys first.
  const merged: Record<string, unknown> = { ...LINK_HTML_ATTRIBUTES };
  for (const [k, v] of Object.entries(mark.attrs)) merged[k] = k === "class" && merged.class && v ? `${String(merged.class)} ${String(v)}` : v;
  if (!allowedHref(merged.href)) merged.href = "";
  const a = document.createElement("a");
  for (const [k, v] of Object.entries(merged)) if (v != null) a.setAttribute(k, String(v));
  return a;
}

// ProseMirror's own browser checks, for its hack nodes (prosemirror-view's addTextblockHacks).
const agent = typeof navigator === "undefined" ? "" : navigator.userAgent;
const chromeOrSafari = /Chrome\//.test(agent) || (typeof navigator !== "undefined" && /Apple Computer/.test(navigator.vendor));
const gecko = /gecko\/\d/i.test(agent) && !/Chrome\//.test(agent);

function attr(element: Y.XmlElement, name: string): unknown {
  const value = element.getAttribute(name) as unknown;
  return value ?? null;
}

/**
 * Draws a Y.XmlFragment into `root` and keeps it drawn: every change to the document (anyone's)
 * redraws the blocks it touched. A caret the browser shows inside (a writer's, before the editor
 * is there) stays where it was in the text.
 */
export class MinutesView {
  private texts = new WeakMap<Node, { y: Y.XmlText; start: number }>();
  private elements = new WeakMap<Node, Y.XmlElement>();
  private domOf = new WeakMap<YType, Node[]>();
  private blocks = new Map<Y.XmlElement, HTMLElement>();
  private caret: ViewCaret | null = null;
  private unsubscribe: () => void;

  constructor(
    private root: HTMLElement,
    private fragment: Y.XmlFragment,
    private titles: ChipTitles,
    /** The browser's caret moved in the view (a click, a key): where it is now. */
    private onCaret: (caret: ViewCaret) => void = () => {},
  ) {
    this.render();
    // Where the caret is, read before anything is drawn again: the browser reports a click a task
    // later, and a redraw puts a caret in a redrawn block back where the view last knew it to be.
    fragment.doc?.on("beforeTransaction", this.onSelection);
    fragment.observeDeep(this.onChange);
    this.unsubscribe = titles.subscribe(() => {
      this.onSelection();
      this.repaint();
    });
    document.addEventListener("selectionchange", this.onSelection);
  }

  destroy(): void {
    this.fragment.doc?.off("beforeTransaction", this.onSelection);
    this.fragment.unobserveDeep(this.onChange);
    this.unsubscribe();
    document.removeEventListener("selectionchange", this.onSelection);
  }

  /** Where the browser's caret is in the view, as Yjs positions; null when it is not in the view. */
  currentCaret(): ViewCaret | null {
    this.onSelection();
    return this.caret;
  }

  /** Draws every block afresh (after something outside the document changed: the chips' titles). */
  repaint = (): void => {
    this.blocks.clear();
    this.render();
  };

  /** Draws afresh what the browser itself changed in the view (an input it could not be kept from making). */
  restore(): void {
    const caret = this.caret;
    this.repaint();
    if (caret) this.placeCaret(caret);
  }

  private onChange = (events: Array<Y.YEvent<Y.XmlElement | Y.XmlText | Y.XmlFragment>>): void => {
    for (const event of events) {
      // The top-level block each change is in is drawn again; a change at the top adds or removes blocks.
      let type: YType | null = event.target as YType;
      while (type && type.parent !== this.fragment && type !== this.fragment) type = type.parent as YType | null;
      if (type instanceof Y.XmlElement) this.blocks.delete(type);
    }
    this.render();
  };

  private onSelection = (): void => {
    const selection = document.getSelection();
    if (!selection?.anchorNode || !selection.focusNode || !this.root.contains(selection.anchorNode) || !this.root.contains(selection.focusNode)) return;
    const anchor = this.yPoint(selection.anchorNode, selection.anchorOffset);
    const head = this.yPoint(selection.focusNode, selection.focusOffset);
    if (!anchor || !head) return;
    const caret = { anchor: Y.createRelativePositionFromTypeIndex(anchor.type, anchor.index), head: Y.createRelativePositionFromTypeIndex(head.type, head.index) };
    const moved = !this.caret || !Y.compareRelativePositions(this.caret.anchor, caret.anchor) || !Y.compareRelativePositions(this.caret.head, caret.head);
    this.caret = caret;
    if (moved) this.onCaret(caret);
  };

  private render(): void {
    const shown = document.getSelection()?.anchorNode ?? null;
    const focused = this.root.contains(shown);
    const children: HTMLElement[] = [];
    for (const child of this.fragment.toArray()) {
      if (!(child instanceof Y.XmlElement)) continue;
      let dom = this.blocks.get(child);
      if (!dom) {
        const drawn = this.node(child);
        if (!(drawn instanceof HTMLElement)) continue;
        dom = drawn;
        this.blocks.set(child, dom);
      }
      children.push(dom);
    }
    // Only what changed is replaced, so a redraw of one block leaves the others (and a caret in
    // them) alone. Blocks that went are taken out first: moving a block that stays (insertBefore
    // on a node already in place) would take it out and put it back, and the browser then puts a
    // caret inside it between the blocks, so keys typed next went elsewhere (ADR 056).
    const kept = new Set<Node>(children);
    for (const child of [...this.root.childNodes]) if (!kept.has(child)) child.remove();
    let at: ChildNode | null = this.root.firstChild;
    for (const dom of children) {
      if (at === dom) {
        at = at.nextSibling;
        continue;
      }
      this.root.insertBefore(dom, at);
    }
    // A caret in a block drawn afresh goes back to its place in the text; one elsewhere stays as it is.
    if (focused && this.caret && !this.root.contains(shown)) this.placeCaret(this.caret);
  }

  /** One node and what it holds, as the editor renders it; null for what the schema does not know. */
  private node(element: Y.XmlElement): Node | null {
    const name = element.nodeName;
    let dom: HTMLElement;
    switch (name) {
      case "paragraph":
        dom = document.createElement("p");
        break;
      case "heading": {
        const level = Number(attr(element, "level"));
        dom = document.createElement(`h${level === 3 ? 3 : 2}`);
        const agendaItemId = attr(element, "agendaItemId");
        if (agendaItemId) dom.setAttribute("data-agenda-item", String(agendaItemId));
        break;
      }
      case "blockquote":
        dom = document.createElement("blockquote");
        break;
      case "bulletList":
        dom = document.createElement("ul");
        break;
      case "orderedList": {
        dom = document.createElement("ol");
        const start = attr(element, "start") ?? 1;
        const type = attr(element, "type");
        if (start !== 1) dom.setAttribute("start", String(start));
        if (type && type !== "1") dom.setAttribute("type", String(type));
        break;
      }
      case "listItem":
        dom = document.createElement("li");
        break;
      case "decision": {
        dom = document.createElement("div");
        const id = attr(element, "id");
        const number = attr(element, "number");
        if (id != null) dom.setAttribute("data-decision", String(id));
        if (number) dom.setAttribute("data-number", String(number));
        dom.setAttribute("class", "decision");
        break;
      }
      case "hardBreak":
        dom = document.createElement("br");
        break;
      case "actionItem": {
        // The chip's node view (live-chips.client.ts): its title from the page's data, never the document's.
        dom = document.createElement("span");
        dom.className = "action-chip";
        dom.contentEditable = "false";
        const id = attr(element, "id");
        paintChip(dom, this.titles, id == null ? null : String(id), attr(element, "ref"));
        break;
      }
      default:
        return null;
    }
    this.elements.set(dom, element);
    this.domOf.set(element, [dom]);
    if (TEXTBLOCKS.has(name)) this.inline(element, dom);
    else if (name !== "hardBreak" && name !== "actionItem")
      for (const child of element.toArray()) {
        if (!(child instanceof Y.XmlElement)) continue;
        const drawn = this.node(child);
        if (drawn) dom.appendChild(drawn);
      }
    return dom;
  }

  /** A textblock's content: text under its marks (shared by neighbours, as ProseMirror does), inline nodes, and the hack nodes. */
  private inline(element: Y.XmlElement, top: HTMLElement): void {
    const open: Array<{ mark: Mark; dom: HTMLElement }> = [];
    const parentFor = (marks: Mark[]) => {
      let keep = 0;
      while (keep < open.length && keep < marks.length && open[keep].mark.key === marks[keep].key) keep++;
      open.length = keep;
      for (const mark of marks.slice(keep)) {
        const dom = markElement(mark);
        (open.at(-1)?.dom ?? top).appendChild(dom);
        open.push({ mark, dom });
      }
      return open.at(-1)?.dom ?? top;
    };
    let last: Node | null = null;
    for (const child of element.toArray()) {
      if (child instanceof Y.XmlText) {
        let start = 0;
        const nodes: Node[] = [];
        for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
          if (typeof op.insert !== "string" || !op.insert) continue;
          const text = document.createTextNode(op.insert);
          parentFor(marksOf(op.attributes)).appendChild(text);
          this.texts.set(text, { y: child, start });
          nodes.push(text);
          start += op.insert.length;
          last = text;
        }
        this.domOf.set(child, nodes);
      } else if (child instanceof Y.XmlElement) {
        const drawn = this.node(child);
        if (!drawn) continue;
        parentFor([]).appendChild(drawn);
        last = drawn;
      }
    }
    // prosemirror-view: a textblock that is empty, or ends in something other than text, gets a
    // trailing <br> (and, in Chrome and Safari, after an uneditable node, a separator image).
    const text = last instanceof Text ? (last.nodeValue ?? "") : null;
    if (text === null || /\n$/.test(text) || (gecko && /\s$/.test(text))) {
      if (chromeOrSafari && last instanceof HTMLElement && last.contentEditable === "false") {
        const img = document.createElement("img");
        img.className = "ProseMirror-separator";
        img.alt = "";
        (last.parentNode ?? top).appendChild(img);
      }
      const br = document.createElement("br");
      br.className = "ProseMirror-trailingBreak";
      top.appendChild(br);
    }
  }

  /** A point of the DOM as a point of the Yjs document (a type and an index in it). */
  private yPoint(node: Node, offset: number): { type: YType; index: number } | null {
    // Inside a chip (its label is not the document's text): the point just after it.
    for (let at: Node | null = node; at && at !== this.root; at = at.parentNode) {
      const element = this.elements.get(at);
      if (element?.nodeName === "actionItem") return this.endOf(at);
    }
    const text = this.texts.get(node);
    if (text) return { type: text.y, index: text.start + Math.min(offset, node.nodeValue?.length ?? 0) };
    if (node === this.root) {
      const children = [...this.root.childNodes];
      const after = children[offset];
      const element = after ? this.elements.get(after) : undefined;
      return { type: this.fragment, index: element ? this.fragment.toArray().indexOf(element) : this.fragment.length };
    }
    const children = [...node.childNodes];
    // The first thing at or after the point that belongs to the document; else the end of what holds it.
    for (let i = offset; i < children.length; i++) {
      const found = this.startOf(children[i]);
      if (found) return found;
    }
    for (let i = Math.min(offset, children.length) - 1; i >= 0; i--) {
      const found = this.endOf(children[i]);
      if (found) return found;
    }
    const own = this.elements.get(node);
    if (own) return { type: own, index: 0 };
    return node.parentNode ? this.yPoint(node.parentNode, [...node.parentNode.childNodes].indexOf(node as ChildNode)) : null;
  }

  private startOf(node: Node): { type: YType; index: number } | null {
    const text = this.texts.get(node);
    if (text) return { type: text.y, index: text.start };
    const element = this.elements.get(node);
    if (element?.parent) return { type: element.parent as YType, index: (element.parent as Y.XmlElement).toArray().indexOf(element) };
    for (const child of node.childNodes) {
      const found = this.startOf(child);
      if (found) return found;
    }
    return null;
  }

  private endOf(node: Node): { type: YType; index: number } | null {
    const text = this.texts.get(node);
    if (text) return { type: text.y, index: text.start + (node.nodeValue?.length ?? 0) };
    const element = this.elements.get(node);
    if (element?.parent) return { type: element.parent as YType, index: (element.parent as Y.XmlElement).toArray().indexOf(element) + 1 };
    const children = [...node.childNodes];
    for (let i = children.length - 1; i >= 0; i--) {
      const found = this.endOf(children[i]);
      if (found) return found;
    }
    return null;
  }

  /** Puts the browser's caret back where `caret` says, in the view as now drawn. */
  private placeCaret(caret: ViewCaret): void {
    const doc = this.fragment.doc;
    if (!doc) return;
    const at = (rel: Y.RelativePosition) => Y.createAbsolutePositionFromRelativePosition(rel, doc) as { type: YType; index: number } | null;
    const anchor = this.domPoint(at(caret.anchor));
    const head = this.domPoint(at(caret.head));
    if (!anchor || !head) return;
    document.getSelection()?.setBaseAndExtent(anchor.node, anchor.offset, head.node, head.offset);
  }

  private domPoint(at: { type: YType; index: number } | null): { node: Node; offset: number } | null {
    if (!at) return null;
    const nodes = this.domOf.get(at.type);
    if (at.type instanceof Y.XmlText) {
      for (const node of nodes ?? []) {
        const { start } = this.texts.get(node)!;
        if (at.index <= start + (node.nodeValue?.length ?? 0)) return { node, offset: Math.max(0, at.index - start) };
      }
      const holder = at.type.parent;
      return holder instanceof Y.XmlElement ? this.domPoint({ type: holder, index: holder.toArray().indexOf(at.type) }) : null;
    }
    const dom = at.type === this.fragment ? this.root : nodes?.[0];
    if (!dom) return null;
    const children = at.type instanceof Y.XmlElement || at.type instanceof Y.XmlFragment ? at.type.toArray() : [];
    const next = children[at.index];
    if (next) {
      const target = this.domOf.get(next as YType)?.[0];
      if (target instanceof Text) return { node: target, offset: 0 };
      if (target?.parentNode) return { node: target.parentNode, offset: [...target.parentNode.childNodes].indexOf(target as ChildNode) };
    }
    const lastText = [...(this.domOf.get(children.at(-1) as YType) ?? [])].at(-1);
    if (lastText instanceof Text) return { node: lastText, offset: lastText.nodeValue?.length ?? 0 };
    return { node: dom, offset: dom === this.root ? dom.childNodes.length : 0 };
  }
}

const LEAVES = new Set(["hardBreak", "actionItem"]);

/** A node's ProseMirror size from its Yjs form: text its length, a leaf 1, any other node 2 + its content. */
function sizeOf(node: unknown): number {
  if (node instanceof Y.XmlText) return node.length;
  if (!(node instanceof Y.XmlElement)) return 0;
  if (LEAVES.has(node.nodeName)) return 1;
  return 2 + node.toArray().reduce((sum: number, child) => sum + sizeOf(child), 0);
}

/** Where the content of `type` starts, as a ProseMirror position. */
function contentStart(type: YType, fragment: Y.XmlFragment): number | null {
  if (type === fragment) return 0;
  const parent = type.parent as YType | null;
  if (!parent) return null;
  const start = contentStart(parent, fragment);
  if (start === null) return null;
  let pos = start;
  for (const sibling of (parent as Y.XmlElement | Y.XmlFragment).toArray()) {
    if (sibling === type) return type instanceof Y.XmlText ? pos : pos + 1;
    pos += sizeOf(sibling);
  }
  return null;
}

/**
 * A Yjs relative position as a ProseMirror position of the minutes' schema, from the Yjs
 * document alone: for when y-tiptap's own conversion, which needs its node mapping, has none
 * (a sync rebuilding it at the moment the editor takes over).
 */
export function proseMirrorPosition(fragment: Y.XmlFragment, rel: Y.RelativePosition): number | null {
  if (!fragment.doc) return null;
  const at = Y.createAbsolutePositionFromRelativePosition(rel, fragment.doc) as { type: YType; index: number } | null;
  if (!at) return null;
  const start = contentStart(at.type, fragment);
  if (start === null) return null;
  if (at.type instanceof Y.XmlText) return start + at.index;
  return start + at.type.toArray().slice(0, at.index).reduce((sum: number, child) => sum + sizeOf(child), 0);
}
