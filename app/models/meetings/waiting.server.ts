import { and, eq, inArray } from "drizzle-orm";
import { invitations } from "#db/schema";
import { inTransaction, type DbOrTx } from "~/lib/db.server";
import { recall } from "~/lib/request-scope.server";
import { unansweredKey } from "~/models/core/audience.server";
import type { Meeting } from "~/models/core/scope.server";

/** The meetings among these to which the person was invited and has not answered. */
export async function unansweredInvitations(tx: DbOrTx, userId: string, meetings: Meeting[]): Promise<string[]> {
  const open = meetings.filter((m) => m.status === "scheduled");
  if (open.length === 0) return [];
  // Outside a transaction, the request's read of the body's meetings may have brought the answer (ADR 044).
  const known = inTransaction() ? [] : open.map((m) => recall<boolean>(unansweredKey(userId, m.id)));
  if (known.length && known.every((k) => k !== undefined)) {
    const waiting = await Promise.all(known);
    return open.filter((_m, i) => waiting[i]).map((m) => m.id);
  }
  const rows = await tx
    .select({ meetingId: invitations.meetingId })
    .from(invitations)
    .where(and(eq(invitations.userId, userId), eq(invitations.response, "none"), inArray(invitations.meetingId, open.map((m) => m.id))));
  return rows.map((r) => r.meetingId);
}
