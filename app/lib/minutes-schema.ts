import { Extension, mergeAttributes, Node, type Extensions } from "@tiptap/core";
import Blockquote from "@tiptap/extension-blockquote";
import Document from "@tiptap/extension-document";
import Heading from "@tiptap/extension-heading";
import { BulletList } from "@tiptap/extension-list/bullet-list";
import { ListItem } from "@tiptap/extension-list/item";
import { OrderedList } from "@tiptap/extension-list/ordered-list";
import { Plugin, PluginKey, TextSelection, type EditorState, type Transaction } from "@tiptap/pm/state";
import type { Node as ProseMirrorNode, Slice } from "@tiptap/pm/model";
import Bold from "@tiptap/extension-bold";
import Code from "@tiptap/extension-code";
import HardBreak from "@tiptap/extension-hard-break";
import Italic from "@tiptap/extension-italic";
import Link from "@tiptap/extension-link";
import Paragraph from "@tiptap/extension-paragraph";
import Strike from "@tiptap/extension-strike";
import Text from "@tiptap/extension-text";
import Underline from "@tiptap/extension-underline";
import { Dropcursor } from "@tiptap/extensions/drop-cursor";
import { Gapcursor } from "@tiptap/extensions/gap-cursor";
import { ySyncPluginKey } from "@tiptap/y-tiptap";
import { chipLabel } from "./minutes-document";

export { chipLabel, MINUTES_FIELD, meetingIdOfDocument, minutesDocumentName } from "./minutes-document";

/**
 * The minutes document's schema, shared by the browser's editor and the server (which builds
 * new documents, renders HTML and extracts text from the same definition).
 *
 * Every content expression uses `*`, never `+`: when concurrent edits merge into a shape a
 * `+` would forbid (a list with no item, an empty quote), y-prosemirror drops the node and
 * its text silently. With `*` the merged content stays.
 */

/** A decision of the body: numbered in the body's decision register by the server. */
export const Decision = Node.create({
  name: "decision",
  group: "block",
  content: "inline*",
  defining: true,
  addAttributes() {
    return {
      id: { default: null, parseHTML: (el) => el.getAttribute("data-decision"), renderHTML: (a) => ({ "data-decision": a.id }) },
      number: {
        default: null,
        parseHTML: (el) => (el.getAttribute("data-number") ? Number(el.getAttribute("data-number")) : null),
        renderHTML: (a) => (a.number ? { "data-number": a.number } : {}),
      },
    };
  },
  parseHTML() {
    return [{ tag: "div[data-decision]" }];
  },
  renderHTML({ HTMLAttributes }) {
    return ["div", mergeAttributes(HTMLAttributes, { class: "decision" }), 0];
  },
});

/**
 * A real action item, shown inline as a chip with its live status. The shared document holds
 * only its reference (`id`, `ref`), never its title (ADR 042): the title is the item's, whose
 * TLP audience may be smaller than the minutes'. `title` is filled in a reader's copy on the
 * server (HTML, exports) and drawn from the page's data in the editor.
 */
export const ActionItemChip = Node.create({
  name: "actionItem",
  group: "inline",
  inline: true,
  atom: true,
  selectable: true,
  addAttributes() {
    return {
      id: { default: null, parseHTML: (el) => el.getAttribute("data-action-item"), renderHTML: (a) => ({ "data-action-item": a.id }) },
      ref: { default: null, parseHTML: (el) => Number(el.getAttribute("data-ref")) || null, renderHTML: (a) => ({ "data-ref": a.ref }) },
      title: { default: null, parseHTML: () => null, renderHTML: () => ({}) },
    };
  },
  parseHTML() {
    return [{ tag: "span[data-action-item]" }];
  },
  renderHTML({ node, HTMLAttributes }) {
    return ["span", mergeAttributes(HTMLAttributes, { class: "action-chip" }), chipLabel(node.attrs.ref, node.attrs.title)];
  },
  renderText({ node }) {
    return `[${chipLabel(node.attrs.ref, node.attrs.title)}]`;
  },
});

/** The agenda's section headings in a document, in order, as one comparable string. */
function agendaHeadingsOf(doc: ProseMirrorNode): string {
  const found: string[] = [];
  doc.forEach((node) => {
    if (node.type.name === "heading" && node.attrs.agendaItemId) found.push(`${node.attrs.agendaItemId}\u0000${node.attrs.level}\u0000${node.textContent}`);
  });
  return found.join("\u0001");
}

