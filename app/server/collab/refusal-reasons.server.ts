import { NotFoundError } from "~/lib/errors";
import type { DocumentKind } from "~/server/collab/document-kind";

/**
 * A refused connection is told why: Hocuspocus sends a thrown object's `reason` to the client
 * as "permission denied", and the client is sent nothing of the document. The reason never says
 * more than a page would: a document outside the reader's TLP audience is answered as one that
 * does not exist (404), so an outsider cannot learn that a restricted annex is there (ADR 037).
 */
export function refusalReason(error: unknown): string {
  if (error instanceof NotFoundError && error.message.startsWith("session ")) return "unauthenticated";
  if (error instanceof NotFoundError) return "not-found";
  return "permission-denied";
}

/**
 * What a refused connection's check throws. Not an Error on purpose: Hocuspocus logs the message
 * of every hook error as console.error, and a refusal is an answer, not a fault.
 */
export class ConnectionRefused {
  constructor(readonly reason: string) {}
}

export function withRefusalReasons(kind: DocumentKind): DocumentKind {
  return {
    ...kind,
    async authorize(args) {
      try {
        return await kind.authorize(args);
      } catch (error) {
        throw new ConnectionRefused(refusalReason(error));
      }
    },
  };
}
