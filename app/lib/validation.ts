import { z } from "zod";
import { ValidationError, type FieldErrors, type Message } from "./errors";

/** Every text field has a ceiling, so a 10 000-character paste gets a field error, not a stored essay. */
export const LIMITS = { short: 200, title: 300, text: 20_000, email: 254, password: 200 } as const;

/** Form text: trimmed, empty counts as missing. */
export const requiredText = (max: number = LIMITS.short) => z.string().trim().min(1).max(max);
export const optionalText = (max: number = LIMITS.short) =>
  z
    .string()
    .trim()
    .max(max)
    .optional()
    .transform((v) => (v ? v : undefined));

export const email = () => z.string().trim().toLowerCase().min(1).max(LIMITS.email).pipe(z.email());

// A schema may name its own message as a catalogue key ("errors:validation.timeZone").
const MESSAGE_KEY = /^[a-z-]+:[A-Za-z0-9_.]+$/;

function toMessage(issue: z.core.$ZodIssue): Message {
  if (MESSAGE_KEY.test(issue.message)) return { key: issue.message, values: (issue as { params?: Message["values"] }).params };
  switch (issue.code) {
    case "too_small":
      return issue.minimum === 1 && issue.origin === "string"
        ? { key: "errors:validation.required" }
        : { key: "errors:validation.tooShort", values: { min: Number(issue.minimum) } };
    case "too_big":
      return { key: "errors:validation.tooLong", values: { max: Number(issue.maximum) } };
    case "invalid_format":
      return { key: issue.format === "email" ? "errors:validation.email" : "errors:validation.format" };
    case "invalid_value":
    case "invalid_union":
      return { key: "errors:validation.choice" };
    case "invalid_type":
      return issue.input === undefined || issue.input === null
        ? { key: "errors:validation.required" }
        : { key: "errors:validation.format" };
    default:
      return { key: "errors:validation.format" };
  }
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "";
    (errors[field] ??= []).push(toMessage(issue));
  }
  return errors;
}

/**
 * Control characters are refused everywhere (NUL, escape, CR on its own, C1 controls…): they
 * corrupt exports and logs and can hide text. Tab is allowed; a line break only in fields that
 * hold more than one line. Browsers send a textarea's line breaks as CR LF: those become LF.
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
/** Fields that are one line by nature, whichever model they belong to. */
const SINGLE_LINE = new Set(["title", "name", "bodyName", "email", "venue", "link", "ordinal", "timeZone", "locale", "code", "password", "currentPassword", "newPassword", "confirmPassword", "slug"]);

export function cleanInput(input: unknown): unknown {
  if (!input || typeof input !== "object" || Array.isArray(input)) return input;
  const errors: FieldErrors = {};
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(input as Record<string, unknown>)) {
    if (typeof value !== "string") {
      out[field] = value;
      continue;
    }
    const text = value.replace(/\r\n?/g, "\n");
    if (CONTROL.test(text) || (SINGLE_LINE.has(field) && text.includes("\n"))) {
      (errors[field] ??= []).push({ key: "errors:validation.controlCharacters" });
    }
    out[field] = text;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return out;
}

/** A schema for one-line text that refuses line breaks wherever its field is named. */
export const plainText = <S extends z.ZodType<string>>(schema: S) =>
  schema.refine((v) => !/[\n\r]/.test(v) && !CONTROL.test(v), { message: "errors:validation.controlCharacters" });

/** Validates model input; a failure becomes a ValidationError the form can show field by field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(cleanInput(input));
  if (!result.success) throw new ValidationError(fieldErrorsOf(result.error));
  return result.data;
}

/**
 * The id that scopes an action, read before anything else is validated: permission is
 * checked first, so an outsider learns nothing from which fields would have been wrong.
 */
export function scopeId(input: unknown, field: string): string {
  const value = input && typeof input === "object" ? (input as Record<string, unknown>)[field] : undefined;
  if (typeof value !== "string" || value.length === 0 || value.length > 64) {
    throw new ValidationError({ [field]: [{ key: "errors:validation.required" }] });
  }
  return value;
}
