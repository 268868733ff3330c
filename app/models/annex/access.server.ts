import { eq } from "drizzle-orm";
import { minutesAnnexes } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { ANNEX_MARKING, type MarkedRecord } from "~/lib/markings";
import { canWriteMinutes, type Member } from "~/lib/permissions";
import type { Membership } from "~/models/core/access.server";
import { audienceFor } from "~/models/core/audience.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";
import { ensureMinutesRow, type MinutesRow } from "~/models/minutes/access.server";
import { findSession } from "~/models/people/sessions.server";

export type AnnexRow = typeof minutesAnnexes.$inferSelect;

/**
 * How the restricted annex looks to the one TLP rule (ADR 019, 037): TLP:RED, with no author. The
 * meeting's RED audience is the published list of participants; until it is published, the
 * secretariat and the heads of delegation. The rule's "the uploader reads their own record" does
 * not apply: whoever opened the annex did not write what the others write in it, so someone
 * taken off the list loses it like everyone else.
 */
export const annexRecord = (): MarkedRecord => ({ marking: ANNEX_MARKING });

/**
 * Who may type into the annex: whoever may type into the minutes, and only while the minutes
 * are a draft. Once they are circulated the annex is frozen with them, for good (an amendment of
 * adopted minutes does not reopen it).
 */
export function mayWriteAnnex(member: Member, minutes: Pick<MinutesRow, "status" | "amending">, meeting: Pick<Meeting, "status">): boolean {
  return minutes.status === "draft" && canWriteMinutes(member, minutes, meeting);
}

async function annexOf(tx: DbOrTx, meetingId: string): Promise<AnnexRow | null> {
  const [annex] = await tx.select().from(minutesAnnexes).where(eq(minutesAnnexes.meetingId, meetingId));
  return annex ?? null;
}

/** What the minutes page says of the annex: nothing at all to someone outside its audience. */
export async function annexLink(tx: DbOrTx, member: Membership, meeting: Meeting): Promise<{ open: boolean } | null> {
  const annex = await annexOf(tx, meeting.id);
  if (!(await audienceFor(tx, member, meeting.id)).may(annexRecord())) return null;
  return { open: !!annex };
}

/**
 * A meeting's annex as a member of its audience sees it (`annex` null while nobody has opened
 * it); 404 for anyone else, exactly as for a meeting they cannot see.
 */
export async function getAnnexForMember(tx: DbOrTx, actor: Actor, meetingId: string) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  const annex = await annexOf(tx, meetingId);
  if (!(await audienceFor(tx, member, meeting.id)).may(annexRecord())) throw new NotFoundError("annex");
  const minutes = await ensureMinutesRow(tx, meeting);
  return { meeting, member, annex, minutes, writable: mayWriteAnnex(member, minutes, meeting) };
}

/** The collaboration server's door for `annex:<meetingId>`: the session names the person, the rule decides. */
export async function authorizeAnnexConnection({ token, meetingId }: { token: string | null; meetingId: string }) {
  if (!token) throw new NotFoundError("session");
  const session = await findSession(token);
  if (!session || session.mustSetUpTwoFactor) throw new NotFoundError("session");
  const actor: Actor = { id: session.user.id, name: session.user.name, email: session.user.email };
  const found = await getAnnexForMember(db(), actor, meetingId);
  // Nobody opened it yet: there is no document to connect to.
  if (!found.annex) throw new NotFoundError("annex");
  return { actor, readOnly: !found.writable, sessionId: session.sessionId, expiresAt: session.expiresAt.getTime() };
}
