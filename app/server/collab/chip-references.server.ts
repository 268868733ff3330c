import type * as Y from "yjs";
import { dropChipTitles } from "~/lib/minutes-doc.server";

/**
 * A live document's chips as references only (ADR 042). A title found in it (written by an
 * editor from before, or by a raw client) is removed as a change of the server's own, stored
 * through `append` and then compacted away through `compact`, so that neither the stored rows
 * nor anything sent to a client holds it any more. True when something was removed.
 */
export async function dropStoredChipTitles(document: Y.Doc, append: (update: Uint8Array) => Promise<unknown>, compact: () => Promise<unknown>): Promise<boolean> {
  let removal: Uint8Array | null = null;
  const capture = (update: Uint8Array) => void (removal = update);
  document.on("update", capture);
  let dropped = false;
  try {
    // Origin "storage": the collaboration server's onChange does not store it a second time.
    dropped = dropChipTitles(document, "storage");
  } finally {
    document.off("update", capture);
  }
  if (!dropped || !removal) return false;
  await append(removal);
  await compact();
  return true;
}
