import { eq, inArray, sql } from "drizzle-orm";
import * as Y from "yjs";
import { minutesSnapshots, minutesUpdates } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { storedState } from "~/lib/stored-state.server";

/**
 * Durable storage of the collaborative minutes (ADR 007): every update the server accepts is
 * appended before it is applied and acknowledged; from time to time the document is
 * compacted into one Yjs V2 snapshot. Loading is the snapshot plus whatever updates remain.
 */

/** Refuses anything that is not a well-formed Yjs update, before it is stored or applied. */
export function assertValidUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new Error("malformed Yjs update");
  }
}

export async function appendUpdate(meetingId: string, update: Uint8Array, userId: string | null, tx: DbOrTx = db()): Promise<number> {
  assertValidUpdate(update);
  const [row] = await tx
    .insert(minutesUpdates)
    .values({ meetingId, update: Buffer.from(update), userId, at: new Date() })
    .returning({ id: minutesUpdates.id });
  return row.id;
}

/** Applies the stored document to `doc`; false when nothing was stored yet. */
export async function loadInto(meetingId: string, doc: Y.Doc): Promise<boolean> {
  // One statement, so one consistent read: a compaction committing between a read of the
  // snapshot and a read of the updates would leave out the updates it folded in.
  const { snapshot, updates } = await storedState(
    db(),
    sql`select 0 as kind, ${minutesSnapshots.state} as bytes, 0 as id from ${minutesSnapshots} where ${minutesSnapshots.meetingId} = ${meetingId}
        union all select 1, ${minutesUpdates.update}, ${minutesUpdates.id} from ${minutesUpdates} where ${minutesUpdates.meetingId} = ${meetingId} order by 1, 3`,
  );
  Y.transact(doc, () => {
    if (snapshot) Y.applyUpdateV2(doc, snapshot);
    for (const update of updates) Y.applyUpdate(doc, update);
  }, "storage");
  return !!snapshot || updates.length > 0;
}

/** A stored document, loaded into a fresh Y.Doc (for versions, exports, tests). */
export async function loadDoc(meetingId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  await loadInto(meetingId, doc);
  return doc;
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

/**
 * Folds the updates the document already contains into one V2 snapshot and deletes them.
 * An update stored but not yet applied (it is in flight between storage and the document)
 * is not contained, so it stays: nothing is deleted that the snapshot does not hold.
 */
export async function compact(meetingId: string, doc: Y.Doc): Promise<{ folded: number; kept: number; bytes: number }> {
  const current = Y.encodeStateAsUpdateV2(doc);
  const snapshot = Y.snapshot(doc);
  return db().transaction(async (tx) => {
    // Another instance holding the same document (ADR 021) may have compacted updates this
    // one has not received yet: the new snapshot folds in the stored one, never replaces it.
    const [stored] = await tx.select({ state: minutesSnapshots.state }).from(minutesSnapshots).where(eq(minutesSnapshots.meetingId, meetingId));
    const state = stored ? foldIn(new Uint8Array(stored.state), current, snapshot) : current;
    const rows = await tx.select({ id: minutesUpdates.id, update: minutesUpdates.update }).from(minutesUpdates).where(eq(minutesUpdates.meetingId, meetingId));
    const contained = rows.filter((r) => Y.snapshotContainsUpdate(snapshot, new Uint8Array(r.update))).map((r) => r.id);
    const through = contained.length ? Math.max(...contained) : 0;
    await tx
      .insert(minutesSnapshots)
      .values({ meetingId, state: Buffer.from(state), throughUpdateId: through, at: new Date() })
      .onConflictDoUpdate({ target: minutesSnapshots.meetingId, set: { state: Buffer.from(state), throughUpdateId: through, at: new Date() } });
    for (let i = 0; i < contained.length; i += 500) {
      await tx.delete(minutesUpdates).where(inArray(minutesUpdates.id, contained.slice(i, i + 500)));
    }
    return { folded: contained.length, kept: rows.length - contained.length, bytes: state.length };
  });
}
