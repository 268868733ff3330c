import { eq } from "drizzle-orm";
import { meetings } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { recordAudit } from "~/models/core/audit.server";
import type { Meeting } from "~/models/core/scope.server";
import { isAnnounced } from "~/models/meetings/calendar.server";
import { calendarDigest } from "~/models/meetings/digest.server";
import { queueMeetingMessages, resetAnswers } from "~/models/meetings/invitations.server";

/**
 * Every published change reaches calendars: when what a calendar shows of the meeting
 * (see `calendarDigest`) is no longer what was last sent, SEQUENCE rises and every invitee
 * gets the updated REQUEST. A change of time or length also clears every answer (they were
 * answers to another time): the invitation asks again with RSVP=TRUE. Drafts never reach
 * calendars, so nothing happens for them. Runs inside the verb's transaction; the caller
 * nudges the outbox after the commit.
 */
export async function reissueIfChanged(
  tx: DbOrTx,
  { before, after, actorId }: { before: Meeting; after: Meeting; actorId: string | null },
): Promise<Meeting> {
  if (!isAnnounced(after) || after.status !== "scheduled") return after;
  const sent = before.calendarDigest ?? (await calendarDigest(tx, before));
  const now = await calendarDigest(tx, after);
  if (sent === now) return after;
  const timeChanged = before.startsAt.getTime() !== after.startsAt.getTime() || before.durationMinutes !== after.durationMinutes;
  const reset = timeChanged ? await resetAnswers(tx, after.id) : 0;
  const [reissued] = await tx
    .update(meetings)
    .set({ sequence: after.sequence + 1, calendarDigest: now })
    .where(eq(meetings.id, after.id))
    .returning();
  await recordAudit(tx, {
    bodyId: after.bodyId,
    actorId,
    action: "meeting.reissue",
    entityType: "meeting",
    entityId: after.id,
    before: { sequence: after.sequence },
    after: { sequence: reissued.sequence, reason: timeChanged ? "time" : "details", answersReset: reset },
  });
  await queueMeetingMessages(tx, reissued, timeChanged ? "reschedule" : "update");
  return reissued;
}

/** After an agenda change: re-issues when the agenda titles a calendar may show changed. */
export async function reissueAfterAgendaChange(tx: DbOrTx, { meetingId, actorId }: { meetingId: string; actorId: string }): Promise<boolean> {
  const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting || !isAnnounced(meeting) || meeting.status !== "scheduled") return false;
  if (meeting.calendarDigest === null) {
    // Announced before digests were kept: remember what calendars show from now on.
    await tx.update(meetings).set({ calendarDigest: await calendarDigest(tx, meeting) }).where(eq(meetings.id, meetingId));
    return false;
  }
  const after = await reissueIfChanged(tx, { before: meeting, after: meeting, actorId });
  return after.sequence !== meeting.sequence;
}
