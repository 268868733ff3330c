import type { Connection } from "@hocuspocus/server";
import * as Y from "yjs";
import { outcomeJsonToUpdate } from "~/lib/outcome-doc.server";
import { outcomeIdOfDocument } from "~/lib/outcome-schema";
import { withTransaction } from "~/lib/transaction.server";
import { authorizeOutcomeConnection } from "~/models/outcomes/access.server";
import { acceptOutcomeUpdate, afterOutcomeStored, initialOutcomeContent } from "~/models/outcomes/collab.server";
import { appendOutcomeUpdate, compactOutcome, loadOutcomeInto } from "~/models/outcomes/store.server";

/**
 * The collaboration server's hooks for `outcome:<id>` documents (collab.server.ts dispatches
 * here by document name). Same durability as the minutes (ADR 007); in addition every
 * client update is checked against the bracket rules before it is stored (ADR 017).
 */

export interface OutcomeContext {
  kind: "outcome";
  userId: string;
  documentId: string;
  code: string | null;
  mayBracket: boolean;
  /** For revocation when the meeting's TLP audience changes (collab.server.ts). */
  meetingId: string;
}

export const isOutcomeDocument = (name: string) => outcomeIdOfDocument(name) !== null;

// One check at a time per document: each update is judged against the text the previous one left.
const queues = new Map<string, Promise<unknown>>();
const serverWrites = new Map<string, Promise<unknown>>();

export const outcomeHooks = {
  async onConnect({ documentName, token, connectionConfig, context }: { documentName: string; token: string | null; connectionConfig: { readOnly: boolean }; context: unknown }) {
    const documentId = outcomeIdOfDocument(documentName)!;
    const access = await authorizeOutcomeConnection({ token, documentId });
    connectionConfig.readOnly = access.readOnly;
    Object.assign(context as OutcomeContext, { kind: "outcome", userId: access.actor.id, documentId, code: access.code, mayBracket: access.mayBracket, meetingId: access.meeting.id } satisfies OutcomeContext);
  },

  async onLoadDocument({ document, documentName }: { document: Y.Doc; documentName: string }) {
    const documentId = outcomeIdOfDocument(documentName)!;
    if (!(await loadOutcomeInto(documentId, document))) {
      const update = outcomeJsonToUpdate(initialOutcomeContent());
      await withTransaction((tx) => appendOutcomeUpdate(tx, documentId, update, null));
      Y.applyUpdate(document, update, "storage");
    }
  },

  async beforeHandleMessage({ payload, connection, context, document }: { payload: Uint8Array; connection: Connection | undefined; context: unknown; document: Y.Doc }) {
    if (connection?.readOnly) return;
    const { documentId, userId, code, mayBracket } = context as OutcomeContext;
    const previous = queues.get(documentId) ?? Promise.resolve();
    // setImmediate: Hocuspocus applies the previous update a few microtasks after its check resolved.
    const mine = previous
      .catch(() => undefined)
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => acceptOutcomeUpdate({ documentId, userId, sender: { code, mayBracket }, document, update: payload }));
    queues.set(documentId, mine);
    await mine;
  },

  async onChange({ documentName, update }: { documentName: string; update: Uint8Array }) {
    const documentId = outcomeIdOfDocument(documentName)!;
    const previous = serverWrites.get(documentId) ?? Promise.resolve();
    const next = previous.then(() => withTransaction((tx) => appendOutcomeUpdate(tx, documentId, update, null))).catch((error) => console.error("storing a server change failed", error));
    serverWrites.set(documentId, next);
    await next;
  },

  async onStoreDocument({ document, documentName }: { document: Y.Doc; documentName: string }) {
    const documentId = outcomeIdOfDocument(documentName)!;
    try {
      await afterOutcomeStored(documentId, document);
      await serverWrites.get(documentId);
      await compactOutcome(documentId, document);
    } catch (error) {
      // Every update was stored before it was acknowledged: a store that fails (the database
      // restarting, busy) loses nothing and is done again at the next store. One document
      // must never take the process down.
      console.warn(`storing outcome document ${documentName} failed; it is retried at the next store`, error);
    }
  },
};
