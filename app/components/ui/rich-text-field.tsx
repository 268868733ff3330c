import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";
import { ErrorList } from "./field";

interface Props {
  label: string;
  name: string;
  defaultValue?: string;
  hint?: string;
  errors?: Message[] | null;
  maxLength?: number;
}

/**
 * Rich text that works without JavaScript: a plain textarea, upgraded in the browser to a
 * small editor (bold, italic, lists, links). The editor's code (about 120 KB gzipped) is
 * loaded only when the field comes on screen or is focused, so a page with several closed
 * forms (the agenda's items) loads none of it until one is opened. The server sanitises
 * whatever arrives.
 */
export function RichTextField({ label, name, defaultValue = "", hint, errors, maxLength = 20_000 }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mount = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;

  const [wanted, setWanted] = useState(false);
  // The editor's code could not be fetched (offline): the textarea stays, as without JavaScript.
  const [failed, setFailed] = useState(false);

  // On screen (a form inside a closed <details> is not) or focused: then load the editor. After
  // a failed fetch only focus or pointing tries again (being on screen would retry in a loop).
  useEffect(() => {
    const field = textarea.current;
    if (wanted || !field) return;
    const want = () => setWanted(true);
    field.addEventListener("focus", want);
    field.addEventListener("pointerenter", want);
    const observer = failed || typeof IntersectionObserver === "undefined" ? undefined : new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && want());
    observer?.observe(field);
    return () => {
      field.removeEventListener("focus", want);
      field.removeEventListener("pointerenter", want);
      observer?.disconnect();
    };
  }, [wanted, failed]);

  useEffect(() => {
    if (!wanted) return;
    let destroy: (() => void) | undefined;
    let cancelled = false;
    void import("./rich-text-editor.client").then(({ createRichTextEditor }) => {
      if (cancelled || !mount.current || !textarea.current) return;
      destroy = createRichTextEditor({
        element: mount.current,
        field: textarea.current,
        labelledBy: `${id}-label`,
        describedBy: [hintId, errorId].filter(Boolean).join(" ") || undefined,
        labels: {
          bold: t("editor.bold"),
          italic: t("editor.italic"),
          bulletList: t("editor.bulletList"),
          orderedList: t("editor.orderedList"),
          link: t("editor.link"),
          linkPrompt: t("editor.linkPrompt"),
          toolbar: t("editor.toolbar"),
        },
      });
      setReady(true);
      // Focus moves into the editor when the textarea had it (the person was about to type).
      if (document.activeElement === textarea.current) mount.current.querySelector<HTMLElement>("[contenteditable]")?.focus();
    }, () => {
      if (cancelled) return;
      setFailed(true);
      setWanted(false);
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [wanted, id, hintId, errorId, t]);

  return (
    <div className={`field${errors?.length ? " field--invalid" : ""}`}>
      <label id={`${id}-label`} htmlFor={id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      <textarea
        ref={textarea}
        id={id}
        name={name}
        defaultValue={defaultValue}
        maxLength={maxLength}
        className="input"
        hidden={ready}
        aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined}
        rows={6}
      />
      <div ref={mount} className="rich-text" hidden={!ready} />
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}
