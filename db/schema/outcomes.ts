import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant, updatedAt } from "./columns";
import { users } from "./accounts";
import { bodies, delegations } from "./bodies";
import { meetings } from "./meetings";

export const outcomeKinds = ["joint_statement", "chairs_summary", "readout", "fact_sheet"] as const;
export type OutcomeKind = (typeof outcomeKinds)[number];
export const outcomeStatuses = ["negotiating", "silence", "adopted", "issued"] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];
/** A negotiated text is shared by every delegation: any marking but AMBER+STRICT (ADR 027). */
export const outcomeMarkings = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"] as const;
/** "source": only the negotiating language's text is authentic; "all": every language version equally. */
export const outcomeAuthenticity = ["source", "all"] as const;

/**
 * What a meeting issues: negotiated live (brackets), cleared by each head, adopted by
 * clearance or silence, then issued in parallel texts. The symbol is the body's prefix, the
 * meeting's ordinal and `OD.<number>`, with `/Rev.<revision>` from the first revision on.
 */
export const outcomeDocuments = sqliteTable(
  "outcome_documents",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    revision: integer("revision").notNull().default(0),
    kind: text("kind", { enum: outcomeKinds }).notNull(),
    title: text("title").notNull(),
    marking: text("marking", { enum: outcomeMarkings }).notNull().default("TLP:AMBER"),
    /** The negotiating language: the live text is written in it. */
    language: text("language").notNull().default("en"),
    authenticity: text("authenticity", { enum: outcomeAuthenticity }).notNull().default("source"),
    status: text("status", { enum: outcomeStatuses }).notNull().default("negotiating"),
    /** SHA-256 of the live text's content as last read: what clearances are tied to. */
    contentHash: text("content_hash"),
    /** The live text's words, for search. */
    text: text("text").notNull().default(""),
    adoptedAt: instant("adopted_at"),
    adoptedHow: text("adopted_how", { enum: ["clearance", "silence"] }),
    adoptedHash: text("adopted_hash"),
    issuedAt: instant("issued_at"),
    /** A random token while the secretariat publishes an issued TLP:CLEAR document; null otherwise. */
    publicToken: text("public_token"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    version: integer("version").notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("outcome_documents_meeting_number_unique").on(t.meetingId, t.number),
    uniqueIndex("outcome_documents_public_token_unique").on(t.publicToken),
    index("outcome_documents_body_idx").on(t.bodyId),
  ],
);

/** Every Yjs update of the live text, stored before it is acknowledged (ADR 007, ADR 017). */
export const outcomeUpdates = sqliteTable(
  "outcome_updates",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    update: blob("update", { mode: "buffer" }).notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [index("outcome_updates_document_idx").on(t.documentId, t.id)],
);

export const outcomeSnapshots = sqliteTable("outcome_snapshots", {
  documentId: text("document_id")
    .primaryKey()
    .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
  state: blob("state", { mode: "buffer" }).notNull(),
  throughUpdateId: integer("through_update_id").notNull(),
  at: instant("at").notNull(),
});

export const bracketStatuses = ["open", "resolved", "withdrawn", "lost"] as const;

/**
 * The register of brackets: who put each one in (the owner), what it held, and how it ended.
 * The live text carries the bracket as a mark; the register is the truth about its owner.
 */
