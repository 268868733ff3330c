import { eq } from "drizzle-orm";
import { minutes } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { canWriteMinutes, type Member } from "~/lib/permissions";
import { MINUTES_MARKING } from "~/lib/markings";
import { audienceFor } from "~/models/core/audience.server";
import type { Membership } from "~/models/core/access.server";
import { findSession } from "~/models/people/sessions.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";

export type MinutesRow = typeof minutes.$inferSelect;

/** The minutes row of a meeting, created on first need. */
export async function ensureMinutesRow(tx: DbOrTx, meeting: Meeting): Promise<MinutesRow> {
  await tx.insert(minutes).values({ meetingId: meeting.id, bodyId: meeting.bodyId }).onConflictDoNothing();
  const [row] = await tx.select().from(minutes).where(eq(minutes.meetingId, meeting.id));
  return row;
}

/** Who may type into the minutes now: the rule lives in lib/permissions with the others. */
export function mayWrite(member: Member, row: Pick<MinutesRow, "status" | "amending">, meeting: Pick<Meeting, "status">): boolean {
  return canWriteMinutes(member, row, meeting);
}

/**
 * The minutes are TLP:AMBER (MINUTES_MARKING): for the members invited to the meeting. A member
 * outside that audience is told nothing (404), on the page, in exports and on the live connection.
 */
export async function assertMinutesAudience(tx: DbOrTx, member: Membership, meeting: Pick<Meeting, "id">): Promise<void> {
  if (!(await audienceFor(tx, member, meeting.id)).may({ marking: MINUTES_MARKING })) throw new NotFoundError("minutes");
}

/**
 * The collaboration server's door: the session cookie names the person, the document names
 * the meeting, and membership decides whether they may connect and whether they may write.
 */
export async function authorizeMinutesConnection({ token, meetingId }: { token: string | null; meetingId: string }) {
  if (!token) throw new NotFoundError("session");
  const session = await findSession(token);
  if (!session || session.mustSetUpTwoFactor) throw new NotFoundError("session");
  const actor: Actor = { id: session.user.id, name: session.user.name, email: session.user.email };
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  await assertMinutesAudience(db(), member, meeting);
  const row = await ensureMinutesRow(db(), meeting);
  return { actor, member, meeting, readOnly: !mayWrite(member, row, meeting), sessionId: session.sessionId, expiresAt: session.expiresAt.getTime() };
}
