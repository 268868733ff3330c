/** `npm run db:seed`: creates the demo data that is missing; safe to run again. */
import { migrateDatabase } from "../db/migrate";
import { seedDemo } from "~/server/demo/index";
import { closeDatabase, configureDatabase, db, dbClient } from "../app/lib/db.server";

await configureDatabase(dbClient());
await migrateDatabase(db());
await seedDemo(db());
closeDatabase();
console.log("Demo data is in place. Every demo account signs in with the password concord-demo.");
