import "~/components/every-page";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { HocuspocusProvider } from "@hocuspocus/provider";
import { Selection, TextSelection } from "@tiptap/pm/state";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import { relativePositionToAbsolutePosition, ySyncPluginKey } from "@tiptap/y-tiptap";
import { useEffect, useRef, useState } from "react";
import type * as Y from "yjs";
import { useTranslation } from "~/components/i18n";
import { KeepBrowserCaret, useCaretWhereSeen } from "~/components/live/dom-caret.client";
import type { ChipTitles } from "~/components/minutes/chip-titles.client";
import { withLiveChips } from "~/components/minutes/live-chips.client";
import { proseMirrorPosition, type EditingStart, type PendingInput } from "~/components/minutes/minutes-view.client";
import type { ToolbarCommands } from "~/components/minutes/minutes-toolbar";
import { MINUTES_FIELD, minutesExtensions } from "~/lib/minutes-schema";

export interface MinutesEditorProps {
  /** The live document and its connection, owned by the live view (live-minutes.client.tsx): one connection, one local copy. */
  doc: Y.Doc;
  provider: HocuspocusProvider;
  /** How this person's caret is labelled for the others. */
  user: { name: string; colour: string };
  editable: boolean;
  /** Creates an action item from the selected words; resolves to what the chip shows. */
  createAction: ((title: string, agendaItemId: string | null) => Promise<{ id: string; ref: number; title: string } | null>) | null;
  /** The chips' titles, from the page's data (ADR 042), shared with the view. */
  titles: ChipTitles;
  /** The text box's accessible name. */
  label: string;
  /** Built hidden, shown when it takes over from the view. */
  shown: boolean;
  /** Called once the editor has the document: `begin` takes the view's caret and what was typed there. */
  onReady: (begin: (start: EditingStart) => void) => void;
  /** The toolbar's commands on this editor (null when it goes): the toolbar is the page's, drawn before the editor came. */
  onCommands: (commands: ToolbarCommands | null) => void;
}

/** The agenda item of the section the selection is in: the last section heading before it. */
function sectionOf(editor: Editor): string | null {
  let found: string | null = null;
  editor.state.doc.nodesBetween(0, editor.state.selection.from, (node) => {
    if (node.type.name === "heading" && node.attrs.agendaItemId) found = String(node.attrs.agendaItemId);
  });
  return found;
}

interface YBinding {
  doc: Y.Doc;
  type: Parameters<typeof relativePositionToAbsolutePosition>[1];
  mapping: Parameters<typeof relativePositionToAbsolutePosition>[3];
}

/**
 * Takes over from the live view: the caret where it was there (kept as Yjs positions, so text
 * others typed meanwhile does not move it), then what was typed before the editor was here,
 * each key through the editor's own handling (input rules, Enter under an agenda heading…).
 */
function takeOver(editor: Editor, { caret, inputs, focus }: EditingStart) {
  const view = editor.view;
  const binding = (ySyncPluginKey.getState(view.state) as { binding?: YBinding } | undefined)?.binding;
  const doc = view.state.doc;
  const clamp = (n: number) => Math.max(0, Math.min(n, doc.content.size));
  const fragment = binding?.type as Y.XmlFragment | undefined;
  const at = (rel: Y.RelativePosition) => (binding ? (relativePositionToAbsolutePosition(binding.doc, binding.type, rel, binding.mapping) ?? (fragment ? proseMirrorPosition(fragment, rel) : null)) : null);
  const anchor = caret ? at(caret.anchor) : null;
  const head = caret ? at(caret.head) : null;
  const selection = anchor != null && head != null ? TextSelection.between(doc.resolve(clamp(anchor)), doc.resolve(clamp(head))) : Selection.atEnd(doc);
  if (!focus) {
    if (caret) view.dispatch(view.state.tr.setSelection(selection));
    return;
  }
  // Focus first, then the caret: focusing puts the browser's caret at the start of the text, and
  // a transaction meanwhile (the focus's own) would take it from there (KeepBrowserCaret).
  view.focus();
  view.dispatch(view.state.tr.setSelection(selection).scrollIntoView());
  for (const input of inputs) {
    try {
      if ("place" in input) {
        const a = at(input.place.anchor);
        const h = at(input.place.head);
        const now = view.state.doc;
        const fit = (n: number) => Math.max(0, Math.min(n, now.content.size));
        if (a != null && h != null) view.dispatch(view.state.tr.setSelection(TextSelection.between(now.resolve(fit(a)), now.resolve(fit(h)))));
      } else replay(editor, input);
    } catch (error) {
      // One key the editor could not take must not lose the ones after it.
      console.error(error);
    }
  }
}

