import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";

export function ErrorList({ id, errors }: { id?: string; errors?: Message[] | null }) {
  const { t } = useTranslation();
  if (!errors?.length) return null;
  return (
    <ul id={id} className="field__errors" role="list">
      {errors.map((e) => (
        <li key={e.key}>{t(e.key, e.values)}</li>
      ))}
    </ul>
  );
}

interface FieldShellProps {
  label: ReactNode;
  hint?: ReactNode;
  errors?: Message[] | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label, control, hint and errors wired together for assistive technology. */
function FieldShell({ label, hint, errors, children }: FieldShellProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field${errors?.length ? " field--invalid" : ""}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: !!errors?.length })}
      <ErrorList id={errorId} errors={errors} />
    </div>
  );
}

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; hint?: ReactNode; errors?: Message[] | null };

export function Field({ label, hint, errors, ...input }: InputProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <input id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="input" {...input} />
      )}
    </FieldShell>
  );
}

type SelectProps = SelectHTMLAttributes<HTMLSelectElement> & { label: ReactNode; hint?: ReactNode; errors?: Message[] | null };

export function SelectField({ label, hint, errors, children, ...select }: SelectProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <select id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="input" {...select}>
          {children}
        </select>
      )}
    </FieldShell>
  );
}

type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; hint?: ReactNode; errors?: Message[] | null };

export function TextareaField({ label, hint, errors, ...textarea }: TextareaProps) {
  return (
    <FieldShell label={label} hint={hint} errors={errors}>
      {({ id, describedBy, invalid }) => (
        <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="input" {...textarea} />
      )}
    </FieldShell>
  );
}

/** Errors that belong to the form as a whole (key ""), announced when they appear. */
export function FormErrors({ errors }: { errors?: Record<string, Message[]> | null }) {
  const { t } = useTranslation();
  const general = errors?.[""];
  const hasFieldErrors = errors && Object.keys(errors).some((k) => k !== "");
  if (!general?.length && !hasFieldErrors) return null;
  return (
    <div className="alert alert--error" role="alert">
      {general?.length ? general.map((e) => <p key={e.key}>{t(e.key, e.values)}</p>) : <p>{t("form.fixErrors")}</p>}
    </div>
  );
}
