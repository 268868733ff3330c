import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "./columns";
import { roles } from "../vocabulary";
import { users } from "./accounts";

export const bodies = sqliteTable(
  "bodies",
  {
    id: id(),
    slug: text("slug").notNull(),
    nameEn: text("name_en").notNull(),
    nameJa: text("name_ja").notNull(),
    nameKo: text("name_ko").notNull(),
    /** Months between regular meetings: 3 for a quarterly body. */
    cadenceMonths: integer("cadence_months").notNull().default(3),
    /** Delegation ids in hosting order. */
    rotation: text("rotation", { mode: "json" }).$type<string[]>().notNull().default([]),
    defaultDurationMinutes: integer("default_duration_minutes").notNull().default(120),
    /** Local time of day ("HH:MM") in the host capital for in-person meetings. */
    defaultStartTime: text("default_start_time").notNull().default("10:00"),
    defaultMarking: text("default_marking").notNull().default("TLP:AMBER"),
    /** The secretariat requires every member to sign in with a second factor. */
    requireTwoFactor: integer("require_two_factor", { mode: "boolean" }).notNull().default(false),
    /** The body's document series, e.g. "TCCB" in TCCB/5/OD.1; null means the slug in capitals. */
    symbolPrefix: text("symbol_prefix"),
    /** The language the body works in: generated document scaffolds (the minutes' headings, attendance) are written in it. */
    workingLanguage: text("working_language", { enum: ["en", "ja", "ko"] }).notNull().default("en"),
    /**
     * Goes up, by triggers (migration 0020), with every write the action dashboard's statements
     * read: the body's action items, their assignees, an assignee's name. The dashboard keeps a
     * statement's answer until it moves (ADR 055).
     */
    actionsVersion: integer("actions_version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("bodies_slug_unique").on(t.slug)],
);

export const delegations = sqliteTable(
  "delegations",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    /** ISO 3166-1 alpha-2 country code. */
    code: text("code").notNull(),
    nameEn: text("name_en").notNull(),
    nameJa: text("name_ja").notNull(),
    nameKo: text("name_ko").notNull(),
    /** The capital's IANA time zone. */
    timeZone: text("time_zone").notNull(),
    /** Working language: "en" | "ja" | "ko". */
    language: text("language").notNull(),
    position: integer("position").notNull().default(0),
  },
  (t) => [
    uniqueIndex("delegations_body_code_unique").on(t.bodyId, t.code),
    index("delegations_body_idx").on(t.bodyId),
  ],
);

export { roles, type Role } from "../vocabulary";

export const memberships = sqliteTable(
  "memberships",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    /** Null only for the secretariat, which serves the body rather than a country. */
    delegationId: text("delegation_id").references(() => delegations.id, { onDelete: "restrict" }),
    role: text("role", { enum: roles }).notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("memberships_user_body_unique").on(t.userId, t.bodyId),
    index("memberships_body_idx").on(t.bodyId),
    index("memberships_delegation_idx").on(t.delegationId),
  ],
);
