import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { LibSQLDatabase } from "drizzle-orm/libsql";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** How long a migrator's lease lasts unless renewed; a crashed migrator's lease runs out. */
const LEASE_MS = 60_000;
const RENEW_MS = 10_000;
const WAIT_MS = 120_000;

/**
 * Applies every committed migration that the database has not seen yet, once, however many
 * instances start at the same moment. drizzle's migrator reads the last applied migration
 * before it opens its batch, so two instances racing would both apply the same migration.
 * Each instance therefore first takes a lease on one row of `concord_migration_lock` (a
 * single conditional upsert, atomic on the embedded file and on sqld alike); the others
 * wait for it to be released or to run out, then find nothing left to do.
 */
export async function migrateDatabase(db: LibSQLDatabase<Record<string, unknown>>, folder = migrationsFolder): Promise<void> {
  // drizzle() keeps the client it was given; LibSQLDatabase's type does not name it.
  const client = (db as unknown as { $client?: Client }).$client;
  if (!client) throw new Error("migrateDatabase needs a database made by drizzle(client)");
  const release = await acquireMigrationLock(client);
  try {
    await migrate(db, { migrationsFolder: folder });
  } finally {
    await release();
  }
}

export async function acquireMigrationLock(client: Client, holder = randomUUID()): Promise<() => Promise<void>> {
  await client.execute(
    "CREATE TABLE IF NOT EXISTS concord_migration_lock (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at INTEGER NOT NULL)",
  );
  const started = Date.now();
  for (;;) {
    const now = Date.now();
    const taken = await client.execute({
      sql: `INSERT INTO concord_migration_lock (id, holder, expires_at) VALUES (1, ?, ?)
            ON CONFLICT (id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE concord_migration_lock.expires_at < ?
            RETURNING holder`,
      args: [holder, now + LEASE_MS, now],
    });
    if (taken.rows.length === 1) break;
    if (now - started > WAIT_MS) throw new Error("another instance has held the migration lock for too long");
    await new Promise((r) => setTimeout(r, 100));
  }
  const renew = setInterval(() => {
    client
      .execute({ sql: "UPDATE concord_migration_lock SET expires_at = ? WHERE id = 1 AND holder = ?", args: [Date.now() + LEASE_MS, holder] })
      .catch(() => undefined);
  }, RENEW_MS);
  renew.unref();
  return async () => {
    clearInterval(renew);
    await client.execute({ sql: "DELETE FROM concord_migration_lock WHERE id = 1 AND holder = ?", args: [holder] });
  };
}
