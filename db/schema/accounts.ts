import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
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
    /**
     * How Concord asks and reminds the person by e-mail (concurrences, approvals, action items,
     * meetings): each ask as it arises, one digest a day, or never (ADR 025).
     */
    notifications: text("notifications", { enum: ["immediate", "daily", "off"] }).notNull().default("immediate"),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** Base32 TOTP secret (RFC 6238); in use once `totpConfirmedAt` is set. */
    totpSecret: text("totp_secret"),
    totpConfirmedAt: instant("totp_confirmed_at"),
    /** The last TOTP time step accepted, so a code cannot be used twice. */
    totpLastStep: integer("totp_last_step"),
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
    /** The client address the session was opened from, and last used from. */
    address: text("address"),
    /** "full", or "second-factor" while the password is checked but the second factor not yet. */
    stage: text("stage", { enum: ["full", "second-factor"] }).notNull().default("full"),
    /** The pending WebAuthn challenge of this session (registration or sign-in), if any. */
    challenge: text("challenge"),
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

/** Ten one-time recovery codes per person; only their SHA-256 is stored. */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: id(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: createdAt(),
    usedAt: instant("used_at"),
  },
  (t) => [index("recovery_codes_user_idx").on(t.userId), uniqueIndex("recovery_codes_hash_unique").on(t.userId, t.codeHash)],
);

/** Passkeys and security keys (WebAuthn credentials). */
export const webauthnCredentials = sqliteTable(
  "webauthn_credentials",
  {
    /** The credential id, base64url. */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    publicKey: blob("public_key", { mode: "buffer" }).notNull(),
    counter: integer("counter").notNull().default(0),
    transports: text("transports", { mode: "json" }).$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at"),
  },
  (t) => [index("webauthn_credentials_user_idx").on(t.userId)],
);

/**
 * Browsers that have signed in to an account before (a long-lived cookie holds a random token;
 * only its hash is here). Their attempts are not slowed by failures elsewhere, so an attacker
 * guessing a person's password from another address cannot lock that person out.
 */
export const knownDevices = sqliteTable(
  "known_devices",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastUsedAt: instant("last_used_at").notNull(),
  },
  (t) => [index("known_devices_user_idx").on(t.userId)],
);

/**
 * Every ask or reminder Concord has dealt with for a person, by a key naming what it was about
 * ("agenda.concur:<meeting>", "digest:<body>:<date>"…): mailed, put into a digest or, when the
 * person wants no mail, only noted. The primary key makes each one happen once however many
 * instances sweep at the same time (ADR 025).
 */
export const notificationLog = sqliteTable(
  "notification_log",
  {
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** "mailed", "digest" or "noted" (the person's setting was off, or the ask went into a digest). */
    outcome: text("outcome", { enum: ["mailed", "digest", "noted"] }).notNull(),
    at: instant("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.key] })],
);
