import { z } from "zod";
import { ValidationError, type FieldErrors, type Message } from "./errors";

/** Every text field has a ceiling, so a 10 000-character paste gets a field error, not a stored essay. */
export const LIMITS = { short: 200, title: 300, text: 20_000, email: 254, password: 200 } as const;

/** An optional reference to another record: an empty field means none. */
export const optionalId = () =>
  z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || null);

/** Form text: trimmed, empty counts as missing. */
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

/** What a form field's control needs to know of its schema: derived, never copied by hand. */
export interface FieldConstraint {
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  min?: number;
  max?: number;
}

interface JsonSchemaNode {
  properties?: Record<string, { minLength?: number; maxLength?: number; minimum?: number; maximum?: number }>;
  required?: string[];
  allOf?: JsonSchemaNode[];
}

/**
 * The constraints of a form's fields, read from the same zod schema the model validates
 * with (through zod's own JSON Schema export), so a limit changes in one place. The page's
 * loader sends them to the browser: the form shows a field error past a limit instead of
 * the browser cutting a paste short, and zod stays out of the browser bundle.
 */
export function formConstraints(schema: z.ZodType): Record<string, FieldConstraint> {
  const out: Record<string, FieldConstraint> = {};
  const visit = (node: JsonSchemaNode) => {
    for (const part of node.allOf ?? []) visit(part);
    for (const [name, p] of Object.entries(node.properties ?? {})) {
      const c: FieldConstraint = (out[name] ??= {});
      if (node.required?.includes(name)) c.required = true;
      if (p.minLength !== undefined) c.minLength = p.minLength;
      if (p.maxLength !== undefined) c.maxLength = p.maxLength;
      // .int() alone says "a safe integer": no limit a person would be told about.
      if (p.minimum !== undefined && p.minimum > Number.MIN_SAFE_INTEGER) c.min = p.minimum;
      if (p.maximum !== undefined && p.maximum < Number.MAX_SAFE_INTEGER) c.max = p.maximum;
    }
  };
  visit(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchemaNode);
  return out;
}
