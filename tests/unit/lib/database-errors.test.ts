import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable, serverRefusal } from "~/lib/database-errors";

// The shapes @libsql/client gives sqld's answers: a LibsqlError with a code, wrapped by drizzle's
// DrizzleQueryError (the cause chain).
const libsql = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });
const drizzle = (cause: Error) => Object.assign(new Error("Failed query: update \"sessions\" …"), { cause });

describe("what sqld's refusals mean", () => {
  it("names the refusals that wrote nothing, so a transaction may run again", () => {
    expect(serverRefusal(drizzle(libsql("SQLITE_BUSY", "SQLite error: database is locked")))).toBe("busy");
    expect(serverRefusal(drizzle(libsql("TRANSACTION_TIMEOUT", "Transaction timed out")))).toBe("timeout");
    expect(serverRefusal(libsql("STREAM_EXPIRED", "The stream has expired due to inactivity"))).toBe("expired");
    expect(serverRefusal(drizzle(libsql("SQLITE_CONSTRAINT", "UNIQUE constraint failed")))).toBeUndefined();
    // A stream the server no longer knows (it restarted) may have committed: never run again.
    expect(serverRefusal(libsql("STREAM_NOT_FOUND", "Stream not found"))).toBeUndefined();
  });

  it("answers them, once retries are exhausted, as the database being unavailable (503), not a 500", () => {
    for (const code of ["SQLITE_BUSY", "TRANSACTION_TIMEOUT", "STREAM_EXPIRED"]) expect(isDatabaseUnavailable(drizzle(libsql(code, "…")))).toBe(true);
    expect(isDatabaseUnavailable(drizzle(libsql("SQLITE_CONSTRAINT", "UNIQUE constraint failed")))).toBe(false);
  });
});
