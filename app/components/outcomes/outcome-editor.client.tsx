import "~/components/every-page";
import { Extension } from "@tiptap/core";
import Collaboration, { isChangeOrigin } from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import type { Node as PMNode } from "@tiptap/pm/model";
import { Plugin } from "@tiptap/pm/state";
import { EditorContent, useEditor } from "@tiptap/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "~/components/i18n";
import { KeepBrowserCaret, useCaretWhereSeen } from "~/components/live/dom-caret.client";
import { liveStatus, liveStatusText, useLiveDocument } from "~/components/live/use-live-document.client";
import { OUTCOME_FIELD, outcomeDocumentName, outcomeExtensions } from "~/lib/outcome-schema";

export interface OutcomeEditorProps {
  documentId: string;
  user: { name: string; code: string | null };
  editable: boolean;
  canBracket: boolean;
  readOnlyReason: string | null;
}

const colours: Record<string, string> = { US: "#1d4ed8", JP: "#b91c1c", KR: "#0f766e" };

interface Seen {
  text: string;
  key: string;
  runs: number;
}

/** Brackets in a ProseMirror document, by id: their text, attributes, and in how many separate runs they appear. */
function bracketsOf(doc: PMNode): Map<string, Seen> {
  const found = new Map<string, Seen>();
  let last: string | null = null;
  doc.descendants((node) => {
    if (node.isBlock) {
      last = null;
      return true;
    }
    const mark = node.marks.find((m) => m.type.name === "bracket");
    const id = mark ? String(mark.attrs.id) : null;
    if (mark && id) {
      const seen = found.get(id);
      if (seen) {
        seen.text += node.text ?? "";
        if (last !== id) seen.runs++;
      } else found.set(id, { text: node.text ?? "", key: JSON.stringify([mark.attrs.owner, mark.attrs.alternatives]), runs: 1 });
    }
    last = id;
    return false;
  });
  return found;
}

/**
 * The editor's half of the bracket rules (the server enforces them too, ADR 017): a local
 * change may not remove or rewrite an existing bracket, split it, or bring in a bracket that
 * is not the writer's own. Such a change is not applied, and the writer is told why.
 */
function bracketGuard(code: string | null, refused: (reason: string) => void) {
  return Extension.create({
    name: "bracketGuard",
    addProseMirrorPlugins() {
      return [
        new Plugin({
          filterTransaction(tr, state) {
            if (!tr.docChanged || isChangeOrigin(tr)) return true;
            const before = bracketsOf(state.doc);
            const after = bracketsOf(tr.doc);
            for (const [id, b] of before) {
              const a = after.get(id);
              if (!a || a.text !== b.text || a.key !== b.key) return refused("touched"), false;
            }
            for (const [id, a] of after) {
              if (a.runs > 1) return refused("split"), false;
              if (!before.has(id) && JSON.parse(a.key)[0] !== code) return refused("foreign"), false;
            }
            return true;
          },
        }),
      ];
    },
  });
}

/** The close reason the server gives a refused connection (BRACKET_REFUSED_REASON in models/outcomes/collab.server.ts). */
const BRACKET_REFUSED = "bracket-refused";

const newBracketId = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "").slice(0, 24) : Math.random().toString(36).slice(2));

/**
 * The live text of an outcome document: tiptap on a Yjs document kept by the app's Hocuspocus
 * server (/collab, `outcome:<id>`), with the same connection states as the minutes' editor and a
 * "Bracket" tool that marks the selected words as not agreed, owned by the writer's delegation.
 */
