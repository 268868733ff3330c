import "~/components/every-page";
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor, type Editor } from "@tiptap/react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "~/components/i18n";
import { KeepBrowserCaret, useCaretWhereSeen } from "~/components/live/dom-caret.client";
import { liveStatus, liveStatusText, useLiveDocument } from "~/components/live/use-live-document.client";
import { localCopyName } from "~/components/minutes/local-copy.client";
import { ChipTitles, withLiveChips, type ChipData } from "~/components/minutes/live-chips.client";
import { parseNotice } from "~/lib/collab-notices";
import { useRovingToolbar } from "~/components/ui/use-roving-toolbar";
import { MINUTES_FIELD, minutesDocumentName, minutesExtensions } from "~/lib/minutes-schema";

export interface MinutesEditorProps {
  meetingId: string;
  user: { id: string; name: string; code: string | null };
  editable: boolean;
  /** The minutes changed state (pushed by the server) or the connection came back: reload the page's data. */
  onChanged: () => void;
  readOnlyReason: string | null;
  /** Creates an action item from the selected words; resolves to what the chip shows. */
  createAction: ((title: string, agendaItemId: string | null) => Promise<{ id: string; ref: number; title: string } | null>) | null;
  /**
   * The meeting's action items as this reader may read them: `restricted` ones are outside
   * their TLP audience. The chips' titles come from here, never from the shared document (ADR 042).
   */
  chips: ChipData[];
  /** Another live document in the same schema than the meeting's minutes: its restricted annex (ADR 037). */
  documentName?: string;
  /** The text box's accessible name, when not the minutes'. */
  label?: string;
  /** Whether "Decision" is offered: decisions belong to the minutes' register, not to the annex. */
  decisions?: boolean;
}

const colours: Record<string, string> = { US: "#1d4ed8", JP: "#b91c1c", KR: "#0f766e" };

/** The agenda item of the section the selection is in: the last section heading before it. */
function sectionOf(editor: Editor): string | null {
  let found: string | null = null;
  editor.state.doc.nodesBetween(0, editor.state.selection.from, (node) => {
    if (node.type.name === "heading" && node.attrs.agendaItemId) found = String(node.attrs.agendaItemId);
  });
  return found;
}

/** What the server refused from this person, to show and copy out. */
interface Refused {
  reason: "readOnly" | "protected";
  text: string;
}

/**
 * The collaborative editor: tiptap on a Yjs document kept by the app's own Hocuspocus server
 * (/collab). The document is also kept in this browser (IndexedDB, per person and document),
 * so a dropped network, a reload or a crashed tab loses nothing; reconnection is the
 * provider's own, with backoff. Changes the server refuses are shown, not merged.
 */
export default function MinutesEditor(props: MinutesEditorProps) {
  // A new generation starts from a fresh local copy: after a refusal the text shown must be the server's.
  const [generation, setGeneration] = useState(0);
  const [refused, setRefused] = useState<Refused | null>(null);
  return (
    <>
      {refused ? <RefusedChanges refused={refused} onDismiss={() => setRefused(null)} /> : null}
      <LiveEditor
        key={generation}
        {...props}
        onRefused={(r) => {
          setRefused(r);
          setGeneration((g) => g + 1);
        }}
      />
    </>
  );
}

