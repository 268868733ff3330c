import { eq } from "drizzle-orm";
import { minutes } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";

/** Where a meeting's minutes are in their life cycle ("none" before anyone opened them). */
export async function minutesStatusOf(tx: DbOrTx, meetingId: string): Promise<"none" | "draft" | "circulated" | "adopted"> {
  const [row] = await tx.select({ status: minutes.status }).from(minutes).where(eq(minutes.meetingId, meetingId));
  return row?.status ?? "none";
}
