import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { bodies, delegations } from "./bodies";
import { meetings } from "./meetings";

export const minutesStatuses = ["draft", "circulated", "adopted"] as const;
export type MinutesStatus = (typeof minutesStatuses)[number];

/** One collaborative record per meeting, and where it is in its life cycle. */
export const minutes = sqliteTable("minutes", {
  meetingId: text("meeting_id")
    .primaryKey()
    .references(() => meetings.id, { onDelete: "cascade" }),
  bodyId: text("body_id")
    .notNull()
    .references(() => bodies.id, { onDelete: "cascade" }),
  status: text("status", { enum: minutesStatuses }).notNull().default("draft"),
  /** Set while an adopted record is being amended: the amendment's number (1, 2, …). */
  amending: integer("amending"),
  circulatedAt: instant("circulated_at"),
  circulatedBy: text("circulated_by").references(() => users.id, { onDelete: "set null" }),
  adoptedAt: instant("adopted_at"),
  adoptedBy: text("adopted_by").references(() => users.id, { onDelete: "set null" }),
  /** The document's words, kept current for search. */
  text: text("text").notNull().default(""),
  /** SHA-256 of the document's content as last stored: what approvals are tied to. */
  contentHash: text("content_hash"),
  lastVersionAt: instant("last_version_at"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Every Yjs update the server acknowledged, appended as it arrives: nothing acknowledged is
 * lost if the process dies (see ADR 007). Compacted into snapshots from time to time.
 */
export const minutesUpdates = sqliteTable(
  "minutes_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    update: blob("update", { mode: "buffer" }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [index("minutes_updates_meeting_idx").on(t.meetingId, t.id)],
);

/** The whole document as one Yjs V2 update, covering every update up to `throughUpdateId`. */
export const minutesSnapshots = sqliteTable(
  "minutes_snapshots",
  {
    meetingId: text("meeting_id")
      .primaryKey()
      .references(() => meetings.id, { onDelete: "cascade" }),
    state: blob("state", { mode: "buffer" }).notNull(),
    throughUpdateId: integer("through_update_id").notNull(),
    at: instant("at").notNull(),
  },
);

export const minutesVersionKinds = ["autosave", "circulated", "approval", "adopted", "restored", "amendment"] as const;

/** Named versions: at circulation, each approval, adoption, restores, and periodic autosaves. */
export const minutesVersions = sqliteTable(
  "minutes_versions",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: minutesVersionKinds }).notNull(),
    label: text("label"),
    /** Yjs V2 state of the document at that moment. */
    state: blob("state", { mode: "buffer" }).notNull(),
    /** SHA-256 of the document's content (what approvals are tied to). */
    contentHash: text("content_hash").notNull(),
    contributors: text("contributors", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [index("minutes_versions_meeting_idx").on(t.meetingId, t.at)],
);

/** A head's approval, for their delegation, of the minutes exactly as they were (content hash). */
export const minutesApprovals = sqliteTable(
  "minutes_approvals",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    contentHash: text("content_hash").notNull(),
    /** 0 for the original record, n for the nth amendment. */
    amendment: integer("amendment").notNull().default(0),
    at: instant("at").notNull(),
  },
  (t) => [index("minutes_approvals_meeting_idx").on(t.meetingId, t.delegationId, t.at)],
);

/** The official record: frozen at adoption (JSON, HTML and its SHA-256), and each amendment after it. */
export const minutesRecords = sqliteTable(
  "minutes_records",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    amendment: integer("amendment").notNull().default(0),
    json: text("json").notNull(),
    html: text("html").notNull(),
    text: text("text").notNull(),
    sha256: text("sha256").notNull(),
    reason: text("reason"),
    adoptedBy: text("adopted_by").references(() => users.id, { onDelete: "set null" }),
    adoptedAt: instant("adopted_at").notNull(),
  },
  (t) => [uniqueIndex("minutes_records_meeting_amendment_unique").on(t.meetingId, t.amendment)],
);

/** Comments on the minutes: how members who may not edit (or anyone, once circulated) take part. */
export const minutesComments = sqliteTable(
  "minutes_comments",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    text: text("text").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("minutes_comments_meeting_idx").on(t.meetingId, t.at)],
);

/** The body's decision register: decisions are born as nodes in the minutes and numbered here. */
export const decisions = sqliteTable(
  "decisions",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    text: text("text").notNull(),
    agendaItemId: text("agenda_item_id"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("decisions_body_number_unique").on(t.bodyId, t.number), index("decisions_meeting_idx").on(t.meetingId)],
);
