import { sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import * as Y from "yjs";
import { db, type DbOrTx } from "~/lib/db.server";

/**
 * Durable storage of a live Yjs document (ADR 007), the same for the minutes, the annex and
 * outcome documents, each on its own two tables (so an annex's words never share a table, a
 * search index or a backup filter with the minutes, ADR 037):
 * - every update the server accepts is appended (`<kind>_updates`: id, key, update, user_id,
 *   at) before it is applied and acknowledged;
 * - from time to time the document is compacted into one Yjs V2 snapshot (`<kind>_snapshots`:
 *   key, state, through_update_id, at) and the updates it contains are deleted;
 * - loading is the snapshot plus whatever updates remain, read by one statement.
 */
export interface LiveTables {
  updates: SQLiteTable;
  snapshots: SQLiteTable;
  /** The column naming the document in both tables. */
  key: "meeting_id" | "document_id";
}

/** Refuses anything that is not a well-formed Yjs update, before it is stored or applied. */
export function assertValidUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new Error("malformed Yjs update");
  }
}

/** The document's state, with a stored snapshot it does not contain yet folded in (garbage-collected, as Yjs encodes it). */
function foldIn(stored: Uint8Array, current: Uint8Array, snapshot: Y.Snapshot): Uint8Array {
  if (Y.snapshotContainsUpdate(snapshot, Y.convertUpdateFormatV2ToV1(stored))) return current;
  const both = new Y.Doc();
  Y.applyUpdateV2(both, stored);
  Y.applyUpdateV2(both, current);
  const state = Y.encodeStateAsUpdateV2(both);
  both.destroy();
  return state;
}

type Bytes = ArrayBuffer | Uint8Array;

export function liveStore({ updates, snapshots, key }: LiveTables) {
  const keyColumn = sql.identifier(key);

  /** Stores one update; its id. */
  async function append(id: string, update: Uint8Array, userId: string | null, tx: DbOrTx = db()): Promise<number> {
    assertValidUpdate(update);
    const [row] = await tx.all<{ id: number }>(
      sql`insert into ${updates} (${keyColumn}, "update", "user_id", "at") values (${id}, ${Buffer.from(update)}, ${userId}, ${Date.now()}) returning "id"`,
    );
    return Number(row.id);
  }

  /** Applies the stored document to `doc`; false when nothing was stored yet. */
  async function loadInto(id: string, doc: Y.Doc, tx: DbOrTx = db()): Promise<boolean> {
    // One statement, so one consistent read: read in two, a compaction committing between
    // them leaves the copy with the old snapshot and without the updates it folded in.
    const rows = await tx.all<{ kind: number; bytes: Bytes }>(
      sql`select 0 as "kind", "state" as "bytes", 0 as "id" from ${snapshots} where ${keyColumn} = ${id}
          union all select 1, "update", "id" from ${updates} where ${keyColumn} = ${id} order by 1, 3`,
    );
    Y.transact(
      doc,
      () => {
        for (const row of rows) {
          const bytes = new Uint8Array(row.bytes);
          if (Number(row.kind) === 0) Y.applyUpdateV2(doc, bytes);
          else Y.applyUpdate(doc, bytes);
        }
      },
      "storage",
    );
    return rows.length > 0;
  }

  /** A stored document, loaded into a fresh Y.Doc (for versions, exports, tests). */
  async function loadDoc(id: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    await loadInto(id, doc);
    return doc;
  }

  /**
   * Folds the updates the document already contains into one V2 snapshot and deletes them.
   * An update stored but not yet applied (in flight between storage and the document) is not
   * contained, so it stays: nothing is deleted that the snapshot does not hold.
   */
  async function compact(id: string, doc: Y.Doc): Promise<{ folded: number; kept: number; bytes: number }> {
    const current = Y.encodeStateAsUpdateV2(doc);
    const snapshot = Y.snapshot(doc);
    return db().transaction(async (tx) => {
      // Another instance holding the same document (ADR 021) may have compacted updates this
      // one has not received yet: the new snapshot folds in the stored one, never replaces it.
      const [stored] = await tx.all<{ state: Bytes }>(sql`select "state" from ${snapshots} where ${keyColumn} = ${id}`);
      const state = stored ? foldIn(new Uint8Array(stored.state), current, snapshot) : current;
      const rows = await tx.all<{ id: number; update: Bytes }>(sql`select "id", "update" from ${updates} where ${keyColumn} = ${id}`);
      const contained = rows.filter((r) => Y.snapshotContainsUpdate(snapshot, new Uint8Array(r.update))).map((r) => Number(r.id));
      const through = contained.length ? Math.max(...contained) : 0;
      await tx.run(
        sql`insert into ${snapshots} (${keyColumn}, "state", "through_update_id", "at") values (${id}, ${Buffer.from(state)}, ${through}, ${Date.now()})
            on conflict (${keyColumn}) do update set "state" = excluded."state", "through_update_id" = excluded."through_update_id", "at" = excluded."at"`,
      );
      for (let i = 0; i < contained.length; i += 500) {
        const ids = contained.slice(i, i + 500);
        await tx.run(sql`delete from ${updates} where "id" in (${sql.join(ids.map((n) => sql`${n}`), sql`, `)})`);
      }
      return { folded: contained.length, kept: rows.length - contained.length, bytes: state.length };
    });
  }

  return { append, loadInto, loadDoc, compact };
}
