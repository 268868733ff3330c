/** `npm run db:migrate`: applies committed migrations to DATABASE_URL (the server also does this at start). */
import { migrateDatabase } from "../db/migrate";
import { closeDatabase, configureDatabase, db, dbClient } from "../app/lib/db.server";

await configureDatabase(dbClient());
await migrateDatabase(db());
closeDatabase();
console.log("Migrations applied.");
