import { eq, inArray, sql } from "drizzle-orm";
import * as Y from "yjs";
import { annexSnapshots, annexUpdates, minutes } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { storedState } from "~/lib/stored-state.server";
import { withTransaction } from "~/lib/transaction.server";
import { assertValidUpdate } from "~/models/minutes/store.server";

/**
 * Durable storage of a restricted annex, with the minutes' guarantee (ADR 007): every update the
 * server accepts is appended here before it is applied and acknowledged; compaction folds the
 * updates the document contains into one Yjs V2 snapshot. The same steps as
 * models/minutes/store.server.ts on the annex's own tables, so an annex's words never share a
 * table (and so a search index, a backup filter or a query) with the minutes.
 */

export async function appendAnnexUpdate(meetingId: string, update: Uint8Array, userId: string | null, tx: DbOrTx = db()): Promise<void> {
  assertValidUpdate(update);
  await tx.insert(annexUpdates).values({ meetingId, update: Buffer.from(update), userId, at: new Date() });
}

/** A person's edit that arrived after the minutes left the draft, when the annex is frozen. */
export class AnnexFrozenError extends Error {
  constructor(meetingId: string) {
    super(`the annex of meeting ${meetingId} is frozen with its minutes`);
  }
}

/**
 * A person's edit, stored only while the minutes are a draft. Circulation reads the annex for
 * its version inside its own transaction, so the two are ordered by the write lock: an edit is
 * either in the circulated version or refused, never stored after it (and then adopted without
 * having been circulated) in the moment before the editors are reconnected read-only.
 */
export async function appendAnnexEdit(meetingId: string, update: Uint8Array, userId: string | null): Promise<void> {
  await withTransaction(async (tx) => {
    const [row] = await tx.select({ status: minutes.status }).from(minutes).where(eq(minutes.meetingId, meetingId));
    if (row && row.status !== "draft") throw new AnnexFrozenError(meetingId);
    await appendAnnexUpdate(meetingId, update, userId, tx);
  });
}

/** Applies the stored annex to `doc`; false when nothing was stored yet. */
export async function loadAnnexInto(meetingId: string, doc: Y.Doc, tx: DbOrTx = db()): Promise<boolean> {
  // One statement, one consistent read (see loadInto in models/minutes/store.server.ts).
  const { snapshot, updates } = await storedState(
    tx,
    sql`select 0 as kind, ${annexSnapshots.state} as bytes, 0 as id from ${annexSnapshots} where ${annexSnapshots.meetingId} = ${meetingId}
        union all select 1, ${annexUpdates.update}, ${annexUpdates.id} from ${annexUpdates} where ${annexUpdates.meetingId} = ${meetingId} order by 1, 3`,
  );
  Y.transact(
    doc,
    () => {
      if (snapshot) Y.applyUpdateV2(doc, snapshot);
      for (const update of updates) Y.applyUpdate(doc, update);
    },
    "storage",
  );
  return !!snapshot || updates.length > 0;
}

/** Folds the updates the document contains into its snapshot; an update stored but not yet applied stays. */
export async function compactAnnex(meetingId: string, doc: Y.Doc): Promise<void> {
  const current = Y.encodeStateAsUpdateV2(doc);
  const snapshot = Y.snapshot(doc);
  await db().transaction(async (tx) => {
    // Another instance may hold the document too (ADR 021): fold the stored snapshot in, never replace it.
    const [stored] = await tx.select({ state: annexSnapshots.state }).from(annexSnapshots).where(eq(annexSnapshots.meetingId, meetingId));
    let state = current;
    if (stored && !Y.snapshotContainsUpdate(snapshot, Y.convertUpdateFormatV2ToV1(new Uint8Array(stored.state)))) {
      const both = new Y.Doc();
      Y.applyUpdateV2(both, new Uint8Array(stored.state));
      Y.applyUpdateV2(both, current);
      state = Y.encodeStateAsUpdateV2(both);
      both.destroy();
    }
    const rows = await tx.select({ id: annexUpdates.id, update: annexUpdates.update }).from(annexUpdates).where(eq(annexUpdates.meetingId, meetingId));
    const contained = rows.filter((r) => Y.snapshotContainsUpdate(snapshot, new Uint8Array(r.update))).map((r) => r.id);
    const through = contained.length ? Math.max(...contained) : 0;
    const values = { state: Buffer.from(state), throughUpdateId: through, at: new Date() };
    await tx.insert(annexSnapshots).values({ meetingId, ...values }).onConflictDoUpdate({ target: annexSnapshots.meetingId, set: values });
    for (let i = 0; i < contained.length; i += 500) await tx.delete(annexUpdates).where(inArray(annexUpdates.id, contained.slice(i, i + 500)));
  });
}
