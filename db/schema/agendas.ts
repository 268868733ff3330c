import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { markings } from "./actions";
import { bodies, delegations } from "./bodies";
import { meetings } from "./meetings";

export const agendaKinds = ["information", "discussion", "decision", "standing"] as const;
export type AgendaKind = (typeof agendaKinds)[number];
export const agendaStatuses = ["proposed", "agreed", "withdrawn"] as const;
export type AgendaStatus = (typeof agendaStatuses)[number];
/** Items every agenda carries, with behaviour of their own. */
export const specialItems = ["minutes_adoption", "action_review"] as const;

/** One agenda per meeting: its version, and whether the secretariat has locked it. */
export const agendas = sqliteTable("agendas", {
  meetingId: text("meeting_id")
    .primaryKey()
    .references(() => meetings.id, { onDelete: "cascade" }),
  bodyId: text("body_id")
    .notNull()
    .references(() => bodies.id, { onDelete: "cascade" }),
  /** Rises with every change to the agenda or any of its items. */
  version: integer("version").notNull().default(1),
  /** Rises each time the secretariat reopens a locked agenda: part of what heads concur with. */
  revision: integer("revision").notNull().default(0),
  lockedAt: instant("locked_at"),
  lockedBy: text("locked_by").references(() => users.id, { onDelete: "set null" }),
  updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const agendaItems = sqliteTable(
  "agenda_items",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    /** Fractional index: items sort by it, and a move rewrites only the moved item. */
    position: text("position").notNull(),
    title: text("title").notNull(),
    /** Sanitised HTML. */
    description: text("description").notNull().default(""),
    kind: text("kind", { enum: agendaKinds }).notNull(),
    special: text("special", { enum: specialItems }),
    leadDelegationId: text("lead_delegation_id").references(() => delegations.id, { onDelete: "set null" }),
    presenterId: text("presenter_id").references(() => users.id, { onDelete: "set null" }),
    minutes: integer("minutes").notNull().default(10),
    marking: text("marking", { enum: markings }).notNull(),
    status: text("status", { enum: agendaStatuses }).notNull().default("proposed"),
    version: integer("version").notNull().default(1),
    proposedBy: text("proposed_by").references(() => users.id, { onDelete: "set null" }),
    updatedBy: text("updated_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("agenda_items_meeting_position_unique").on(t.meetingId, t.position), index("agenda_items_body_idx").on(t.bodyId)],
);

/** A head's agreement, for their delegation, to the agenda exactly as it was (its hash). */
export const agendaConcurrences = sqliteTable(
  "agenda_concurrences",
  {
    id: id(),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    agendaHash: text("agenda_hash").notNull(),
    agendaVersion: integer("agenda_version").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("agenda_concurrences_meeting_idx").on(t.meetingId, t.delegationId, t.at)],
);

/** The body's standing items: every new agenda starts from them. */
export const standingItems = sqliteTable(
  "standing_items",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    position: text("position").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    kind: text("kind", { enum: agendaKinds }).notNull().default("standing"),
    minutes: integer("minutes").notNull().default(10),
    marking: text("marking", { enum: markings }).notNull().default("TLP:GREEN"),
  },
  (t) => [index("standing_items_body_idx").on(t.bodyId)],
);
