/**
 * Domain errors thrown by model functions. One adapter (http.server.ts) maps them to
 * HTTP; the collaboration server maps them to refused connections.
 */

/** A message key and its values, translated where it is shown. */
export interface Message {
  key: string;
  values?: Record<string, string | number>;
}

export type FieldErrors = Record<string, Message[]>;

/** Absent, or not visible to this actor: the two are indistinguishable on purpose. */
export class NotFoundError extends Error {
  constructor(what = "record") {
    super(`${what} not found`);
    this.name = "NotFoundError";
  }
}

/** A member without the right; `reason` says why in words the member can read. */
export class ForbiddenError extends Error {
  constructor(public readonly reason: Message) {
    super(`forbidden: ${reason.key}`);
    this.name = "ForbiddenError";
  }
}

/** Input that cannot be accepted, field by field ("" for the form as a whole). */
export class ValidationError extends Error {
  constructor(public readonly fieldErrors: FieldErrors) {
    super(`invalid input: ${Object.keys(fieldErrors).join(", ")}`);
    this.name = "ValidationError";
  }

  static field(field: string, key: string, values?: Message["values"]): ValidationError {
    return new ValidationError({ [field]: [{ key, values }] });
  }
}

/** A save against a stale version: carries what is there now and who put it there. */
export class ConflictError<T = unknown> extends Error {
  constructor(
    public readonly current: T,
    public readonly changedBy: { id: string; name: string } | null,
    public readonly changedAt: Date | null,
  ) {
    super("conflict: the record changed since it was read");
    this.name = "ConflictError";
  }
}

/** Too many attempts; `retryAfterSeconds` tells the user when to try again. */
export class RateLimitError extends Error {
  constructor(public readonly retryAfterSeconds: number) {
    super("rate limited");
    this.name = "RateLimitError";
  }
}
