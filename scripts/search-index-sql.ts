import { KIND_NUMBERS, kindRange } from "../app/lib/search-index";

/**
 * Prints the SQL that (re)builds the search index: the full-text tables and the triggers that
 * keep them in step with the source tables (ADR 035), with each kind's entry ids in a range of
 * their own (ADR 054). Migration 0012 was made by the first version of this script (after its
 * drizzle-made table), 0019 by this one, which first drops what 0012 and 0013 made and then
 * indexes every row again. Kept so the triggers can be regenerated for a later migration
 * rather than edited by hand: `npx tsx scripts/search-index-sql.ts > db/migrations/NNNN_….sql`.
 */

interface Source {
  table: string;
  /** The column naming the row (its primary key). */
  id: string;
  kind: keyof typeof KIND_NUMBERS;
  /** The hit the text counts for, as a column of the row. */
  record: string;
  /** The searchable text, as an expression over the row's columns (`$` stands for the row). */
  text: string;
  /** Columns whose change changes the text or the record. */
  columns: string[];
}

const sources: Source[] = [
  { table: "agenda_items", id: "id", kind: "agenda", record: "id", text: "$.title || char(10) || $.description", columns: ["title", "description"] },
  { table: "minutes", id: "meeting_id", kind: "minutes", record: "meeting_id", text: "$.text", columns: ["text"] },
  { table: "decisions", id: "id", kind: "decisions", record: "id", text: "$.text", columns: ["text"] },
  { table: "action_items", id: "id", kind: "actions", record: "id", text: "$.title || char(10) || $.detail", columns: ["title", "detail"] },
  { table: "outcome_documents", id: "id", kind: "outcomes", record: "id", text: "$.title || char(10) || $.text", columns: ["title", "text"] },
  { table: "outcome_translations", id: "id", kind: "outcomes", record: "document_id", text: "$.text", columns: ["text", "document_id"] },
  { table: "papers", id: "id", kind: "papers", record: "id", text: "$.title", columns: ["title"] },
  { table: "paper_files", id: "id", kind: "papers", record: "paper_id", text: "$.text", columns: ["text", "paper_id"] },
];

/**
 * The trigram table indexes the text followed by two newlines, so that every character of
 * the text starts at least one trigram: a one- or two-character query is then answered from
 * the index's own vocabulary (the trigrams that begin with it, `search_trigram_terms`)
 * without a second n-gram table (ADR 035). Queries never end in whitespace.
 */
const padded = (text: string) => `${text} || char(10, 10)`;

const on = (expr: string, row: string) => expr.replaceAll("$", row);

/** The next id in the kind's range (the largest is found by one seek of the primary key). */
const nextId = (s: Source) => {
  const { from, to } = kindRange(s.kind);
  return `(SELECT coalesce(max(id), ${from}) + 1 FROM search_entries WHERE id >= ${from} AND id < ${to})`;
};

/** Rows indexed before: the triggers of migration 0012 (same names) and its tables, and 0013's table over them. */
const drops: string[] = [
  ...sources.flatMap((s) => ["insert", "update", "delete"].map((event) => `DROP TRIGGER IF EXISTS \`search_${s.table}_${event}\``)),
  "DROP TABLE IF EXISTS `search_trigram_instances`",
  "DROP TABLE IF EXISTS `search_trigram_terms`",
  "DROP TABLE IF EXISTS `search_trigrams`",
  "DROP TABLE IF EXISTS `search_words`",
  "DELETE FROM `search_entries`",
];

const statements: string[] = [
  ...drops,
  "CREATE VIRTUAL TABLE `search_trigrams` USING fts5(text, tokenize = 'trigram', content = '', contentless_delete = 1)",
  "CREATE VIRTUAL TABLE `search_trigram_terms` USING fts5vocab(search_trigrams, 'row')",
  "CREATE VIRTUAL TABLE `search_words` USING fts5(words, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3', content = '', contentless_delete = 1)",
  // Migration 0013's table: where each trigram occurs (entry, position), for short punctuation terms.
  "CREATE VIRTUAL TABLE `search_trigram_instances` USING fts5vocab(search_trigrams, 'instance')",
];

for (const s of sources) {
  const entry = (row: string) => `(SELECT id FROM search_entries WHERE source = '${s.table}' AND source_id = ${row}.${s.id})`;
  const add = (row: string) => [
    `INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT ${nextId(s)}, '${s.kind}', ${row}.${s.record}, '${s.table}', ${row}.${s.id} WHERE ${row}.${s.record} IS NOT NULL;`,
    `INSERT INTO search_trigrams (rowid, text) SELECT id, ${padded(on(s.text, row))} FROM search_entries WHERE source = '${s.table}' AND source_id = ${row}.${s.id};`,
    `INSERT INTO search_words (rowid, words) SELECT id, ${on(s.text, row)} FROM search_entries WHERE source = '${s.table}' AND source_id = ${row}.${s.id};`,
  ];
  const remove = (row: string) => [
    `DELETE FROM search_trigrams WHERE rowid = ${entry(row)};`,
    `DELETE FROM search_words WHERE rowid = ${entry(row)};`,
    `DELETE FROM search_entries WHERE source = '${s.table}' AND source_id = ${row}.${s.id};`,
  ];
  const changed = s.columns.map((c) => `old.${c} IS NOT new.${c}`).join(" OR ");
  statements.push(`CREATE TRIGGER \`search_${s.table}_insert\` AFTER INSERT ON \`${s.table}\` BEGIN\n  ${add("new").join("\n  ")}\nEND`);
  statements.push(`CREATE TRIGGER \`search_${s.table}_update\` AFTER UPDATE OF ${s.columns.join(", ")} ON \`${s.table}\` WHEN ${changed} BEGIN\n  ${[...remove("old"), ...add("new")].join("\n  ")}\nEND`);
  statements.push(`CREATE TRIGGER \`search_${s.table}_delete\` AFTER DELETE ON \`${s.table}\` BEGIN\n  ${remove("old").join("\n  ")}\nEND`);
  // What is already there: the same statements over every row (the range's largest id is read once, before the insert).
  statements.push(`INSERT INTO search_entries (id, kind, record_id, source, source_id) SELECT ${nextId(s)} - 1 + row_number() OVER (), '${s.kind}', r.${s.record}, '${s.table}', r.${s.id} FROM \`${s.table}\` AS r WHERE r.${s.record} IS NOT NULL`);
  statements.push(`INSERT INTO search_trigrams (rowid, text) SELECT e.id, ${padded(on(s.text, "r"))} FROM \`${s.table}\` AS r JOIN search_entries AS e ON e.source = '${s.table}' AND e.source_id = r.${s.id}`);
  statements.push(`INSERT INTO search_words (rowid, words) SELECT e.id, ${on(s.text, "r")} FROM \`${s.table}\` AS r JOIN search_entries AS e ON e.source = '${s.table}' AND e.source_id = r.${s.id}`);
}

console.log(statements.map((s) => `${s};`).join("\n--> statement-breakpoint\n"));
