import { createContext, useContext, useId, useState, type ChangeEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { MessageText, useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";
import type { FieldConstraint } from "~/lib/validation";

export function ErrorList({ id, errors }: { id?: string; errors?: Message[] | null }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="field__errors" role="list">
      {errors.map((e) => (
        <li key={e.key}>
          <MessageText k={e.key} values={e.values} />
        </li>
      ))}
    </ul>
  );
}

const Constraints = createContext<Record<string, FieldConstraint> | null>(null);

/**
 * The limits of the forms inside, by field name, as the page's loader read them from the
 * model's schema (`formConstraints`): fields find theirs, so no number is copied by hand.
 */
export function FormConstraints({ value, children }: { value: Record<string, FieldConstraint> | undefined; children: ReactNode }) {
  const outer = useContext(Constraints);
  return <Constraints.Provider value={{ ...outer, ...value }}>{children}</Constraints.Provider>;
}

/** A field's limits by name, from the nearest FormConstraints. */
export function useFieldConstraint(name: string | undefined): FieldConstraint | undefined {
  const all = useContext(Constraints);
  return name ? all?.[name] : undefined;
}

function useConstraint(name: string | undefined, given: FieldConstraint | undefined): FieldConstraint | undefined {
  const found = useFieldConstraint(name);
  return given ?? found;
}

interface FieldShellProps {
  label: ReactNode;
  hint?: ReactNode;
  errors?: Message[] | null;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/**
 * A text limit from the schema, kept as the person types: past it the field says so (the
 * server refuses it too), where a `maxlength` attribute would silently cut a paste short.
 */
function useLength(constraint: FieldConstraint | undefined, initial: unknown, onChange?: (e: ChangeEvent<HTMLInputElement & HTMLTextAreaElement>) => void) {
  const [length, setLength] = useState(typeof initial === "string" ? initial.length : 0);
  const max = constraint?.maxLength;
  const over = max !== undefined && length > max;
  const near = max !== undefined && length > max * 0.8;
  return {
    max,
    length,
    over,
    near,
    error: over ? ({ key: "errors:validation.tooLong", values: { max: max! } } satisfies Message) : null,
    onChange: (e: ChangeEvent<HTMLInputElement & HTMLTextAreaElement>) => {
      setLength(e.currentTarget.value.length);
      onChange?.(e);
    },
  };
}

function LengthCount({ length, max }: { length: number; max: number }) {
  const { t } = useTranslation();
  return (
    <p className="field__count" aria-live="polite">
      {t("errors:validation.count", { length, max })}
    </p>
  );
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

type InputProps = InputHTMLAttributes<HTMLInputElement> & { label: ReactNode; hint?: ReactNode; errors?: Message[] | null; constraint?: FieldConstraint };

export function Field({ label, hint, errors, constraint: given, onChange, ...input }: InputProps) {
  const constraint = useConstraint(input.name, given);
  const length = useLength(constraint, input.defaultValue ?? input.value, onChange);
  const tooLong = length.error;
  const shown = tooLong ? [...(errors ?? []).filter((e) => e.key !== tooLong.key), tooLong] : errors;
  return (
    <FieldShell label={label} hint={hint} errors={shown}>
      {({ id, describedBy, invalid }) => (
        <>
          <input
            id={id}
            aria-describedby={describedBy}
            aria-invalid={invalid || undefined}
            className="input"
            required={constraint?.required}
            min={constraint?.min}
            max={constraint?.max}
            {...input}
            onChange={length.onChange}
          />
          {length.near ? <LengthCount length={length.length} max={length.max!} /> : null}
        </>
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

type TextareaProps = TextareaHTMLAttributes<HTMLTextAreaElement> & { label: ReactNode; hint?: ReactNode; errors?: Message[] | null; constraint?: FieldConstraint };

export function TextareaField({ label, hint, errors, constraint: given, onChange, ...textarea }: TextareaProps) {
  const constraint = useConstraint(textarea.name, given);
  const length = useLength(constraint, textarea.defaultValue ?? textarea.value, onChange);
  const tooLong = length.error;
  const shown = tooLong ? [...(errors ?? []).filter((e) => e.key !== tooLong.key), tooLong] : errors;
  return (
    <FieldShell label={label} hint={hint} errors={shown}>
      {({ id, describedBy, invalid }) => (
        <>
          <textarea id={id} aria-describedby={describedBy} aria-invalid={invalid || undefined} className="input" required={constraint?.required} {...textarea} onChange={length.onChange} />
          {length.near ? <LengthCount length={length.length} max={length.max!} /> : null}
        </>
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
      {general?.length ? general.map((e) => (
            <p key={e.key}>
              <MessageText k={e.key} values={e.values} />
            </p>
          )) : <p>{t("form.fixErrors")}</p>}
    </div>
  );
}
