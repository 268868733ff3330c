import { dbClient } from "~/lib/db.server";

/** Throws unless the database answers a query. */
export async function checkDatabase(): Promise<void> {
  await dbClient().execute("SELECT 1");
}
