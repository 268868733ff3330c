import type * as Y from "yjs";
import { outcomeSnapshots, outcomeUpdates } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { liveStore } from "~/lib/live-store.server";

/**
 * Durable storage of outcome documents' live texts, exactly as the minutes (ADR 007): every
 * update is appended before it is applied and acknowledged; compaction folds what the
 * document already contains into one Yjs V2 snapshot, with whatever another instance folded.
 */
const store = liveStore({ updates: outcomeUpdates, snapshots: outcomeSnapshots, key: "document_id" });

export function appendOutcomeUpdate(tx: DbOrTx, documentId: string, update: Uint8Array, userId: string | null): Promise<number> {
  return store.append(documentId, update, userId, tx);
}

export function loadOutcomeInto(documentId: string, doc: Y.Doc): Promise<boolean> {
  return store.loadInto(documentId, doc);
}

export const loadOutcomeDoc = store.loadDoc;

/** Folds contained updates into one snapshot; an update stored but not yet applied stays (ADR 007). */
export async function compactOutcome(documentId: string, doc: Y.Doc): Promise<void> {
  await store.compact(documentId, doc);
}
