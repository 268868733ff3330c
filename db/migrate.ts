import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { LibSQLDatabase } from "drizzle-orm/libsql";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies every committed migration that the database has not seen yet. */
export async function migrateDatabase(db: LibSQLDatabase<Record<string, unknown>>, folder = migrationsFolder): Promise<void> {
  await migrate(db, { migrationsFolder: folder });
}
