import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { bodies, delegations } from "./bodies";
import { markings } from "../vocabulary";
import { meetings } from "./meetings";

export const actionStatuses = ["open", "in_progress", "done", "dropped"] as const;
export type ActionStatus = (typeof actionStatuses)[number];
export const priorities = ["low", "normal", "high"] as const;
export type Priority = (typeof priorities)[number];
/** Traffic Light Protocol 2.0, least to most restricted. */
export { markings, type Marking } from "../vocabulary";
export const dueKinds = ["date", "next_meeting"] as const;

export const actionItems = sqliteTable(
  "action_items",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    /** A short number people can say in a meeting: "item 17". Unique within the body. */
    ref: integer("ref").notNull(),
    title: text("title").notNull(),
    /** Sanitised HTML. */
    detail: text("detail").notNull().default(""),
    ownerDelegationId: text("owner_delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "restrict" }),
    dueKind: text("due_kind", { enum: dueKinds }).notNull(),
    /** The date asked for, when dueKind is "date" (YYYY-MM-DD). */
    dueDate: text("due_date"),
    /** The date it is due now: dueDate, or the local date of the next meeting, kept current as meetings move. */
    dueOn: text("due_on"),
    /** For "by the next meeting": the meeting that is. */
    dueMeetingId: text("due_meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    priority: text("priority", { enum: priorities }).notNull().default("normal"),
    status: text("status", { enum: actionStatuses }).notNull().default("open"),
    marking: text("marking", { enum: markings }).notNull().default("TLP:AMBER"),
    originMeetingId: text("origin_meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    originAgendaItemId: text("origin_agenda_item_id"),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    closedAt: instant("closed_at"),
  },
  (t) => [
    uniqueIndex("action_items_body_ref_unique").on(t.bodyId, t.ref),
    index("action_items_body_status_idx").on(t.bodyId, t.status),
    index("action_items_body_due_idx").on(t.bodyId, t.dueOn),
    index("action_items_origin_idx").on(t.originMeetingId),
    index("action_items_owner_idx").on(t.ownerDelegationId),
    // Everything the dashboard filters (the TLP rule too), orders, counts and buckets by: its
    // page and grouped statements read this index alone, and only the page's rows whole (ADR 046).
    index("action_items_dashboard_idx").on(t.bodyId, t.status, t.marking, t.originMeetingId, t.ownerDelegationId, t.createdBy, t.dueOn, t.priority, t.ref, t.id, t.createdAt, t.closedAt),
  ],
);

export const actionItemAssignees = sqliteTable(
  "action_item_assignees",
  {
    itemId: text("item_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.itemId, t.userId] }), index("action_item_assignees_user_idx").on(t.userId)],
);

export const actionEventKinds = ["created", "edited", "status", "note", "review"] as const;

/** The item's timeline: every change, with who, when, what and (for reviews) at which meeting. */
export const actionItemEvents = sqliteTable(
  "action_item_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    itemId: text("item_id")
      .notNull()
      .references(() => actionItems.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: actionEventKinds }).notNull(),
    /** Set when the entry was made reviewing the item at a meeting. */
    meetingId: text("meeting_id").references(() => meetings.id, { onDelete: "set null" }),
    changes: text("changes", { mode: "json" }).$type<Record<string, { from: unknown; to: unknown }>>(),
    note: text("note"),
    statusAfter: text("status_after", { enum: actionStatuses }).notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("action_item_events_item_idx").on(t.itemId, t.at), index("action_item_events_meeting_idx").on(t.meetingId)],
);
