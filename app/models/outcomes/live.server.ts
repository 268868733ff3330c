import type * as Y from "yjs";

/**
 * The outcome documents' live texts, as the outcome rules need them. The collaboration
 * server (app/server) provides them when it starts; models never import the server.
 */
export interface LiveOutcomes {
  /** Reads or changes a document's live text from the server, as one more client. */
  withDocument<T>(documentId: string, fn: (doc: Y.Doc) => T): Promise<T>;
  /** Makes every open editor reconnect, so its rights are decided again. */
  reconnect(documentId: string): void;
}

let provided: LiveOutcomes | null = null;

export function provideLiveOutcomes(live: LiveOutcomes): void {
  provided = live;
}

function live(): LiveOutcomes {
  if (!provided) throw new Error("The collaboration server is not running (app/server/collab.server.ts provides the live outcome documents).");
  return provided;
}

export const withOutcomeDocument = <T>(documentId: string, fn: (doc: Y.Doc) => T) => live().withDocument(documentId, fn);
export const reconnectOutcomeEditors = (documentId: string) => live().reconnect(documentId);
