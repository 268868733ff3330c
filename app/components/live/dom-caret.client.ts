import { Extension } from "@tiptap/core";
import { Plugin, PluginKey, TextSelection } from "@tiptap/pm/state";
import type { EditorView } from "@tiptap/pm/view";

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
