import type { Client } from "@libsql/client";

/**
 * `PRAGMA integrity_check` that can be trusted while another connection writes (ADR 035,
 * addendum). Since SQLite 3.44 the pragma also checks every FTS5 table (its xIntegrity
 * method), but that check reads the FTS5 index's structure record (which segments exist) as
 * this connection last cached it, without first asking whether another connection has
 * committed since — the step every FTS5 query takes when it opens a cursor. On a connection
 * that has looked at an FTS5 table before, a commit from elsewhere (a new or merged segment)
 * makes the pragma report "malformed inverted index for FTS5 table …" over an index that is
 * sound: a fresh connection, or the same one after opening a cursor, says "ok". Seen on
 * libSQL's SQLite 3.45.1 with every kind of FTS5 table (regular, external-content,
 * contentless, contentless-delete).
 *
 * So the check runs in one read transaction that first opens a cursor on every FTS5 table
 * (the structure is then re-read for this transaction's snapshot) and then runs the pragma
 * on that same snapshot. Returns the pragma's lines: `["ok"]` when sound.
 */
export async function integrityCheck(client: Client): Promise<string[]> {
  const tx = await client.transaction("read");
  try {
    const tables = await fts5Tables(tx);
    for (const table of tables) await tx.execute(`SELECT count(*) FROM "${table}" WHERE rowid = 0`);
    const result = await tx.execute("PRAGMA integrity_check");
    return result.rows.map((row) => String(row[0]));
  } finally {
    tx.close();
  }
}

/**
 * FTS5's own check of every FTS5 table (`INSERT INTO t(t) VALUES('integrity-check')`): the
 * same index check as the pragma's, run as a write statement (so it takes the write lock and
 * starts from the current structure). Rolled back; throws "database disk image is
 * malformed" naming the table when an index is broken.
 */
export async function fts5IntegrityCheck(client: Client): Promise<void> {
  const tx = await client.transaction("write");
  try {
    for (const table of await fts5Tables(tx)) {
      try {
        await tx.execute(`INSERT INTO "${table}"("${table}") VALUES('integrity-check')`);
      } catch (error) {
        throw new Error(`FTS5 integrity-check of ${table}: ${(error as Error).message}`);
      }
    }
  } finally {
    await tx.rollback().catch(() => {});
    tx.close();
  }
}

async function fts5Tables(tx: { execute(sql: string): Promise<{ rows: ArrayLike<Record<string, unknown>> }> }): Promise<string[]> {
  const result = await tx.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE % USING fts5(%'");
  return Array.from(result.rows, (row) => String(row.name));
}
