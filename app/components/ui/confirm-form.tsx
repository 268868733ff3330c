import "~/components/every-page";
import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode, type RefObject } from "react";
import { MessageText, useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";
import { TextareaField } from "./field";

export interface ConfirmDialogProps {
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

interface Props extends ConfirmDialogProps {
  titleId: string;
  /** The confirmation page (`?confirm=<name>`) rather than the modal dialog. */
  onPage: boolean;
  /** Where "Back" leads on the confirmation page. */
  closeHref: string;
  dialog: RefObject<HTMLDialogElement>;
  /** Counts the trigger's clicks: each one opens the dialog, once this form is in it. */
  asked: number;
}

/**
 * The form of a confirmation (ADR 043's `loadWhenRendered`, ADR 052): loaded when the dialog is
 * first opened, or with the confirmation page. The trigger and the empty dialog are in
 * `confirm-dialog.tsx`, with the page.
 */
export function ConfirmForm(props: Props) {
  const { t } = useTranslation();
  const { intent, title, consequence, confirmLabel, reasonLabel, reasonRequired = true, hidden = {}, errors, danger, titleId, onPage, closeHref, dialog, asked } = props;
  const navigation = useNavigation();
  // Which form sent the last submission: the errors that come back belong to it.
  const lastIntent = useRef<string | null>(null);
  const sending = navigation.formData?.get("intent");
  if (typeof sending === "string") lastIntent.current = sending;
  const hasErrors = !!errors && Object.keys(errors).length > 0;
  const failed = hasErrors && (onPage || lastIntent.current === intent);
  const submitting = navigation.state === "submitting" && sending === intent;

  // Close once the step went through. First: on mounting, the dialog opened below must stay open.
  useEffect(() => {
    const el = dialog.current;
    if (navigation.state === "idle" && !failed && el?.open && !onPage) el.close();
  }, [navigation.state, failed, dialog, onPage]);
  // Opened once this form is in the dialog: focus moves to its first field, as before.
  useEffect(() => {
    const el = dialog.current;
    if (asked && el && !el.open && !onPage) el.showModal();
  }, [asked, dialog, onPage]);
  // Reopen on the form's own errors, so the reason can be corrected where it was written.
  useEffect(() => {
    const el = dialog.current;
    if (failed && el && !el.open && !onPage) el.showModal();
  }, [failed, dialog, onPage]);

  const reasonErrors = errors?.reason ?? null;
  const general = failed ? errors?.[""] : null;
  return (
    <Form method="post" className="stack" aria-labelledby={titleId}>
      <h2 id={titleId} className="confirm__title">
        {title}
      </h2>
      <div className="confirm__consequence">{consequence}</div>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={String(v)} />
      ))}
      {reasonLabel ? <TextareaField label={reasonLabel} name="reason" rows={3} required={reasonRequired} errors={failed ? reasonErrors : null} /> : null}
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
}
