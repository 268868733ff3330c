import { and, asc, desc, eq, gt, lt, ne } from "drizzle-orm";
import { delegations, meetings } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { inTransaction, type DbOrTx } from "~/lib/db.server";
import { memoized } from "~/lib/request-scope.server";
import { NotFoundError } from "~/lib/errors";
import { assertMember, type Membership } from "./access.server";

/**
 * Reading a record through the body it belongs to: every concept finds its meeting here, so
 * none of them needs another concept for the question "may this person see this meeting?".
 */

export type Meeting = typeof meetings.$inferSelect;

/**
 * Every meeting of a body, oldest first. Outside a transaction, read once per request (ADR 040):
 * the dashboard's list, counts, trend and filter all ask. The array is shared: never change it.
 */
export function meetingsOfBody(tx: DbOrTx, bodyId: string): Promise<readonly Meeting[]> {
  // A real promise: drizzle's query runs again each time its `then` is called.
  const read = async () => await tx.select().from(meetings).where(eq(meetings.bodyId, bodyId)).orderBy(asc(meetings.startsAt), asc(meetings.id));
  return inTransaction() ? read() : memoized(`meetings:${bodyId}`, read);
}

/** A body's delegations in their order; outside a transaction, read once per request (ADR 040). Shared: never change it. */
export function delegationsOfBody(tx: DbOrTx, bodyId: string): Promise<Array<typeof delegations.$inferSelect>> {
  const read = async () => await tx.select().from(delegations).where(eq(delegations.bodyId, bodyId)).orderBy(asc(delegations.position), asc(delegations.code));
  return inTransaction() ? read() : memoized(`delegations:${bodyId}`, read);
}

/** A meeting with the viewer's membership of its body; NotFound for anyone outside the body. */
export async function getMeetingForMember(tx: DbOrTx, actor: Actor, meetingId: string): Promise<{ meeting: Meeting; member: Membership }> {
  const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1);
  if (!meeting) throw new NotFoundError("meeting");
  const member = await assertMember(tx, actor, meeting.bodyId);
  return { meeting, member };
}

/** The meeting before this one in its body (not cancelled): whose minutes this agenda adopts. */
export async function previousMeeting(tx: DbOrTx, meeting: Meeting): Promise<Meeting | null> {
  const [previous] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, meeting.bodyId), ne(meetings.status, "cancelled"), lt(meetings.startsAt, meeting.startsAt)))
    .orderBy(desc(meetings.startsAt))
    .limit(1);
  return previous ?? null;
}

/** The meeting after this one in its body (not cancelled). */
export async function followingMeeting(tx: DbOrTx, meeting: Meeting): Promise<Meeting | null> {
  const [next] = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, meeting.bodyId), ne(meetings.status, "cancelled"), gt(meetings.startsAt, meeting.startsAt)))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  return next ?? null;
}
