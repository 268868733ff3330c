/**
 * `npm run restore -- FILE`: replaces the embedded database with a backup, after checking
 * it; refuses while a server uses the database (docs/operations.md).
 */
import { restoreDatabase } from "../app/lib/backup.server";

const url = process.env.DATABASE_URL ?? "file:./data/concord.db";
const file = process.argv[2];
if (!file) {
  console.error("Usage: npm run restore -- FILE");
  process.exit(2);
}
try {
  const { restored, keptAs } = await restoreDatabase(url, file);
  console.log(`Restored ${file} to ${restored}.${keptAs ? ` The replaced database is kept as ${keptAs}.` : ""}`);
  console.log("Start the server: it applies any newer migrations to the restored database.");
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
