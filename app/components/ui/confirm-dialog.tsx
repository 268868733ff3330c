import { Form, Link, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { useEffect, useId, useRef, type ReactNode } from "react";
import { MessageText, useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";
import { TextareaField } from "./field";

interface Props {
  /** Names this confirmation in the address (`?confirm=<name>`) for the page without JavaScript. */
  name: string;
  intent: string;
  /** The button that opens the dialog, e.g. "Cancel the meeting…". */
  trigger: string;
  title: string;
  /** What will happen, in plain words: who is told, what cannot be undone. */
  consequence: ReactNode;
  confirmLabel: string;
  reasonLabel?: string;
  /** Whether a reason must be given (the server asks for it too). */
  reasonRequired?: boolean;
  hidden?: Record<string, string | number>;
  errors?: Record<string, Message[]> | null;
  danger?: boolean;
  disabled?: boolean;
}

/**
 * A step that cannot be undone, or that mails three governments, asks first and takes a reason.
 * With JavaScript it is a native modal `<dialog>` (focus moves in, Escape closes, focus returns
 * to the button). Without it, the button is a link to `?confirm=<name>`, where the same form
 * shows in the page: a confirmation page. Where a reason is required the model refuses the step
 * without one, however the request was made.
 */
export function ConfirmDialog(props: Props) {
  const { t } = useTranslation();
  const { name, intent, trigger, title, consequence, confirmLabel, reasonLabel, reasonRequired = true, hidden = {}, errors, danger, disabled } = props;
  const [params] = useSearchParams();
  const location = useLocation();
  const navigation = useNavigation();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onPage = params.get("confirm") === name;
  // Which form sent the last submission: the errors that come back belong to it.
  const lastIntent = useRef<string | null>(null);
  const sending = navigation.formData?.get("intent");
  if (typeof sending === "string") lastIntent.current = sending;
  const hasErrors = !!errors && Object.keys(errors).length > 0;
  const failed = hasErrors && (onPage || lastIntent.current === intent);
  const submitting = navigation.state === "submitting" && sending === intent;

  const close = new URLSearchParams(params);
  close.delete("confirm");
  const closeHref = `${location.pathname}${close.size ? `?${close}` : ""}`;
  const open = new URLSearchParams(params);
  open.set("confirm", name);

  // Reopen on the form's own errors, so the reason can be corrected where it was written.
  useEffect(() => {
    const el = dialog.current;
    if (failed && el && !el.open && !onPage) el.showModal();
  }, [failed, onPage]);
  // Close once the step went through.
  useEffect(() => {
    const el = dialog.current;
    if (navigation.state === "idle" && !failed && el?.open && !onPage) el.close();
  }, [navigation.state, failed, onPage]);

  const reasonErrors = errors?.reason ?? null;
  const general = failed ? errors?.[""] : null;
  const form = (
    <Form method="post" className="stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="confirm__title">
        {title}
      </h2>
      <div className="confirm__consequence">{consequence}</div>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={String(v)} />
      ))}
      {reasonLabel ? (
        <TextareaField label={reasonLabel} name="reason" rows={3} required={reasonRequired} errors={failed ? reasonErrors : null} />
      ) : null}
      {general?.length ? (
        <div className="alert alert--error" role="alert">
          {general.map((e) => (
            <p key={e.key}>
              <MessageText k={e.key} values={e.values} />
            </p>
          ))}
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className={danger ? "button button--danger button--wrap" : "button button--primary button--wrap"} disabled={submitting}>
          {confirmLabel}
        </button>
        {onPage ? (
          <Link to={closeHref} className="button" replace>
            {t("confirm.back")}
          </Link>
        ) : (
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            {t("confirm.back")}
          </button>
        )}
      </div>
    </Form>
  );

  if (onPage) {
    // The confirmation page (no JavaScript, or a shared link): the form in place of the button.
    return (
      <section className="confirm confirm--page card" role="region" aria-labelledby={titleId}>
        {form}
      </section>
    );
  }
  return (
    <>
      <Link
        to={`?${open}`}
        role="button"
        aria-disabled={disabled || undefined}
        className={danger ? "button button--danger button--wrap" : "button button--primary button--wrap"}
        preventScrollReset
        onClick={(event) => {
          if (disabled) return event.preventDefault();
          if (!dialog.current?.showModal) return;
          event.preventDefault();
          dialog.current.showModal();
        }}
      >
        {trigger}
      </Link>
      <dialog ref={dialog} className="confirm" aria-labelledby={titleId}>
        {form}
      </dialog>
    </>
  );
}
