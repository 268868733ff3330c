import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, instant } from "./columns";
import { users } from "./accounts";
import { markings } from "./actions";
import { agendaItems } from "./agendas";
import { bodies, delegations } from "./bodies";
import { meetings } from "./meetings";

/**
 * The meeting's document series: INF numbers are shared by its papers and its list of
 * participants, OD numbers by its outcome documents (`TCCB/5/INF.3`, `TCCB/5/OD.1`).
 */
export const symbolCounters = sqliteTable(
  "symbol_counters",
  {
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    series: text("series").notNull(),
    last: integer("last").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.series] })],
);

/** A read-ahead paper on an agenda item: its symbol, title and marking. Its versions are `paper_files`. */
export const papers = sqliteTable(
  "papers",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    meetingId: text("meeting_id")
      .notNull()
      .references(() => meetings.id, { onDelete: "cascade" }),
    agendaItemId: text("agenda_item_id")
      .notNull()
      .references(() => agendaItems.id, { onDelete: "cascade" }),
    /** INF number in the meeting's series. */
    number: integer("number").notNull(),
    title: text("title").notNull(),
    marking: text("marking", { enum: markings }).notNull(),
    /** TLP:AMBER+STRICT: the delegations that may read it. */
    delegationIds: text("delegation_ids", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** The delegation that sent it (null: the secretariat). */
    delegationId: text("delegation_id").references(() => delegations.id, { onDelete: "set null" }),
    uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    /** The current version's revision (0: the original). */
    revision: integer("revision").notNull().default(0),
    withdrawnAt: instant("withdrawn_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("papers_meeting_number_unique").on(t.meetingId, t.number), index("papers_item_idx").on(t.agendaItemId), index("papers_body_idx").on(t.bodyId)],
);

export const paperStorages = ["database", "directory"] as const;

/**
 * One uploaded file: a version of a paper once complete. Bytes live in `paper_chunks` (or in
 * the storage directory, by SHA-256). A row with `paperId` null is an upload under way; it is
 * removed when the upload fails and swept at start-up when the process died during one.
 */
export const paperFiles = sqliteTable(
  "paper_files",
  {
    id: id(),
    bodyId: text("body_id")
      .notNull()
      .references(() => bodies.id, { onDelete: "cascade" }),
    paperId: text("paper_id").references(() => papers.id, { onDelete: "cascade" }),
    revision: integer("revision").notNull().default(0),
    filename: text("filename").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull().default(0),
    sha256: text("sha256"),
    storage: text("storage", { enum: paperStorages }).notNull().default("database"),
    /** Words of PDF and DOCX papers, for search. */
    text: text("text").notNull().default(""),
    uploadedBy: text("uploaded_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [index("paper_files_paper_idx").on(t.paperId, t.revision), index("paper_files_body_idx").on(t.bodyId)],
);

/** A file's bytes in order, in pieces small enough for any libSQL server. */
export const paperChunks = sqliteTable(
  "paper_chunks",
  {
    fileId: text("file_id")
      .notNull()
      .references(() => paperFiles.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    data: blob("data", { mode: "buffer" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.seq] })],
);

/** Read receipts: who opened which version of a paper, when. */
export const paperReads = sqliteTable(
  "paper_reads",
  {
    id: id(),
    paperId: text("paper_id")
      .notNull()
      .references(() => papers.id, { onDelete: "cascade" }),
    fileId: text("file_id").references(() => paperFiles.id, { onDelete: "set null" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** "download" or "book". */
    via: text("via").notNull().default("download"),
    at: instant("at").notNull(),
  },
  (t) => [index("paper_reads_paper_idx").on(t.paperId, t.at)],
);
