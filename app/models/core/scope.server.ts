import { and, asc, desc, eq, gt, inArray, lt, ne, sql, type SQL } from "drizzle-orm";
import { delegations, meetings } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { accessDb, inTransaction, type DbOrTx } from "~/lib/db.server";
import { preparedPerHandle } from "~/lib/prepared-query.server";
import { memoized, recall, remember } from "~/lib/request-scope.server";
import { NotFoundError } from "~/lib/errors";
import { assertMember, delegationsKey, type Membership } from "./access.server";
import { audienceColumns, rememberAudienceFacts } from "./audience.server";

/**
 * Reading a record through the body it belongs to: every concept finds its meeting here, so
 * none of them needs another concept for the question "may this person see this meeting?".
 */

export type Meeting = typeof meetings.$inferSelect;

const meetingsKey = (bodyId: string) => `meetings:${bodyId}`;

/** Meetings, oldest first, read from the primary with the reader's audience facts, which are left for the TLP rules of this request. */
async function meetingsWithAudienceFacts(tx: DbOrTx, readerId: string, where: SQL): Promise<Meeting[]> {
  const rows = await accessDb(tx)
    .select({ meeting: meetings, ...audienceColumns(readerId) })
    .from(meetings)
    .where(where)
    .orderBy(asc(meetings.startsAt), asc(meetings.id));
  return keepingAudienceFacts(readerId, rows);
}

type MeetingWithFacts = { meeting: Meeting; invitations: number; mine: number; list: string | null; unanswered: number };

/** The meetings of rows read with the reader's audience facts, the facts left for `audiencesFor`. */
function keepingAudienceFacts(readerId: string, rows: MeetingWithFacts[]): Meeting[] {
  rememberAudienceFacts(readerId, rows.map((r) => ({ id: r.meeting.id, invitations: r.invitations, mine: r.mine, list: r.list, unanswered: r.unanswered })));
  return rows.map((r) => r.meeting);
}

/**
 * `meetingsWithAudienceFacts` for one body, built once per handle (ADR 051): the dashboard, the
 * body's pages and the meeting list run it on every request, and building it (a nested selection
 * with the audience subqueries) cost more than SQLite's answer.
 */
const meetingsOfBodyWithFacts = preparedPerHandle((handle: DbOrTx) =>
  handle
    .select({ meeting: meetings, ...audienceColumns(sql.placeholder("readerId")) })
    .from(meetings)
    .where(eq(meetings.bodyId, sql.placeholder("bodyId")))
    .orderBy(asc(meetings.startsAt), asc(meetings.id))
    .prepare(),
);

/**
 * Every meeting of a body, oldest first. Outside a transaction, read once per request (ADR 040):
 * the dashboard's list, counts, trend and filter all ask. The array is shared: never change it.
 * With a `readerId`, the same statement reads that reader's TLP audience facts for every
 * meeting (from the primary, as access decisions must) and leaves them for `audiencesFor`
 * (ADR 044): the pages that list a body's meetings ask about their audiences next.
 */
export function meetingsOfBody(tx: DbOrTx, bodyId: string, readerId?: string): Promise<readonly Meeting[]> {
  // A real promise: drizzle's query runs again each time its `then` is called.
  const read = async (): Promise<Meeting[]> => {
    if (!readerId) return await tx.select().from(meetings).where(eq(meetings.bodyId, bodyId)).orderBy(asc(meetings.startsAt), asc(meetings.id));
    // Access decisions read the primary (or the open transaction), never a lagging replica (ADR 030).
    return keepingAudienceFacts(readerId, await meetingsOfBodyWithFacts(accessDb(tx)).all({ readerId, bodyId }));
  };
  return inTransaction() ? read() : memoized(meetingsKey(bodyId), read);
}

/**
 * `meetingsOfBody` for several bodies in one statement (the start page across bodies): every
 * meeting of each body, oldest first, with the reader's audience facts, from the primary. Outside
 * a transaction each body's list is left in the request memo, where `meetingsOfBody` finds it,
 * and bodies whose list the request holds already are not read again.
 */
