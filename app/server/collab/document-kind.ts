import type * as Y from "yjs";

/**
 * One kind of live document the collaboration server holds (minutes; outcome documents
 * later). The server does the rest the same way for every kind: authentication, storing
 * before acknowledging, refusing bad updates, guarded hooks, one writer per document.
 */
export interface DocumentKind {
  /** The record a document name belongs to (a meeting id), or null when the name is not of this kind. */
  keyOf(documentName: string): string | null;
  /** The Yjs field the editor binds to. */
  field: string;
  /** Throws to refuse the connection; says whether the person may only read. */
  authorize(args: { token: string | null; key: string }): Promise<{ userId: string; readOnly: boolean; sessionId: string; expiresAt: number }>;
  /** Fills `document` from storage (creating the record's first content when there is none). */
  load(key: string, document: Y.Doc): Promise<void>;
  /** Stores one update durably (`userId` null for the server's own changes). */
  append(key: string, update: Uint8Array, userId: string | null): Promise<void>;
  /** Compacts and runs what follows a store; may throw (the server retries later). */
  store(key: string, document: Y.Doc): Promise<void>;
  /** Elements nobody may change by typing (they are refused from raw clients too). */
  isProtected?(element: Y.XmlElement): boolean;
  /** Attributes only the server writes (a client setting one forges a protected element). */
  serverAttributes?: string[];
  /** The text a refused update would have added, for the person to copy out. */
  refusedText?(document: Y.Doc, update: Uint8Array): string;
}
