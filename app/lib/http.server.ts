import { json, type TypedResponse } from "@remix-run/node";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitError,
  ValidationError,
  type FieldErrors,
  type Message,
} from "./errors";
import { DATABASE_RETRY_AFTER_SECONDS, describeDatabaseError, isDatabaseUnavailable } from "./database-errors";

/** What a failed action returns to its form. */
export interface ActionFailure {
  ok: false;
  fieldErrors?: FieldErrors;
  conflict?: { current: unknown; changedBy: { id: string; name: string } | null; changedAt: string | null };
  retryAfterSeconds?: number;
  /** What was typed, so a form shown again without JavaScript loses nothing (passwords excluded). */
  submitted?: Record<string, string>;
}

/** The body of a 403: the sentence saying why. */
export interface ForbiddenBody {
  reason: Message;
}

export function notFound(): Response {
  return json({ notFound: true }, { status: 404 });
}

interface Args {
  request: Request;
  context: unknown;
}

/** An unexpected error: logged once with the request id, which the error page shows. */
function unexpected(error: unknown, args: Args): Response {
  const requestId = (args.context as { requestId?: string } | undefined)?.requestId ?? null;
  if (!args.request.signal.aborted) {
    console.error(`[${requestId ?? "-"}] ${args.request.method} ${new URL(args.request.url).pathname}`, error);
  }
  return json({ requestId }, { status: 500 });
}

/** Maps a domain error to the Response a loader throws. */
export function toErrorResponse(error: unknown, args: Args): unknown {
  if (error instanceof Response) return error;
  if (error instanceof NotFoundError) return notFound();
  if (error instanceof ForbiddenError) return json<ForbiddenBody>({ reason: error.reason }, { status: 403 });
  if (error instanceof ValidationError) return json({ fieldErrors: error.fieldErrors }, { status: 400 });
  if (error instanceof ConflictError) return json({ conflict: true }, { status: 409 });
  if (error instanceof RateLimitError) {
    return json({ retryAfterSeconds: error.retryAfterSeconds }, { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } });
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable(error, args);
  return unexpected(error, args);
}

/** The shared database cannot be reached: nothing was written; the client is told when to try again. */
export function databaseUnavailable(error: unknown, args: Args): Response {
  const requestId = (args.context as { requestId?: string } | undefined)?.requestId ?? null;
  console.warn(`[${requestId ?? "-"}] ${args.request.method} ${new URL(args.request.url).pathname}: database unavailable: ${describeDatabaseError(error)}`);
  return json(
    { unavailable: true, requestId, retryAfterSeconds: DATABASE_RETRY_AFTER_SECONDS },
    { status: 503, headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS), "Cache-Control": "no-store" } },
  );
}

/**
 * Runs a loader's body: domain errors become 404/403 responses for the error boundary.
 * Called inside the exported function (not as `export const loader = wrap(...)`), so the
 * browser build can drop the loader and everything it imports.
 */
export async function runLoader<A extends Args, T>(args: A, fn: (args: A) => Promise<T>): Promise<T> {
  try {
    return await fn(args);
  } catch (error) {
    throw toErrorResponse(error, args);
  }
}

/**
 * Runs an action's body: invalid input, conflicts and throttling come back to the form as
 * data (400/409/429) so nothing typed is lost; 404/403 go to the error boundary.
 */
export async function runAction<A extends Args, T>(args: A, fn: (args: A) => Promise<T>): Promise<T | TypedResponse<ActionFailure>> {
  try {
    return await fn(args);
  } catch (error) {
    if (error instanceof ValidationError) {
      return json<ActionFailure>({ ok: false, fieldErrors: error.fieldErrors }, { status: 400 });
    }
    if (error instanceof ConflictError) {
      return json<ActionFailure>(
        {
          ok: false,
          conflict: { current: error.current, changedBy: error.changedBy, changedAt: error.changedAt?.toISOString() ?? null },
        },
        { status: 409 },
      );
    }
    if (error instanceof RateLimitError) {
      return json<ActionFailure>(
        { ok: false, retryAfterSeconds: error.retryAfterSeconds },
        { status: 429, headers: { "Retry-After": String(error.retryAfterSeconds) } },
      );
    }
    throw toErrorResponse(error, args);
  }
}

/**
 * Like runAction, for a form: reads it first, hands it to `fn`, and echoes it back with a
 * 400 or 409 so the page can show it again as typed.
 */
export async function runForm<A extends Args, T>(
  args: A,
  fn: (args: A & { form: Record<string, string>; formData: FormData }) => Promise<T>,
): Promise<T | TypedResponse<ActionFailure>> {
  const formData = await readForm(args.request);
  const form: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string") form[key] = value;
  const result = await runAction(args, (a) => fn({ ...a, form, formData }));
  if (result instanceof Response && (result.status === 400 || result.status === 409)) {
    const body = (await result.clone().json()) as ActionFailure;
    const submitted = Object.fromEntries(Object.entries(form).filter(([k]) => !/password/i.test(k)));
    return json<ActionFailure>({ ...body, submitted }, { status: result.status, headers: result.headers });
  }
  return result;
}

/**
 * The request's form, or a 400 (thrown) when the body cannot be read as one: a broken
 * multipart body is the client's mistake, never a 500.
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw json({ ok: false, fieldErrors: { "": [{ key: "errors:validation.malformedForm" }] } }, { status: 400 });
  }
}

/** Reads a form into a plain object (the last value wins; lists use getAll in the route). */
export async function formObject(request: Request): Promise<Record<string, string>> {
  const form = await readForm(request);
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") out[key] = value;
  return out;
}
