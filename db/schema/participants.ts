import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { bodies, delegations } from "./bodies";
import { meetings } from "./meetings";

export const participantRoles = ["head", "alternate", "adviser", "expert"] as const;
export type ParticipantRole = (typeof participantRoles)[number];
export const attendances = ["present", "remote", "absent"] as const;
export type Attendance = (typeof attendances)[number];

/** One person on a delegation's list for one meeting, and the roll taken on the day. */
export const participants = sqliteTable(
  "participants",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    /** Null: the secretariat's own people. */
    delegationId: text("delegation_id").references(() => delegations.id, { onDelete: "cascade" }),
    /** The member this person is, when they are one. */
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    name: text("name").notNull(),
    title: text("title").notNull().default(""),
    agency: text("agency").notNull().default(""),
    role: text("role", { enum: participantRoles }).notNull(),
    position: integer("position").notNull().default(0),
    attendance: text("attendance", { enum: attendances }),
    attendanceBy: text("attendance_by").references(() => users.id, { onDelete: "set null" }),
    attendanceAt: instant("attendance_at"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("participants_meeting_idx").on(t.meetingId, t.delegationId, t.position), index("participants_user_idx").on(t.userId)],
);

/** A head's submission of their delegation's list; a later change to the list shows it as changed since. */
export const participantSubmissions = sqliteTable(
  "participant_submissions",
  {
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    submittedBy: text("submitted_by").references(() => users.id, { onDelete: "set null" }),
    submittedAt: instant("submitted_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.delegationId] })],
);

/**
 * The combined list as the secretariat published it (an INF document of the meeting): a frozen
 * copy, so the TLP:RED audience is exactly the people published, whatever changes later.
 */
export const participantLists = sqliteTable("participant_lists", {
  meetingId: text("meeting_id")
    .primaryKey()
    .references(() => meetings.id, { onDelete: "cascade" }),
  bodyId: text("body_id")
    .notNull()
    .references(() => bodies.id, { onDelete: "cascade" }),
  number: integer("number").notNull(),
  revision: integer("revision").notNull().default(0),
  entries: text("entries", { mode: "json" })
    .$type<Array<{ delegationId: string | null; userId: string | null; name: string; title: string; agency: string; role: string }>>()
    .notNull(),
  userIds: text("user_ids", { mode: "json" }).$type<string[]>().notNull(),
  publishedBy: text("published_by").references(() => users.id, { onDelete: "set null" }),
  publishedAt: instant("published_at").notNull(),
});
