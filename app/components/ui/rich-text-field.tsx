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
 * small editor (bold, italic, lists, links) that is loaded only when the field is on screen.
 * The server sanitises whatever arrives.
 */
export function RichTextField({ label, name, defaultValue = "", hint, errors, maxLength = 20_000 }: Props) {
  const { t } = useTranslation();
  const id = useId();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const mount = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState(false);
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;

  useEffect(() => {
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
    });
    return () => {
      cancelled = true;
      destroy?.();
    };
  }, [id, hintId, errorId, t]);

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
