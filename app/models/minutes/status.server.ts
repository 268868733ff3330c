import { eq } from "drizzle-orm";
import { minutes } from "#db/schema";
import { inTransaction, type DbOrTx } from "~/lib/db.server";
import { recall } from "~/lib/request-scope.server";
import { minutesStatusKey } from "~/models/core/scope.server";

/** Where a meeting's minutes are in their life cycle ("none" before anyone opened them). */
export async function minutesStatusOf(tx: DbOrTx, meetingId: string): Promise<"none" | "draft" | "circulated" | "adopted"> {
  // Outside a transaction, a meeting page's read of the body's meetings may have brought it (ADR 044).
  const known = inTransaction() ? undefined : recall<"none" | "draft" | "circulated" | "adopted">(minutesStatusKey(meetingId));
  if (known) return known;
  const [row] = await tx.select({ status: minutes.status }).from(minutes).where(eq(minutes.meetingId, meetingId));
  return row?.status ?? "none";
}
