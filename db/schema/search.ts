import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * One row per searchable text of a record (an agenda item, the minutes of a meeting, a
 * decision, an action item, an outcome document or one of its translations, a paper or one
 * of its files). Its id is the rowid of that text in the full-text tables `search_trigrams`
 * and `search_words` (FTS5, contentless), which are not drizzle tables: SQL triggers on the
 * source tables keep all three in step in the writing transaction (migration 0012, ADR 035).
 */
export const searchEntries = sqliteTable(
  "search_entries",
  {
    id: integer("id").primaryKey(),
    /** The search kind the text belongs to (`agenda`, `minutes`, …). */
    kind: text("kind").notNull(),
    /** The hit it counts for: the agenda item, the meeting (minutes), the outcome document, the paper… */
    recordId: text("record_id").notNull(),
    /** The table and row the text came from. */
    source: text("source").notNull(),
    sourceId: text("source_id").notNull(),
  },
  (t) => [uniqueIndex("search_entries_source_unique").on(t.source, t.sourceId), index("search_entries_kind_record_idx").on(t.kind, t.recordId)],
);
