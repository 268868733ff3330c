import { and, eq, inArray } from "drizzle-orm";
import { invitations } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import type { Meeting } from "~/models/core/scope.server";

/** The meetings among these to which the person was invited and has not answered. */
export async function unansweredInvitations(tx: DbOrTx, userId: string, meetings: Meeting[]): Promise<string[]> {
  const open = meetings.filter((m) => m.status === "scheduled");
  if (open.length === 0) return [];
  const rows = await tx
    .select({ meetingId: invitations.meetingId })
    .from(invitations)
    .where(and(eq(invitations.userId, userId), eq(invitations.response, "none"), inArray(invitations.meetingId, open.map((m) => m.id))));
  return rows.map((r) => r.meetingId);
}
