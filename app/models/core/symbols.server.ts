import { sql } from "drizzle-orm";
import { symbolCounters } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import type { Series } from "~/lib/symbols";

/**
 * The next number in a meeting's series, taken inside the caller's write transaction so two
 * uploads at once never share one. Papers and the list of participants draw INF numbers,
 * outcome documents OD numbers.
 */
export async function nextSymbolNumber(tx: DbOrTx, meetingId: string, series: Series): Promise<number> {
  const [row] = await tx
    .insert(symbolCounters)
    .values({ meetingId, series, last: 1 })
    .onConflictDoUpdate({ target: [symbolCounters.meetingId, symbolCounters.series], set: { last: sql`${symbolCounters.last} + 1` } })
    .returning({ last: symbolCounters.last });
  return row.last;
}
