import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";

export const users = sqliteTable(
  "users",
  {
    id: id(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash"),
    /** "en" | "ja" | "ko"; null means "follow the browser". */
    locale: text("locale"),
    /** IANA zone; null means "my delegation's capital". */
    timeZone: text("time_zone"),
    /** Minutes before a meeting that calendar files ask the person's client to remind them (VALARM); null: no reminder. */
    reminderMinutes: integer("reminder_minutes"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_unique").on(sql`lower(${t.email})`)],
);

/** The cookie carries a random token; only its SHA-256 is stored here. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: instant("last_seen_at").notNull(),
    expiresAt: instant("expires_at").notNull(),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

/** One-time links to set a password (new members, resets). Only the hash is stored. */
export const passwordTokens = sqliteTable(
  "password_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (t) => [index("password_tokens_user_idx").on(t.userId)],
);

/** Failed sign-ins, keyed by account ("email:…") and by address ("ip:…"), for throttling. */
export const signInFailures = sqliteTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: instant("at").notNull(),
  },
  (t) => [index("sign_in_failures_key_at_idx").on(t.key, t.at)],
);
