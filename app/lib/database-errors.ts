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
// that the restarted server no longer knows, a server still starting.
const LIBSQL_CODES = new Set(["SERVER_ERROR", "STREAM_EXPIRED", "STREAM_NOT_FOUND", "HRANA_CLOSED_ERROR", "HRANA_WEBSOCKET_ERROR", "SQLITE_READONLY"]);

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
