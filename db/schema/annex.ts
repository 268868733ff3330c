import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant } from "./columns";
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

export const annexVersionKinds = ["circulated", "adopted"] as const;

/**
 * The annex as it was when the minutes were circulated and at each adoption (ADR 042
 * addendum): one version per step, for the annex's TLP:RED audience only, never indexed.
 */
export const annexVersions = sqliteTable(
  "annex_versions",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => minutesAnnexes.meetingId, { onDelete: "cascade" }),
    kind: text("kind", { enum: annexVersionKinds }).notNull(),
    /** The minutes' record it goes with: 0 for the original, n for the nth amendment. */
    amendment: integer("amendment").notNull().default(0),
    /** Yjs V2 state of the annex at that moment. */
    state: blob("state", { mode: "buffer" }).notNull(),
    contentHash: text("content_hash").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [index("annex_versions_meeting_idx").on(t.meetingId, t.at)],
);

/** The annex's adopted record, adopted with the minutes' (same amendment number): JSON, HTML and its own SHA-256. */
export const annexRecords = sqliteTable(
  "annex_records",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => minutesAnnexes.meetingId, { onDelete: "cascade" }),
    amendment: integer("amendment").notNull().default(0),
    json: text("json").notNull(),
    html: text("html").notNull(),
    sha256: text("sha256").notNull(),
    adoptedBy: text("adopted_by").references(() => users.id, { onDelete: "set null" }),
    adoptedAt: instant("adopted_at").notNull(),
  },
  (t) => [uniqueIndex("annex_records_meeting_amendment_unique").on(t.meetingId, t.amendment)],
);
