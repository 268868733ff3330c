/**
 * A shared database (sqld) that cannot be reached: restarting, a network cut, a full
 * disk refusing writes. Requests that meet it answer 503 with Retry-After; nothing was
 * written, since a transaction that could not reach the server was never committed.
 */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_CLOSED",
]);

// What @libsql/client reports when sqld answers but cannot serve: a proxy's 502/503, a stream
// that the restarted server no longer knows, a server still starting; and the refusals of a
// busy server that withTransaction and the single-statement retry (db.server.ts) could not
// outlast (below) — transient, nothing written.
const LIBSQL_CODES = new Set(["SERVER_ERROR", "STREAM_EXPIRED", "STREAM_NOT_FOUND", "HRANA_CLOSED_ERROR", "HRANA_WEBSOCKET_ERROR", "SQLITE_READONLY", "SQLITE_BUSY", "TRANSACTION_TIMEOUT"]);

/**
 * How the database server ended or refused a transaction without writing any of it, anywhere
 * in the cause chain — so it may run again from the start (withTransaction):
 * - `TRANSACTION_TIMEOUT`: sqld rolled back a transaction that held the write lock past 5 s
 *   while another waited;
 * - `STREAM_EXPIRED`: sqld closed the transaction's stream (and so rolled it back) after 10 s
 *   without a request on it — a process too busy to send the next statement in time; the
 *   request that found it expired was not executed, a COMMIT included;
 * - `SQLITE_BUSY`: the write lock could not be had (BEGIN IMMEDIATE, or a single statement),
 *   e.g. while another process or a checkpoint held it; nothing ran.
 * Undefined for any other error.
 */
export function serverRefusal(error: unknown): "timeout" | "expired" | "busy" | undefined {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 8; e = e.cause as typeof e, depth++) {
    if (e.code === "TRANSACTION_TIMEOUT") return "timeout";
    if (e.code === "STREAM_EXPIRED") return "expired";
    if (e.code === "SQLITE_BUSY" || (typeof e.message === "string" && /SQLITE_BUSY|database is locked/.test(e.message))) return "busy";
  }
  return undefined;
}

/** True for an error (or one in its cause chain) meaning the database server could not be reached. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown } | null | undefined, depth = 0; e && depth < 8; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && (NETWORK_CODES.has(e.code) || LIBSQL_CODES.has(e.code))) return true;
    if (typeof e.message === "string" && /fetch failed|socket hang up|other side closed/i.test(e.message)) return true;
  }
  return false;
}

/** The innermost cause's code and message, for the log line of a 503 (drizzle's own message names only the query). */
export function describeDatabaseError(error: unknown): string {
  const parts: string[] = [];
  for (let e = error as { code?: unknown; message?: unknown; cause?: unknown } | null | undefined, depth = 0; e && depth < 8; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string") parts.push(e.code);
    if (!e.cause && typeof e.message === "string") parts.push(e.message);
  }
  return parts.join(": ");
}