export async function meetingsOfBodies(tx: DbOrTx, bodyIds: readonly string[], readerId: string): Promise<Map<string, readonly Meeting[]>> {
  const found = new Map<string, readonly Meeting[]>();
  const missing: string[] = [];
  for (const id of new Set(bodyIds)) {
    const known = inTransaction() ? undefined : recall<readonly Meeting[]>(meetingsKey(id));
    if (known) found.set(id, await known);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  const all = await meetingsWithAudienceFacts(tx, readerId, inArray(meetings.bodyId, missing));
  for (const id of missing) {
    const list = all.filter((m) => m.bodyId === id);
    found.set(id, list);
    if (!inTransaction()) remember(meetingsKey(id), list);
  }
  return found;
}

/**
 * A body's delegations in their order; outside a transaction, read once per request (ADR 040),
 * usually by the actor's memberships read already (ADR 044). Shared: never change it.
 */
export function delegationsOfBody(tx: DbOrTx, bodyId: string): Promise<Array<typeof delegations.$inferSelect>> {
  const read = async () => await tx.select().from(delegations).where(eq(delegations.bodyId, bodyId)).orderBy(asc(delegations.position), asc(delegations.code));
  return inTransaction() ? read() : memoized(delegationsKey(bodyId), read);
}

/** A meeting with the viewer's membership of its body; NotFound for anyone outside the body. */
export async function getMeetingForMember(tx: DbOrTx, actor: Actor, meetingId: string): Promise<{ meeting: Meeting; member: Membership }> {
  const meeting = inTransaction() ? (await tx.select().from(meetings).where(eq(meetings.id, meetingId)).limit(1))[0] : await meetingInRequest(tx, meetingId, actor.id);
  if (!meeting) throw new NotFoundError("meeting");
  const member = await assertMember(tx, actor, meeting.bodyId);
  return { meeting, member };
}

/** The request memo's key for a meeting's minutes status (read with the body's meetings). */
export const minutesStatusKey = (meetingId: string) => `minutes-status:${meetingId}`;

/** `meetingInRequest`'s statement, built once per handle (ADR 051): every meeting page runs it. */
const meetingsBesideMeeting = preparedPerHandle((handle: DbOrTx) =>
  handle
    .select({ meeting: meetings, ...audienceColumns(sql.placeholder("readerId")), minutes: sql<string | null>`(select m.status from minutes m where m.meeting_id = "meetings"."id")` })
    .from(meetings)
    .where(eq(meetings.bodyId, handle.select({ bodyId: meetings.bodyId }).from(meetings).where(eq(meetings.id, sql.placeholder("meetingId")))))
    .orderBy(asc(meetings.startsAt), asc(meetings.id))
    .prepare(),
);

/**
 * A meeting page's one read of meetings (ADR 044): the meeting with every meeting of its body,
 * the reader's audience facts for each and each one's minutes status, from the primary (the
 * facts decide access). It leaves the body's meetings, the facts and the statuses in the
 * request memo, where `meetingsOfBody`, `previousMeeting`, `audiencesFor` and
 * `minutesStatusOf` find them; a reader who is not a member learns nothing from it, since the
 * membership check follows and the memo is never shown.
 */
function meetingInRequest(tx: DbOrTx, meetingId: string, readerId: string): Promise<Meeting | undefined> {
  return memoized(`meeting:${meetingId}:${readerId}`, async () => {
    const rows = await meetingsBesideMeeting(accessDb(tx)).all({ meetingId, readerId });
    const list = rows.map((r) => r.meeting);
    const found = list.find((m) => m.id === meetingId);
    if (!found) return undefined;
    remember(meetingsKey(found.bodyId), list);
    rememberAudienceFacts(readerId, rows.map((r) => ({ id: r.meeting.id, invitations: r.invitations, mine: r.mine, list: r.list, unanswered: r.unanswered })));
    for (const r of rows) remember(minutesStatusKey(r.meeting.id), r.minutes ?? "none");
    return found;
  });
}

/** The meeting before this one in its body (not cancelled): whose minutes this agenda adopts. */
export async function previousMeeting(tx: DbOrTx, meeting: Meeting): Promise<Meeting | null> {
  // Outside a transaction, from the request's one read of the body's meetings (oldest first).
  if (!inTransaction()) return (await meetingsOfBody(tx, meeting.bodyId)).findLast((m) => m.status !== "cancelled" && m.startsAt < meeting.startsAt) ?? null;
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
