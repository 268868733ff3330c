import { eq } from "drizzle-orm";
import type * as Y from "yjs";
import { annexSnapshots, annexUpdates, minutes } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { liveStore } from "~/lib/live-store.server";
import { withTransaction } from "~/lib/transaction.server";

/**
 * Durable storage of a restricted annex, with the minutes' guarantee (ADR 007): every update the
 * server accepts is appended here before it is applied and acknowledged; compaction folds the
 * updates the document contains into one Yjs V2 snapshot. The minutes' store on the annex's own
 * tables, so an annex's words never share a table (and so a search index, a backup filter or a
 * query) with the minutes.
 */
const store = liveStore({ updates: annexUpdates, snapshots: annexSnapshots, key: "meeting_id" });

export async function appendAnnexUpdate(meetingId: string, update: Uint8Array, userId: string | null, tx: DbOrTx = db()): Promise<void> {
  await store.append(meetingId, update, userId, tx);
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
export function loadAnnexInto(meetingId: string, doc: Y.Doc, tx: DbOrTx = db()): Promise<boolean> {
  return store.loadInto(meetingId, doc, tx);
}

/** Folds the updates the document contains into its snapshot; an update stored but not yet applied stays. */
export async function compactAnnex(meetingId: string, doc: Y.Doc): Promise<void> {
  await store.compact(meetingId, doc);
}
