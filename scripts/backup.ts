/**
 * `npm run backup [-- FILE]`: a consistent copy of the embedded database, taken while the
 * server runs (docs/operations.md). Without FILE it goes to backups/ beside the database.
 */
import { backupDatabase } from "../app/lib/backup.server";

const url = process.env.DATABASE_URL ?? "file:./data/concord.db";
try {
  const { file, bytes } = await backupDatabase(url, process.argv[2]);
  console.log(`Backup written and checked: ${file} (${bytes} bytes)`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
