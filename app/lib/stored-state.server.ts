import type { SQL } from "drizzle-orm";
import type { DbOrTx } from "~/lib/db.server";

/**
 * A live document's stored state — its snapshot and the updates after it — read by one
 * statement, so from one consistent view of the database. Read in two statements, a
 * compaction committing between them would leave out every update it folded into the new
 * snapshot: the first read sees the old snapshot, the second no longer sees the updates.
 *
 * `query` selects `kind` (0 for the snapshot, 1 for an update), `bytes`, ordered by kind then
 * update id.
 */
export async function storedState(tx: DbOrTx, query: SQL): Promise<{ snapshot: Uint8Array | null; updates: Uint8Array[] }> {
  const rows = await tx.all<{ kind: number; bytes: ArrayBuffer | Uint8Array }>(query);
  let snapshot: Uint8Array | null = null;
  const updates: Uint8Array[] = [];
  for (const row of rows) {
    const bytes = new Uint8Array(row.bytes);
    if (Number(row.kind) === 0) snapshot = bytes;
    else updates.push(bytes);
  }
  return { snapshot, updates };
}
