import "~/components/every-page";
import { WebSocketStatus } from "@hocuspocus/provider";
import { useCallback, useEffect, useRef, useState, type ComponentType } from "react";
import { flushSync } from "react-dom";
import { useTranslation } from "~/components/i18n";
import { liveStatus, liveStatusText, useLiveDocument } from "~/components/live/use-live-document.client";
import { ChipTitles, type ChipData } from "~/components/minutes/chip-titles.client";
import { localCopyName } from "~/components/minutes/local-copy.client";
import { caretMove, MinutesView, type EditingStart, type PendingInput, type ViewCaret } from "~/components/minutes/minutes-view.client";
import type { MinutesEditorProps } from "~/components/minutes/minutes-editor.client";
import { MinutesToolbar, type ToolbarCommands } from "~/components/minutes/minutes-toolbar";
import { parseNotice } from "~/lib/collab-notices";
import { MINUTES_FIELD, minutesDocumentName } from "~/lib/minutes-document";

export interface LiveMinutesProps {
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

/** What the server refused from this person, to show and copy out. */
interface Refused {
  reason: "readOnly" | "protected";
  text: string;
}

/** The editor's code, fetched once (a failed fetch, offline, is tried again: `import()` keeps no failure). */
const loadEditor = () => import("~/components/minutes/minutes-editor.client").then((m) => m.default);

/**
 * The live minutes (ADR 056): the page opens with a live, read-only view of the shared document
 * (Yjs and the app's Hocuspocus server only: the connection, this browser's copy, the status line,
 * who is here), and a writer's editor (ProseMirror, tiptap) loads when they start editing. Its
 * code is fetched when they point at or focus the text; it mounts when they click, focus or type,
 * on the same document and connection; the caret and what was typed meanwhile pass to it. A
 * reader never loads it. The document is also kept in this browser (IndexedDB, per person and
 * document), so a dropped network, a reload or a crashed tab loses nothing; reconnection is the
 * provider's own, with backoff. Changes the server refuses are shown, not merged.
 */
export default function LiveMinutes({ meetingId, user, editable, readOnlyReason, createAction, chips, onChanged, documentName: named, label: labelled, decisions = true }: LiveMinutesProps) {
  const documentName = named ?? minutesDocumentName(meetingId);
  const { t } = useTranslation("minutes");
  const label = labelled ?? t("editor.label");
  const colour = (user.code && colours[user.code]) || "#5b6573";
  // A new generation starts from a fresh local copy: after a refusal the text shown must be the server's.
  const [generation, setGeneration] = useState(0);
  const [refused, setRefused] = useState<Refused | null>(null);
  const callbacks = useRef({ onChanged });
  callbacks.current = { onChanged };
  const [titles] = useState(() => new ChipTitles(chips, t("chipRestricted"), () => callbacks.current.onChanged()));
  useEffect(() => titles.update(chips, t("chipRestricted")), [titles, chips, t]);
  const { doc, provider, connection, synced, unsynced, peers } = useLiveDocument({
    documentName,
    localCopy: localCopyName(user.id, documentName),
    generation,
    // Back after a drop: what happened meanwhile (a circulation, an adoption) shows at once.
    onResynced: () => callbacks.current.onChanged(),
    onStateless: (payload, local) => {
      const notice = parseNotice(payload);
      if (notice?.type === "changed") callbacks.current.onChanged();
      if (notice?.type === "refused") {
        // Never merged: the browser's copy holds it, so the copy goes and the text starts again from the server's.
        void local?.clearData().then(() => {
          setRefused({ reason: notice.reason, text: notice.text });
          setGeneration((g) => g + 1);
        });
      }
    },
  });

  // Who is here: everyone with the page open, writing or reading (the editor's caret extension says the same once it is there).
  const name = `${user.name}${user.code ? ` (${user.code})` : ""}`;
  useEffect(() => provider.setAwarenessField("user", { name, color: colour }), [provider, name, colour]);

  // Refused on reconnecting (access withdrawn; the meeting's TLP audience changed, ADR 037): the
  // page's data decides at once what is shown now (the page itself may be gone: 404).
  useEffect(() => {
    const refused = () => callbacks.current.onChanged();
    provider.on("authenticationFailed", refused);
    return () => void provider.off("authenticationFailed", refused);
  }, [provider]);

  const editing = useEditing(editable);
  const [commands, setCommands] = useState<ToolbarCommands | null>(null);
  // The connection is back: an editor that could not be fetched meanwhile is fetched now (a dropped
  // network need not say "offline" to the browser, and nothing else may come to try again).
  const { retry } = editing;
  useEffect(() => {
    if (connection === WebSocketStatus.Connected) retry();
  }, [connection, retry]);
  const status = liveStatus({ editable, connection, synced, unsynced: unsynced + editing.pending });
  const state = liveStatusText(t, status, editable, unsynced + editing.pending);
  const Editor = editing.Editor;

  return (
    <>
      {refused ? <RefusedChanges refused={refused} onDismiss={() => setRefused(null)} /> : null}
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
        {!editable && readOnlyReason ? <p className="alert alert--info">{readOnlyReason}</p> : null}
        <ChipStatuses chips={chips} />
        {/* The editor, once wanted: built hidden on the same document, shown when it has the text (same place in the tree: it stays mounted). */}
        {/* One toolbar from before the editor came to after: nothing moves, a focused button stays focused (ADR 056). */}
        {editable ? <MinutesToolbar decisions={decisions} action={!!createAction} commands={(editing.swapped && commands) || undefined} onWant={editing.want} /> : null}
        {Editor && editing.wanted ? (
          <Editor
            key={`editor-${generation}`}
            doc={doc}
            provider={provider}
            user={{ name, colour }}
            editable={editable}
            createAction={createAction}
            titles={titles}
            label={label}
            shown={editing.swapped}
            onReady={editing.onReady}
            onCommands={setCommands}
          />
        ) : null}
        {!editing.swapped ? (
          <LiveView key={`view-${generation}`} doc={doc} titles={titles} label={label} editable={editable} editing={editing} />
        ) : null}
        {/* Over the page, not above the text: shown as someone clicks, it must not move what they click on. */}
        {editing.failed && editing.wanted ? (
          <p role="alert" className="alert alert--error small minutes-editor__not-loaded">
            {t("editor.notLoaded")}
          </p>
        ) : null}
      </div>
    </>
  );
}

type EditorComponent = ComponentType<MinutesEditorProps>;

/**
 * Whether the editor is wanted, loaded and shown, and what was typed before it was: its code is
 * fetched on `prefetch` (pointing at the text, focusing it), it is built on `want` (a click, a
 * focus, a key), and it takes over (`onReady`) once it has the document.
 */
function useEditing(editable: boolean) {
  const [Editor, setEditor] = useState<EditorComponent | null>(null);
  const [wanted, setWanted] = useState(false);
  const [failed, setFailed] = useState(false);
  const [swapped, setSwapped] = useState(false);
  const [pending, setPending] = useState(0);
  const loading = useRef(false);
  const inputs = useRef<PendingInput[]>([]);
  const caret = useRef<() => ViewCaret | null>(() => null);
  const focusedView = useRef<() => boolean>(() => false);
  const loaded = useRef<EditorComponent | null>(null);

  const prefetch = useCallback(() => {
    if (!editable || loaded.current || loading.current) return;
    loading.current = true;
    loadEditor().then(
      (component) => {
        loading.current = false;
        loaded.current = component;
        setFailed(false);
        setEditor(() => component);
      },
      () => {
        // Offline before the editor was ever fetched: the view stays (live from this browser's
        // copy) and says so; the next focus, click or key, or the network's return, tries again.
        loading.current = false;
        setFailed(true);
      },
    );
  }, [editable]);

  const want = useCallback(() => {
    if (!editable) return;
    setWanted(true);
    prefetch();
  }, [editable, prefetch]);

  // Typed while offline, before the editor had come: it comes (and what was typed goes in) once the network does.
  useEffect(() => {
    if (!wanted || Editor) return;
    window.addEventListener("online", prefetch);
    return () => window.removeEventListener("online", prefetch);
  }, [wanted, Editor, prefetch]);

  // Where the caret was when the first key was kept: the keys go there, wherever the caret is by
  // the time the editor comes (a later click is kept as a move, in its turn).
  const start = useRef<ViewCaret | null>(null);
  const buffer = useCallback((input: PendingInput) => {
    if (!inputs.current.length) start.current = caret.current();
    // A click the view has not heard of yet (the browser says "selectionchange" a task later) goes
    // in first, as a move in its turn: reading the caret reports it (as a `place`, through here).
    else if (!("place" in input)) caret.current();
    inputs.current.push(input);
    setPending(inputs.current.length ? 1 : 0);
  }, []);

  const onReady = useCallback((begin: (start: EditingStart) => void) => {
    // Out of the editor's effects (flushSync cannot commit inside one), in one task: the view
    // goes, the editor shows and takes the caret and the keys, with no event in between.
    setTimeout(() => {
      // A click just now, not yet reported: kept before the view goes, or the keys typed before it
      // would be the last word on where the caret is.
      if (inputs.current.length) caret.current();
      const typed = inputs.current.splice(0);
      const at = (typed.length ? start.current : null) ?? caret.current();
      const focused = focusedView.current();
      flushSync(() => setSwapped(true));
      begin({ caret: at, inputs: typed, focus: focused || typed.length > 0 });
      setPending(0);
    });
  }, []);

  const hasPending = useCallback(() => inputs.current.length > 0, []);
  const wantedNow = useRef(false);
  wantedNow.current = wanted;
  const retry = useCallback(() => {
    if (wantedNow.current && !loaded.current) prefetch();
  }, [prefetch]);
  return { Editor, wanted, failed, swapped, pending, prefetch, want, retry, buffer, hasPending, onReady, caret, focusedView };
}

/** The live view: the shared text drawn as the editor draws it, for reading, and for a writer to start editing in. */
function LiveView({ doc, titles, label, editable, editing }: { doc: import("yjs").Doc; titles: ChipTitles; label: string; editable: boolean; editing: ReturnType<typeof useEditing> }) {
  const root = useRef<HTMLDivElement>(null);
  const view = useRef<MinutesView | null>(null);
  const pointed = useRef(false);
  const { buffer, hasPending, want, prefetch, caret, focusedView, failed } = editing;
  useEffect(() => {
    const el = root.current!;
    // A caret moved after keys were kept (a click elsewhere) is kept too, in its turn.
    const v = new MinutesView(el, doc.getXmlFragment(MINUTES_FIELD), titles, (moved) => hasPending() && buffer({ place: moved }));
    view.current = v;
    caret.current = () => v.currentCaret();
    focusedView.current = () => document.activeElement === el;
    return () => {
      v.destroy();
      view.current = null;
      caret.current = () => null;
      focusedView.current = () => false;
    };
  }, [doc, titles, caret, focusedView, hasPending, buffer]);

  // For a writer the view is editable to the browser, so that the caret shows where they click
  // and moves with the arrows at once; what they type is kept from the page (beforeinput) and
  // handed to the editor, which writes it (ADR 056).
  useEffect(() => {
    const el = root.current!;
    if (!editable) return;
    const onBeforeInput = (event: InputEvent) => {
      const type = event.inputType;
      if (type === "insertCompositionText") return; // cannot be stopped: taken whole at compositionend
      event.preventDefault();
      want();
      if (type === "insertText" || type === "insertReplacementText") {
        const text = event.data ?? event.dataTransfer?.getData("text/plain") ?? "";
        if (text) buffer({ text });
      } else if (type === "insertParagraph") buffer({ key: "Enter" });
      else if (type === "insertLineBreak") buffer({ key: "Shift-Enter" });
      else if (type === "deleteContentBackward") buffer({ key: "Backspace" });
      else if (type === "deleteContentForward") buffer({ key: "Delete" });
    };
    const onPaste = (event: ClipboardEvent) => {
      event.preventDefault();
      want();
      const data = event.clipboardData;
      if (data) buffer({ paste: { html: data.getData("text/html"), text: data.getData("text/plain") } });
    };
    const onCompositionEnd = (event: CompositionEvent) => {
      if (event.data) buffer({ text: event.data });
      view.current?.restore();
    };
    // Whatever the browser changed itself (a composition) is drawn again from the document.
    const onInput = (event: Event) => {
      if (!(event as InputEvent).isComposing) view.current?.restore();
    };
    const onDrop = (event: DragEvent) => event.preventDefault();
    // Once something is waiting for the editor, a caret move must wait too (typed, then Shift+Home
    // to select it: the selection is of the typed text, which the view does not show yet).
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.key === "Process") return; // an input method's: taken at compositionend
      // Typed keys are taken here, not only from beforeinput: next to an uneditable chip the
      // browser sends no input for them at all. (Text inserted without keys — dictation, an
      // input method — still comes through beforeinput.)
      const plain = !event.ctrlKey && !event.metaKey && !event.altKey;
      const key = event.key;
      const typed: PendingInput | null =
        plain && key.length === 1 ? { text: key } : plain && key === "Enter" ? { key: event.shiftKey ? "Shift-Enter" : "Enter" } : plain && (key === "Backspace" || key === "Delete") ? { key } : null;
      if (typed) {
        event.preventDefault();
        want();
        buffer(typed);
        return;
      }
      if (!hasPending()) return;
      const move = caretMove(event);
      if (!move) return;
      event.preventDefault();
      buffer({ move });
    };
    el.addEventListener("keydown", onKeyDown);
    el.addEventListener("beforeinput", onBeforeInput);
    el.addEventListener("paste", onPaste);
    el.addEventListener("compositionend", onCompositionEnd);
    el.addEventListener("input", onInput);
    el.addEventListener("drop", onDrop);
    return () => {
      el.removeEventListener("beforeinput", onBeforeInput);
      el.removeEventListener("paste", onPaste);
      el.removeEventListener("compositionend", onCompositionEnd);
      el.removeEventListener("input", onInput);
      el.removeEventListener("drop", onDrop);
      el.removeEventListener("keydown", onKeyDown);
    };
  }, [editable, buffer, hasPending, want]);

  const onFocus = () => {
    if (!editable) return;
    // Focused by the keyboard (no click first): the caret goes to the end, as the editor's would.
    if (!pointed.current) {
      const el = root.current!;
      document.getSelection()?.selectAllChildren(el);
      document.getSelection()?.collapseToEnd();
    }
    pointed.current = false;
    want();
  };

  return (
    <div className="minutes-editor__page" data-live-view="">
      <div
        ref={root}
        className="tiptap ProseMirror minutes-editor__content minutes-editor__view"
        role="textbox"
        aria-multiline="true"
        aria-label={label}
        aria-readonly={editable ? undefined : "true"}
        contentEditable={editable}
        suppressContentEditableWarning
        tabIndex={editable ? 0 : undefined}
        spellCheck
        translate="no"
        onPointerEnter={prefetch}
        onPointerDown={() => {
          pointed.current = true;
          if (failed) prefetch();
        }}
        onFocus={onFocus}
      />
    </div>
  );
}

/** Shows each action-item chip's current status next to it (the chip itself lives in the shared document). */
function ChipStatuses({ chips }: { chips: ChipData[] }) {
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
