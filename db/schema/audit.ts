import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { instant } from "./columns";
import { users } from "./accounts";
import { bodies } from "./bodies";

/** Append-only: who did what to which record, with the record before and after. */
export const auditEvents = sqliteTable(
  "audit_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Null for account-level events that belong to no body (a password change). */
    bodyId: text("body_id").references(() => bodies.id, { onDelete: "cascade" }),
    /** Null when the system acted (seed, scheduled delivery). */
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    entityType: text("entity_type").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }).$type<Record<string, unknown> | null>(),
    after: text("after", { mode: "json" }).$type<Record<string, unknown> | null>(),
    at: instant("at").notNull(),
  },
  (t) => [
    index("audit_events_body_at_idx").on(t.bodyId, t.at),
    index("audit_events_entity_idx").on(t.entityType, t.entityId),
    index("audit_events_actor_idx").on(t.actorId),
  ],
);
