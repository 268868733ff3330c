import { sqliteTable, text } from "drizzle-orm/sqlite-core";
import { instant } from "./columns";

/**
 * One-time passes over stored data that SQL alone cannot do (a Yjs state to rewrite, a record to
 * re-render), run by the server at start-up after the migrations: a row says a pass is done, so
 * it runs once per database (app/server/passes.server.ts).
 */
export const dataPasses = sqliteTable("data_passes", {
  name: text("name").primaryKey(),
  doneAt: instant("done_at").notNull(),
});