/**
 * Section headings that come from the agenda are not ordinary text: no keystroke, paste or
 * command may split, merge, retype or delete them (they change when the agenda does, from
 * the server). Changes arriving from the shared document are never filtered.
 */
const agendaHeadingGuard = new Plugin({
  key: new PluginKey("agendaHeadingGuard"),
  filterTransaction(tr, state) {
    if (!tr.docChanged || tr.getMeta(ySyncPluginKey)) return true;
    return agendaHeadingsOf(state.doc) === agendaHeadingsOf(tr.doc);
  },
});

/**
 * A new paragraph right under the agenda heading the caret is in, with the caret in it; null
 * when the caret is not in one. Typing, pasting or pressing Enter in a heading writes there
 * instead of being refused without a word: people click a section's title to write under
 * it, and a remote change can leave a caret on a heading.
 */
function paragraphBelowHeading(state: EditorState): Transaction | null {
  const { $from, $to } = state.selection;
  const heading = $from.parent;
  if (heading.type.name !== "heading" || !heading.attrs.agendaItemId || !$from.sameParent($to) || $from.depth !== 1) return null;
  const below = $from.after();
  const tr = state.tr.insert(below, state.schema.nodes.paragraph.create());
  return tr.setSelection(TextSelection.create(tr.doc, below + 1)).scrollIntoView();
}

const agendaHeadingInput = Extension.create({
  name: "agendaHeadingInput",
  // Before the keymaps: Enter inside a heading would otherwise split it and be refused.
  priority: 1000,
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey("agendaHeadingInput"),
        props: {
          handleTextInput(view, _from, _to, text) {
            const tr = paragraphBelowHeading(view.state);
            if (!tr) return false;
            view.dispatch(tr.insertText(text));
            return true;
          },
          handlePaste(view, _event, slice: Slice) {
            const tr = paragraphBelowHeading(view.state);
            if (!tr) return false;
            view.dispatch(tr.replaceSelection(slice));
            return true;
          },
          handleKeyDown(view, event) {
            if (event.key !== "Enter" || event.shiftKey || event.isComposing) return false;
            const tr = paragraphBelowHeading(view.state);
            if (!tr) return false;
            view.dispatch(tr);
            return true;
          },
        },
      }),
    ];
  },
});

/** Whether a Yjs element is one of the agenda's section headings (the server's copy of the rule). */
export const isAgendaHeading = (element: { nodeName: string; getAttribute(name: string): unknown }) => element.nodeName === "heading" && !!element.getAttribute("agendaItemId");

/** Section headings remember the agenda item they stand for. */
const SectionHeading = Heading.extend({
  addProseMirrorPlugins() {
    return [...(this.parent?.() ?? []), agendaHeadingGuard];
  },
  addAttributes() {
    return {
      ...this.parent?.(),
      agendaItemId: {
        default: null,
        parseHTML: (el: HTMLElement) => el.getAttribute("data-agenda-item"),
        renderHTML: (a: { agendaItemId?: string | null }) => (a.agendaItemId ? { "data-agenda-item": a.agendaItemId } : {}),
      },
    };
  },
}).configure({ levels: [2, 3] });

export function minutesExtensions(): Extensions {
  return [
    // What the starter kit gave with everything else turned off, in its order, imported one by
    // one (the list package and the extensions package by their subpaths): the minutes editor's
    // bundle then carries no code blocks, rules, list keymaps, task lists, local history or
    // trailing node (ADR 047). Collaboration brings its own history: the local undo must not undo
    // other people's edits; a trailing node would add a paragraph to the empty document before
    // the server's content arrives. `tests/unit/lib/minutes-schema.test.ts` pins the schema.
    Bold,
    Code,
    Dropcursor,
    Gapcursor,
    HardBreak,
    Italic,
    Link.configure({ openOnClick: false, autolink: true, protocols: ["http", "https", "mailto"], HTMLAttributes: { rel: "noopener noreferrer nofollow" } }),
    Paragraph,
    Strike,
    Text,
    Underline,
    Document.extend({ content: "block*" }),
    SectionHeading,
    agendaHeadingInput,
    Blockquote.extend({ content: "block*" }),
    BulletList.extend({ content: "listItem*" }),
    OrderedList.extend({ content: "listItem*" }),
    ListItem.extend({ content: "block*" }),
    Decision,
    ActionItemChip,
  ];
}