export default function OutcomeEditor({ documentId, user, editable, canBracket, readOnlyReason }: OutcomeEditorProps) {
  const { t } = useTranslation("outcomes");
  const colour = (user.code && colours[user.code]) || "#5b6573";
  // A change the server refused (a bracket put on the same words a moment earlier, ADR 027)
  // cannot be sent again: start over from the server's text with a fresh local document.
  const [generation, setGeneration] = useState(0);
  const tRef = useRef(t);
  tRef.current = t;
  // No copy in this browser: a change the bracket rules refuse must not come back after a reload.
  const { doc, provider, connection, synced, unsynced } = useLiveDocument({
    documentName: outcomeDocumentName(documentId),
    localCopy: null,
    generation,
    onClose: (reason) => {
      if (reason !== BRACKET_REFUSED) return;
      setNotice(tRef.current("editor.refused.concurrent"));
      setGeneration((g) => g + 1);
    },
  });
  const [notice, setNotice] = useState<string | null>(null);
  const [bracketing, setBracketing] = useState<{ from: number; to: number; text: string } | null>(null);
  const alternativesRef = useRef<HTMLTextAreaElement>(null);

  const guard = useMemo(() => bracketGuard(user.code, (reason) => setNotice(t(`editor.refused.${reason}`))), [user.code, t]);
  const editor = useEditor({
    immediatelyRender: false,
    editable,
    extensions: [
      ...outcomeExtensions(),
      guard,
      KeepBrowserCaret,
      Collaboration.configure({ document: doc, field: OUTCOME_FIELD }),
      CollaborationCaret.configure({ provider, user: { name: `${user.name}${user.code ? ` (${user.code})` : ""}`, color: colour } }),
    ],
    editorProps: { attributes: { class: "minutes-editor__content outcome-editor__content", role: "textbox", "aria-multiline": "true", "aria-label": t("editor.label"), spellcheck: "true" } },
  }, [doc]);
  // Every caret stays where its delegate put it, whatever arrives meanwhile (ADR 013).
  useCaretWhereSeen(editor, provider, doc);

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  const startBracket = () => {
    if (!editor) return;
    const { from, to, $from, $to } = editor.state.selection;
    if (from === to) return setNotice(t("editor.bracketNoSelection"));
    if (!$from.sameParent($to)) return setNotice(t("editor.bracketBoundary"));
    let overlaps = false;
    editor.state.doc.nodesBetween(from, to, (node) => {
      if (node.marks.some((m) => m.type.name === "bracket")) overlaps = true;
    });
    if (overlaps) return setNotice(t("editor.bracketOverlap"));
    setNotice(null);
    setBracketing({ from, to, text: editor.state.doc.textBetween(from, to, " ") });
    setTimeout(() => alternativesRef.current?.focus(), 0);
  };

  const applyBracket = () => {
    if (!editor || !bracketing || !user.code) return;
    const alternatives = (alternativesRef.current?.value ?? "")
      .split("\n")
      .map((a) => a.trim())
      .filter(Boolean)
      .slice(0, 5);
    if (alternatives.some((a) => a.length > 2000)) return setNotice(t("editor.alternativeTooLong"));
    editor.chain().focus().setTextSelection({ from: bracketing.from, to: bracketing.to }).setMark("bracket", { id: newBracketId(), owner: user.code, alternatives }).run();
    setBracketing(null);
    setNotice(t("editor.bracketed"));
  };

  const status = liveStatus({ editable, connection, synced, unsynced });
  const state = liveStatusText(t, status, editable, unsynced);

  return (
    <div className="minutes-editor outcome-editor">
      <div className="minutes-editor__bar">
        <p className={`minutes-editor__status minutes-editor__status--${status}`} role="status" aria-live="polite" data-status={status}>
          <span aria-hidden="true">{status === "saved" || status === "readOnly" ? "●" : "○"}</span> {state}
        </p>
      </div>
      {editable && editor ? (
        <div className="rich-text__toolbar" role="toolbar" aria-label={t("editor.toolbar")}>
          <button type="button" className="rich-text__button" aria-label={t("minutes:editor.bold")} title={t("minutes:editor.bold")} aria-pressed={editor.isActive("bold")} onClick={() => editor.chain().focus().toggleBold().run()}>
            B
          </button>
          <button type="button" className="rich-text__button" aria-label={t("minutes:editor.italic")} title={t("minutes:editor.italic")} aria-pressed={editor.isActive("italic")} onClick={() => editor.chain().focus().toggleItalic().run()}>
            I
          </button>
          <button type="button" className="rich-text__button" aria-label={t("minutes:editor.heading")} title={t("minutes:editor.heading")} aria-pressed={editor.isActive("heading", { level: 2 })} onClick={() => editor.chain().focus().toggleHeading({ level: 2 }).run()}>
            H2
          </button>
          {canBracket ? (
            <button type="button" className="button button--small" title={t("editor.bracketHint")} onClick={startBracket}>
              {t("editor.bracket")}
            </button>
          ) : null}
        </div>
      ) : null}
      {bracketing ? (
        <div className="card stack outcome-editor__bracket" role="group" aria-label={t("editor.bracketTitle")}>
          <p className="small">
            {t("editor.bracketing")} <q>{bracketing.text}</q>
          </p>
          <label className="field__label" htmlFor="bracket-alternatives">
            {t("editor.alternatives")}
          </label>
          <p className="field__hint">{t("editor.alternativesHint")}</p>
          <textarea id="bracket-alternatives" ref={alternativesRef} className="input" rows={2} />
          <div className="row">
            <button type="button" className="button button--primary" onClick={applyBracket}>
              {t("editor.bracketApply")}
            </button>
            <button type="button" className="button" onClick={() => setBracketing(null)}>
              {t("editor.cancel")}
            </button>
          </div>
        </div>
      ) : null}
      {!editable && readOnlyReason ? <p className="alert alert--info">{readOnlyReason}</p> : null}
      {notice ? (
        <p className="small alert alert--info" role="status">
          {notice}
        </p>
      ) : null}
      <EditorContent editor={editor} className="minutes-editor__page" />
    </div>
  );
}
