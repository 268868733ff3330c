import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { Database } from "../app/lib/db.server";

const migrationsFolder = fileURLToPath(new URL("./migrations", import.meta.url));

/** Applies every committed migration that the database has not seen yet. */
export async function migrateDatabase(db: Database, folder = migrationsFolder): Promise<void> {
  await migrate(db, { migrationsFolder: folder });
}
