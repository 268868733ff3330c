import type * as Y from "yjs";
import { minutesSnapshots, minutesUpdates } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { liveStore } from "~/lib/live-store.server";

/**
 * Durable storage of the collaborative minutes (ADR 007): every update the server accepts is
 * appended before it is applied and acknowledged; from time to time the document is
 * compacted into one Yjs V2 snapshot. Loading is the snapshot plus whatever updates remain.
 */
const store = liveStore({ updates: minutesUpdates, snapshots: minutesSnapshots, key: "meeting_id" });

export function appendUpdate(meetingId: string, update: Uint8Array, userId: string | null, tx: DbOrTx = db()): Promise<number> {
  return store.append(meetingId, update, userId, tx);
}

/** Applies the stored document to `doc`; false when nothing was stored yet. */
export function loadInto(meetingId: string, doc: Y.Doc): Promise<boolean> {
  return store.loadInto(meetingId, doc);
}

/** A stored document, loaded into a fresh Y.Doc (for versions, exports, tests). */
export const loadDoc = store.loadDoc;

/** Folds the updates the document contains into one snapshot; an update stored but not yet applied stays. */
export const compact = store.compact;
