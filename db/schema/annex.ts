import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, instant } from "./columns";
import { users } from "./accounts";
import { bodies } from "./bodies";
import { meetings } from "./meetings";

/**
 * A meeting's restricted annex (ADR 037): a second live document beside the minutes, for the
 * meeting's TLP:RED audience only. One per meeting, opened by someone in that audience; its
 * life cycle follows the minutes' (frozen once they are circulated).
 */
export const minutesAnnexes = sqliteTable("minutes_annexes", {
  meetingId: text("meeting_id")
    .primaryKey()
    .references(() => meetings.id, { onDelete: "cascade" }),
  bodyId: text("body_id")
    .notNull()
    .references(() => bodies.id, { onDelete: "cascade" }),
  createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** Every Yjs update of an annex the server acknowledged, stored before it was (ADR 007, as the minutes'). */
export const annexUpdates = sqliteTable(
  "annex_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => minutesAnnexes.meetingId, { onDelete: "cascade" }),
    update: blob("update", { mode: "buffer" }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [index("annex_updates_meeting_idx").on(t.meetingId, t.id)],
);

/** An annex as one Yjs V2 update, covering every update up to `throughUpdateId`. */
export const annexSnapshots = sqliteTable("annex_snapshots", {
  meetingId: text("meeting_id")
    .primaryKey()
    .references(() => minutesAnnexes.meetingId, { onDelete: "cascade" }),
  state: blob("state", { mode: "buffer" }).notNull(),
  throughUpdateId: integer("through_update_id").notNull(),
  at: instant("at").notNull(),
});