export const outcomeBrackets = sqliteTable(
  "outcome_brackets",
  {
    id: text("id").primaryKey(),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    text: text("text").notNull(),
    alternatives: text("alternatives", { mode: "json" }).$type<string[]>().notNull().default([]),
    status: text("status", { enum: bracketStatuses }).notNull().default("open"),
    /** The text that was agreed for it (resolved), or kept (withdrawn). */
    outcome: text("outcome"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    closedAt: instant("closed_at"),
  },
  (t) => [index("outcome_brackets_document_idx").on(t.documentId, t.status)],
);

/** A delegation's choice for one bracket: 0 is the bracketed text, n the nth alternative. */
export const outcomeBracketAcceptances = sqliteTable(
  "outcome_bracket_acceptances",
  {
    id: id(),
    bracketId: text("bracket_id")
      .notNull()
      .references(() => outcomeBrackets.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    option: integer("option").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [uniqueIndex("outcome_bracket_acceptances_unique").on(t.bracketId, t.delegationId)],
);

export const clearanceKinds = ["cleared", "ad_referendum"] as const;

/** A head's clearance for their capital of one exact text (content hash); any change voids it. */
export const outcomeClearances = sqliteTable(
  "outcome_clearances",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    delegationId: text("delegation_id")
      .notNull()
      .references(() => delegations.id, { onDelete: "cascade" }),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    kind: text("kind", { enum: clearanceKinds }).notNull(),
    contentHash: text("content_hash").notNull(),
    revision: integer("revision").notNull().default(0),
    /** Given while a silence procedure was running (shown as such). */
    silenceId: text("silence_id"),
    at: instant("at").notNull(),
  },
  (t) => [index("outcome_clearances_document_idx").on(t.documentId, t.delegationId, t.at)],
);

export const silenceStatuses = ["running", "broken", "adopted", "cleared"] as const;

/**
 * A silence procedure: adopted at `deadline` unless a head breaks silence. The deadline job
 * adopts in one transaction guarded by status = 'running', so a restart or a second instance
 * neither loses nor repeats it.
 */
export const outcomeSilences = sqliteTable(
  "outcome_silences",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    contentHash: text("content_hash").notNull(),
    deadline: instant("deadline").notNull(),
    /** The zone the secretariat set the deadline in. */
    timeZone: text("time_zone").notNull(),
    status: text("status", { enum: silenceStatuses }).notNull().default("running"),
    startedBy: text("started_by").references(() => users.id, { onDelete: "set null" }),
    startedAt: instant("started_at").notNull(),
    brokenBy: text("broken_by").references(() => users.id, { onDelete: "set null" }),
    brokenDelegationId: text("broken_delegation_id").references(() => delegations.id, { onDelete: "set null" }),
    reason: text("reason"),
    endedAt: instant("ended_at"),
  },
  (t) => [index("outcome_silences_due_idx").on(t.status, t.deadline), index("outcome_silences_document_idx").on(t.documentId)],
);

/** One paragraph of a language version, aligned to the source paragraph it translates. */
export const outcomeTranslations = sqliteTable(
  "outcome_translations",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    language: text("language").notNull(),
    paragraphId: text("paragraph_id").notNull(),
    text: text("text").notNull(),
    /** SHA-256 of the source paragraph as it was translated: a different hash now means stale. */
    sourceHash: text("source_hash").notNull(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    at: instant("at").notNull(),
  },
  (t) => [uniqueIndex("outcome_translations_unique").on(t.documentId, t.language, t.paragraphId)],
);

/** Whether a language version is final (marked by the secretariat or that language's head). */
export const outcomeLanguageVersions = sqliteTable(
  "outcome_language_versions",
  {
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    language: text("language").notNull(),
    final: integer("final", { mode: "boolean" }).notNull().default(false),
    markedBy: text("marked_by").references(() => users.id, { onDelete: "set null" }),
    markedAt: instant("marked_at"),
  },
  (t) => [uniqueIndex("outcome_language_versions_unique").on(t.documentId, t.language)],
);

/** The issued document: every language version frozen, with one SHA-256 over them all. */
export const outcomeIssues = sqliteTable(
  "outcome_issues",
  {
    id: id(),
    documentId: text("document_id")
      .notNull()
      .references(() => outcomeDocuments.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull(),
    symbol: text("symbol").notNull(),
    /** { [language]: { title, paragraphs: [{ type, level?, text }] } } */
    versions: text("versions", { mode: "json" }).$type<Record<string, IssuedVersion>>().notNull(),
    sha256: text("sha256").notNull(),
    issuedBy: text("issued_by").references(() => users.id, { onDelete: "set null" }),
    issuedAt: instant("issued_at").notNull(),
  },
  (t) => [uniqueIndex("outcome_issues_document_revision_unique").on(t.documentId, t.revision)],
);

export interface IssuedVersion {
  paragraphs: Array<{ id: string; type: "heading" | "paragraph"; level?: number; text: string }>;
}