function replay(editor: Editor, input: PendingInput) {
  const view = editor.view;
  if ("place" in input) return; // placed by takeOver, which has the Yjs binding
  if ("text" in input) {
    const { from, to } = view.state.selection;
    const insert = () => view.state.tr.insertText(input.text, from, to);
    if (!view.someProp("handleTextInput", (f) => f(view, from, to, input.text, insert))) view.dispatch(insert().scrollIntoView());
  } else if ("move" in input) {
    // The browser moves the caret as the key would have, then the editor takes the browser's caret.
    const dom = document.getSelection();
    dom?.modify(input.move.alter, input.move.direction, input.move.granularity);
    if (!dom?.anchorNode || !dom.focusNode || !view.dom.contains(dom.anchorNode) || !view.dom.contains(dom.focusNode)) return;
    try {
      const doc = view.state.doc;
      const selection = TextSelection.between(doc.resolve(view.posAtDOM(dom.anchorNode, dom.anchorOffset)), doc.resolve(view.posAtDOM(dom.focusNode, dom.focusOffset)));
      view.dispatch(view.state.tr.setSelection(selection));
    } catch {
      // A point ProseMirror cannot place (inside a widget): the caret stays where it was.
    }
  } else if ("paste" in input) {
    if (input.paste.html) view.pasteHTML(input.paste.html);
    else view.pasteText(input.paste.text);
  } else {
    const [shift, key] = input.key === "Shift-Enter" ? [true, "Enter"] : [false, input.key];
    const event = new KeyboardEvent("keydown", { key, shiftKey: shift, bubbles: true, cancelable: true });
    if (view.someProp("handleKeyDown", (f) => f(view, event))) return;
    // A plain deletion is the browser's own in ProseMirror (no key binding): done here.
    const { empty, from, $from } = view.state.selection;
    if (!empty) view.dispatch(view.state.tr.deleteSelection());
    else if (key === "Backspace" && $from.parentOffset > 0) view.dispatch(view.state.tr.delete(from - 1, from));
    else if (key === "Delete" && $from.parentOffset < $from.parent.content.size) view.dispatch(view.state.tr.delete(from, from + 1));
  }
}

/**
 * The collaborative editor: tiptap on the Yjs document of the live view, which keeps it in this
 * browser and connected to the app's Hocuspocus server (/collab). It loads when a writer starts
 * editing (ADR 056) and takes over from the view where they were: caret, keys typed meanwhile.
 */
export default function MinutesEditor({ doc, provider, user, editable, createAction, titles, label, shown, onReady, onCommands }: MinutesEditorProps) {
  const { t } = useTranslation("minutes");
  const [notice, setNotice] = useState<string | null>(null);
  const [rendered, setRendered] = useState(false);
  const editor = useEditor({
    immediatelyRender: false,
    editable,
    extensions: [
      ...withLiveChips(minutesExtensions(), titles),
      KeepBrowserCaret,
      Collaboration.configure({ document: doc, field: MINUTES_FIELD, onFirstRender: () => setRendered(true) }),
      CollaborationCaret.configure({ provider, user: { name: user.name, color: user.colour } }),
    ],
    editorProps: {
      attributes: { class: "minutes-editor__content", role: "textbox", "aria-multiline": "true", "aria-label": label, spellcheck: "true" },
    },
  });

  // Ready once the document is drawn: the view hands over (once).
  const handedOver = useRef(false);
  useEffect(() => {
    if (!editor || !rendered || handedOver.current) return;
    handedOver.current = true;
    onReady((start) => takeOver(editor, start));
  }, [editor, rendered, onReady]);

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  // Every caret stays where its delegate put it, whatever arrives meanwhile (ADR 013).
  useCaretWhereSeen(editor, provider, doc);

  const selectionText = (e: Editor) => {
    const { from, to } = e.state.selection;
    return e.state.doc.textBetween(from, to, " ").trim();
  };

  const makeAction = async () => {
    if (!editor || !createAction) return;
    const title = selectionText(editor);
    if (!title) return setNotice(t("editor.actionNoSelection"));
    const created = await createAction(title, sectionOf(editor));
    if (!created) return;
    editor.chain().focus().setTextSelection(editor.state.selection.to).insertContent({ type: "actionItem", attrs: { id: created.id, ref: created.ref } }).run();
    setNotice(t("editor.actionCreated", { ref: created.ref }));
  };

  const makeDecision = () => {
    if (!editor) return;
    // The server gives it its id and its number in the register when it next stores the text.
    editor.chain().focus().setNode("decision", { id: null, number: null }).run();
  };

  // The toolbar (the page's) acts on this editor through these; they read the latest handlers.
  const handlers = useRef({ makeAction, makeDecision });
  handlers.current = { makeAction, makeDecision };
  useEffect(() => {
    if (!editor) return;
    onCommands({
      run: (command) => {
        if (command === "decision") return handlers.current.makeDecision();
        if (command === "action") return void handlers.current.makeAction();
        const chain = editor.chain().focus();
        if (command === "bold") chain.toggleBold().run();
        else if (command === "italic") chain.toggleItalic().run();
        else if (command === "heading") chain.toggleHeading({ level: 2 }).run();
        else if (command === "subheading") chain.toggleHeading({ level: 3 }).run();
        else if (command === "bulletList") chain.toggleBulletList().run();
        else if (command === "orderedList") chain.toggleOrderedList().run();
        else chain.toggleBlockquote().run();
      },
      active: (command) =>
        command === "heading" || command === "subheading"
          ? editor.isActive("heading", { level: command === "heading" ? 2 : 3 })
          : editor.isActive(command === "quote" ? "blockquote" : command),
      subscribe: (changed) => {
        editor.on("transaction", changed);
        return () => void editor.off("transaction", changed);
      },
    });
    return () => onCommands(null);
  }, [editor, onCommands]);

  return (
    <div className="minutes-editor__editing" hidden={!shown}>
      {notice ? (
        <p className="small muted" role="status">
          {notice}
        </p>
      ) : null}
      <EditorContent editor={editor} className="minutes-editor__page" />
    </div>
  );
}


