import { eq, inArray, sql } from "drizzle-orm";
import * as Y from "yjs";
import { outcomeSnapshots, outcomeUpdates } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { storedState } from "~/lib/stored-state.server";

/**
 * Durable storage of outcome documents' live texts, exactly as the minutes (ADR 007): every
 * update is appended before it is applied and acknowledged; compaction folds what the
 * document already contains into one Yjs V2 snapshot.
 */

export function assertValidOutcomeUpdate(update: Uint8Array): void {
  try {
    Y.decodeUpdate(update);
  } catch {
    throw new Error("malformed Yjs update");
  }
}

export async function appendOutcomeUpdate(tx: DbOrTx, documentId: string, update: Uint8Array, userId: string | null): Promise<number> {
  assertValidOutcomeUpdate(update);
  const [row] = await tx.insert(outcomeUpdates).values({ documentId, update: Buffer.from(update), userId, at: new Date() }).returning({ id: outcomeUpdates.id });
  return row.id;
}

export async function loadOutcomeInto(documentId: string, doc: Y.Doc): Promise<boolean> {
  // One statement, one consistent read (see loadInto in models/minutes/store.server.ts).
  const { snapshot, updates } = await storedState(
    db(),
    sql`select 0 as kind, ${outcomeSnapshots.state} as bytes, 0 as id from ${outcomeSnapshots} where ${outcomeSnapshots.documentId} = ${documentId}
        union all select 1, ${outcomeUpdates.update}, ${outcomeUpdates.id} from ${outcomeUpdates} where ${outcomeUpdates.documentId} = ${documentId} order by 1, 3`,
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

export async function loadOutcomeDoc(documentId: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  await loadOutcomeInto(documentId, doc);
  return doc;
}

/** Folds contained updates into one snapshot; an update stored but not yet applied stays (ADR 007). */
export async function compactOutcome(documentId: string, doc: Y.Doc): Promise<void> {
  const state = Y.encodeStateAsUpdateV2(doc);
  const snapshot = Y.snapshot(doc);
  await db().transaction(async (tx) => {
    const rows = await tx.select({ id: outcomeUpdates.id, update: outcomeUpdates.update }).from(outcomeUpdates).where(eq(outcomeUpdates.documentId, documentId));
    const contained = rows.filter((r) => Y.snapshotContainsUpdate(snapshot, new Uint8Array(r.update))).map((r) => r.id);
    const through = contained.length ? Math.max(...contained) : 0;
    await tx
      .insert(outcomeSnapshots)
      .values({ documentId, state: Buffer.from(state), throughUpdateId: through, at: new Date() })
      .onConflictDoUpdate({ target: outcomeSnapshots.documentId, set: { state: Buffer.from(state), throughUpdateId: through, at: new Date() } });
    for (let i = 0; i < contained.length; i += 500) await tx.delete(outcomeUpdates).where(inArray(outcomeUpdates.id, contained.slice(i, i + 500)));
  });
}
