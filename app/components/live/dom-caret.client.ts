import type { HocuspocusProvider } from "@hocuspocus/provider";
import { Extension, type Editor } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";
import { absolutePositionToRelativePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect } from "react";
import * as Y from "yjs";

/**
 * The caret the browser shows, as positions of the document; null when the editor has no focus
 * or the caret is elsewhere (or inside a widget such as someone else's caret label).
 */
export function caretInDom(view: EditorView): { anchor: number; head: number } | null {
  if (!view.hasFocus()) return null;
  const dom = window.getSelection();
  if (!dom?.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return null;
  try {
    return { anchor: view.posAtDOM(dom.anchorNode, dom.anchorOffset), head: view.posAtDOM(dom.focusNode, dom.focusOffset) };
  } catch {
    return null;
  }
}

/**
 * Keeps a caret the browser has just moved (a click, End) when a plugin updates the editor before
 * ProseMirror has read that move. y-tiptap redraws the others' carets with transactions that only
 * carry metadata, built from the editor's state; ProseMirror then writes that state's caret back
 * into the page, so a click made a moment before was undone and the next keystrokes went where
 * the caret had been (for a page just opened, the start of the document: "Attendance"). Caught
 * in the act by a probe: mousedown, mouseup, then such a transaction putting the caret into the
 * first block 14 ms later. Such a transaction now takes the caret the browser shows.
 */
export const KeepBrowserCaret = Extension.create({
  name: "keepBrowserCaret",
  addProseMirrorPlugins() {
    let view: EditorView | null = null;
    return [
      new Plugin({
        key: new PluginKey("keepBrowserCaret"),
        view(editorView) {
          view = editorView;
          return { destroy: () => void (view = null) };
        },
        appendTransaction(transactions, _old, state) {
          if (!view || view.composing || transactions.some((tr) => tr.docChanged || tr.selectionSet)) return null;
          if (!(state.selection instanceof TextSelection)) return null;
          const seen = caretInDom(view);
          if (!seen || (seen.anchor === state.selection.anchor && seen.head === state.selection.head)) return null;
          if (seen.anchor > state.doc.content.size || seen.head > state.doc.content.size) return null;
          return state.tr.setSelection(TextSelection.create(state.doc, seen.anchor, seen.head));
        },
      }),
    ];
  },
});

/**
 * A caret at the end of a line, as a Yjs position that stays at the end of that line when someone
 * else types there; null when `pos` is not at the end of a line ending in text.
 *
 * y-tiptap anchors a caret to the character on its left (Yjs assoc -1), so a caret at the end of
 * "U" stays between "U" and the "S" that the line's writer types next. Three delegations pressing
 * Ctrl+End, Enter at once: one Ctrl+End lands at the end of another's line just begun ("U"), the
 * next keystroke of that line arrives, and the Enter then splits it, carrying "S" into the new
 * line (reproduced in `tests/e2e/minutes-placement.test.ts`: "Uline 1", "JP line 1S"). A caret
 * at the end of an empty line is already the line's end in y-tiptap (so it follows what is
 * typed there); this makes a non-empty line the same, as most editors do with a remote insert
 * at the caret. A caret inside a line keeps y-tiptap's anchoring.
 */
function endOfLine(editor: Editor, b: YBinding, doc: Y.Doc, pos: number): Y.RelativePosition | null {
  const $pos = editor.state.doc.resolve(pos);
  if (!$pos.parent.isTextblock || $pos.parent.content.size === 0 || $pos.parentOffset !== $pos.parent.content.size) return null;
  try {
    const left = absolutePositionToRelativePosition(pos, b.type, b.mapping);
    const at = left ? Y.createAbsolutePositionFromRelativePosition(left, doc) : null;
    if (!at || !(at.type instanceof Y.XmlText) || at.index !== at.type.length) return null;
    const line = at.type.parent;
    if (!(line instanceof Y.XmlElement) || line.get(line.length - 1) !== at.type) return null;
    return Y.createRelativePositionFromTypeIndex(line, line.length, 0);
  } catch {
    // A mapping y-tiptap has not brought up to date yet (it runs inside Yjs's transaction): keep its own position.
    return null;
  }
}

interface YBinding {
  beforeTransactionSelection: Record<string, unknown> | null;
  type: Parameters<typeof absolutePositionToRelativePosition>[1];
  mapping: Parameters<typeof absolutePositionToRelativePosition>[2];
}

/**
 * The live editors' carets against remote changes: each stays where its delegate put it. With
 * `KeepBrowserCaret` among the editor's extensions, this is the whole of it (ADR 013).
 */
export function useCaretWhereSeen(editor: Editor | null, provider: HocuspocusProvider, doc: Y.Doc): void {
  // Why lines landed in other people's sections: the browser moves the caret at once when you
  // click, but ProseMirror reads that from the DOM only at the next selectionchange event. A
  // remote change arriving in between is applied against the old caret (for a first click:
  // the start of the document), which y-prosemirror then "restores" over the click, so the
  // next keystrokes go where the caret was before. Reading the DOM's caret into the editor
  // before every incoming message narrows that window; the binding's capture below and
  // KeepBrowserCaret (for the carets' redraws) close it.
  useEffect(() => {
    if (!editor) return;
    const readCaretFromDom = () => {
      if (editor.isDestroyed) return;
      const observer = (editor.view as unknown as { domObserver?: { forceFlush(): void; flush(): void } }).domObserver;
      observer?.forceFlush();
      observer?.flush();
    };
    provider.on("message", readCaretFromDom);
    // The root cause of lines landing in another delegation's section (and of headings above
    // "Attendance"): after a remote change, y-tiptap first puts each caret back through its
    // Yjs relative position (stable under concurrent edits), then "recovers" it by content
    // when it looks misplaced: a caret at the start of a block is moved to the Nth block
    // with the same type and text, counted from the top. Three delegations pressing Enter
    // at once make many empty paragraphs, so the Nth one is someone else's. Without the
    // absolute positions it keys on, that heuristic is skipped and the Yjs position stands.
    //
    // And the caret restored is the one the delegate sees. A remote change replaces the whole
    // ProseMirror document and puts the selection back from what the binding captured from the
    // editor's state; when the browser has moved the caret (a click, End) and ProseMirror has
    // not read it yet, that is the old caret, for a page just opened the start of the document:
    // the next keystrokes went into "Attendance" or above it (reproduced: 2 of 15 first clicks
    // while another delegation typed). So when the editor has focus and the DOM's caret lies in
    // it, that caret is what is kept, as Yjs relative positions.
    const binding = () => (ySyncPluginKey.getState(editor.state) as { binding?: YBinding } | undefined)?.binding;
    const keepYjsPosition = () => {
      const b = binding();
      const selection = b?.beforeTransactionSelection;
      if (!b || !selection) return;
      delete selection.absAnchor;
      delete selection.absHead;
      if (selection.type !== "text") return;
      let { anchor, head } = editor.state.selection;
      const seen = caretInDom(editor.view);
      if (seen && (seen.anchor !== anchor || seen.head !== head)) {
        const relAnchor = absolutePositionToRelativePosition(seen.anchor, b.type, b.mapping);
        const relHead = absolutePositionToRelativePosition(seen.head, b.type, b.mapping);
        if (relAnchor && relHead) {
          selection.anchor = relAnchor;
          selection.head = relHead;
          ({ anchor, head } = seen);
        }
      }
      if (anchor !== head) return;
      const end = endOfLine(editor, b, doc, head);
      if (end) selection.anchor = selection.head = end;
    };
    // Registered after the binding's own listener (the editor exists), so it runs just after it.
    doc.on("beforeAllTransactions", keepYjsPosition);
    return () => {
      provider.off("message", readCaretFromDom);
      doc.off("beforeAllTransactions", keepYjsPosition);
    };
  }, [editor, provider, doc]);
}
