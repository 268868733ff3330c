import "~/components/every-page";
/**
 * The browser's own copy of a live document (Yjs in IndexedDB through y-indexeddb), so that
 * nothing typed is lost to a dropped network, a reload, a crashed tab or an error page. One
 * copy per person and document; all of them are removed at sign-out, and one is removed
 * when the server refuses that person the document.
 */
const PREFIX = "concord-live:";

export const localCopyName = (userId: string, documentName: string) => `${PREFIX}${userId}:${documentName}`;

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = request.onerror = request.onblocked = () => resolve();
  });
}

/** Removes every live-document copy this browser holds (at sign-out: the next person must not find them). */
export async function clearLocalCopies(): Promise<void> {
  if (typeof indexedDB === "undefined" || !indexedDB.databases) return;
  const all = await indexedDB.databases();
  await Promise.all(all.filter((d) => d.name?.startsWith(PREFIX)).map((d) => deleteDatabase(d.name!)));
}

export const clearLocalCopy = (userId: string, documentName: string) => deleteDatabase(localCopyName(userId, documentName));