function LiveEditor({ meetingId, user, editable, readOnlyReason, createAction, chips, onChanged, onRefused, documentName: named, label, decisions = true }: MinutesEditorProps & { onRefused: (refused: Refused) => void }) {
  const documentName = named ?? minutesDocumentName(meetingId);
  const { t } = useTranslation("minutes");
  const colour = (user.code && colours[user.code]) || "#5b6573";
  const [notice, setNotice] = useState<string | null>(null);
  const callbacks = useRef({ onChanged, onRefused });
  callbacks.current = { onChanged, onRefused };
  const [titles] = useState(() => new ChipTitles(chips, t("chipRestricted"), () => callbacks.current.onChanged()));
  useEffect(() => titles.update(chips, t("chipRestricted")), [titles, chips, t]);
  const { doc, provider, connection, synced, unsynced, peers } = useLiveDocument({
    documentName,
    localCopy: localCopyName(user.id, documentName),
    // Back after a drop: what happened meanwhile (a circulation, an adoption) shows at once.
    onResynced: () => callbacks.current.onChanged(),
    onStateless: (payload, local) => {
      const notice = parseNotice(payload);
      if (notice?.type === "changed") callbacks.current.onChanged();
      if (notice?.type === "refused") {
        // Never merged: the browser's copy holds it, so the copy goes and the editor starts again from the server's text.
        void local?.clearData().then(() => callbacks.current.onRefused({ reason: notice.reason, text: notice.text }));
      }
    },
  });

  const editor = useEditor({
    immediatelyRender: false,
    editable,
    extensions: [
      ...withLiveChips(minutesExtensions(), titles),
      KeepBrowserCaret,
      Collaboration.configure({ document: doc, field: MINUTES_FIELD }),
      CollaborationCaret.configure({ provider, user: { name: `${user.name}${user.code ? ` (${user.code})` : ""}`, color: colour } }),
    ],
    editorProps: {
      attributes: { class: "minutes-editor__content", role: "textbox", "aria-multiline": "true", "aria-label": label ?? t("editor.label"), spellcheck: "true" },
    },
  });

  useEffect(() => {
    editor?.setEditable(editable);
  }, [editor, editable]);

  // Refused on reconnecting (access withdrawn; the meeting's TLP audience changed, ADR 037): the
  // page's data decides at once what is shown now (the page itself may be gone: 404).
  useEffect(() => {
    const refused = () => callbacks.current.onChanged();
    provider.on("authenticationFailed", refused);
    return () => void provider.off("authenticationFailed", refused);
  }, [provider]);

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

  const toolbar = useRovingToolbar<HTMLDivElement>();
  const status = liveStatus({ editable, connection, synced, unsynced });
  const state = liveStatusText(t, status, editable, unsynced);

  return (
    <div className="minutes-editor">
      <div className="minutes-editor__bar">
        <p className={`minutes-editor__status minutes-editor__status--${status}`} role="status" aria-live="polite" data-status={status}>
          <span aria-hidden="true">{status === "saved" || status === "readOnly" ? "●" : "○"}</span> {state}
        </p>
        <ul className="minutes-editor__peers" aria-label={t("presence.title")}>
          {peers.map((p) => (
            <li key={p.clientId} style={{ borderColor: p.colour }}>
              <span className="minutes-editor__dot" style={{ background: p.colour }} aria-hidden="true" /> {p.name}
            </li>
          ))}
        </ul>
      </div>
      {editable && editor ? (
        <div className="rich-text__toolbar" role="toolbar" aria-label={t("editor.toolbar")} ref={toolbar.ref} onKeyDown={toolbar.onKeyDown}>
          {[
            { label: t("editor.bold"), text: "B", run: () => editor.chain().focus().toggleBold().run(), active: editor.isActive("bold") },
            { label: t("editor.italic"), text: "I", run: () => editor.chain().focus().toggleItalic().run(), active: editor.isActive("italic") },
            { label: t("editor.heading"), text: "H2", run: () => editor.chain().focus().toggleHeading({ level: 2 }).run(), active: editor.isActive("heading", { level: 2 }) },
            { label: t("editor.subheading"), text: "H3", run: () => editor.chain().focus().toggleHeading({ level: 3 }).run(), active: editor.isActive("heading", { level: 3 }) },
            { label: t("editor.bulletList"), text: "•", run: () => editor.chain().focus().toggleBulletList().run(), active: editor.isActive("bulletList") },
            { label: t("editor.orderedList"), text: "1.", run: () => editor.chain().focus().toggleOrderedList().run(), active: editor.isActive("orderedList") },
            { label: t("editor.quote"), text: "❝", run: () => editor.chain().focus().toggleBlockquote().run(), active: editor.isActive("blockquote") },
          ].map((b) => (
            <button key={b.label} type="button" className="rich-text__button" title={b.label} aria-pressed={b.active} onClick={b.run}>
              <span aria-hidden="true">{b.text}</span>
              <span className="visually-hidden">{b.label}</span>
            </button>
          ))}
          {decisions ? (
            <button type="button" className="button button--small" title={t("editor.decisionHint")} onClick={makeDecision}>
              {t("editor.decision")}
            </button>
          ) : null}
          {createAction ? (
            <button type="button" className="button button--small" title={t("editor.actionHint")} onClick={makeAction}>
              {t("editor.action")}
            </button>
          ) : null}
        </div>
      ) : null}
      {!editable && readOnlyReason ? <p className="alert alert--info">{readOnlyReason}</p> : null}
      {notice ? (
        <p className="small muted" role="status">
          {notice}
        </p>
      ) : null}
      <ChipStatuses chips={chips} />
      <EditorContent editor={editor} className="minutes-editor__page" />
    </div>
  );
}

/** Shows each action-item chip's current status next to it (the chip itself lives in the shared document). */
function ChipStatuses({ chips }: { chips: MinutesEditorProps["chips"] }) {
  const { t } = useTranslation("actions");
  const css = chips.filter((c) => !c.restricted).map((c) => `.minutes-editor span[data-action-item="${c.id}"]::after{content:" · ${t(`status.${c.status}`).replace(/"/g, "")}"}`).join("\n");
  return <style>{css}</style>;
}

/** Changes the server did not merge: shown until dismissed, with a way to copy them out. */
function RefusedChanges({ refused, onDismiss }: { refused: Refused; onDismiss: () => void }) {
  const { t } = useTranslation("minutes");
  const [copied, setCopied] = useState(false);
  return (
    <section className="alert alert--warn stack" role="alert" aria-labelledby="refused-title">
      <h3 id="refused-title">{t("refused.title")}</h3>
      <p>{refused.reason === "readOnly" ? t("refused.readOnly") : t("refused.protected")}</p>
      {refused.text ? (
        <label className="stack">
          <span className="small">{t("refused.label")}</span>
          <textarea readOnly rows={Math.min(8, refused.text.split("\n").length + 1)} value={refused.text} data-refused-text="" />
        </label>
      ) : null}
      <p className="row">
        {refused.text ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => void navigator.clipboard?.writeText(refused.text).then(() => setCopied(true), () => setCopied(false))}
          >
            {t("refused.copy")}
          </button>
        ) : null}
        <button type="button" className="button button--small" onClick={onDismiss}>
          {t("refused.dismiss")}
        </button>
        {copied ? <span className="small" role="status">{t("refused.copied")}</span> : null}
      </p>
    </section>
  );
}
