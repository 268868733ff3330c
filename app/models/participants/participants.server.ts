import { and, asc, eq, gt, inArray, isNotNull, max, ne } from "drizzle-orm";
import { z } from "zod";
import { attendances, bodies, delegations, meetings, memberships, participantLists, participantRoles, participants, participantSubmissions, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { can } from "~/lib/permissions";
import { symbolOf } from "~/lib/symbols";
import { withTransaction } from "~/lib/transaction.server";
import { LIMITS, parseInput, scopeId } from "~/lib/validation";
import { assertCan, type Membership } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";
import { nextSymbolNumber } from "~/models/core/symbols.server";
import { getProfile } from "~/models/people/accounts.server";
import { revokeMeetingAudience } from "~/models/people/revocation.server";

/**
 * Lists of participants: each head of delegation keeps and submits their delegation's list for
 * a meeting, the secretariat publishes the combined list (an INF document of the meeting, which
 * also fixes the TLP:RED audience) and on the day takes the roll, from which the minutes'
 * attendance is written.
 */

export type Participant = typeof participants.$inferSelect;

/** The secretariat changes any list; a head only their own delegation's (null: the secretariat's people). */
function assertMayEdit(member: Membership, delegationId: string | null) {
  if (delegationId === null) return assertCan(member, "participants.publish");
  assertCan(member, "participants.submit", { delegationId });
}

export async function getParticipantsPage({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const [delegationRows, entries, submissions, [published], members] = await Promise.all([
    db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position)),
    listParticipants(db(), meeting.id),
    db().select({ delegationId: participantSubmissions.delegationId, at: participantSubmissions.submittedAt, by: users.name }).from(participantSubmissions).leftJoin(users, eq(users.id, participantSubmissions.submittedBy)).where(eq(participantSubmissions.meetingId, meeting.id)),
    db().select().from(participantLists).where(eq(participantLists.meetingId, meeting.id)),
    db()
      .select({ userId: users.id, name: users.name, delegationId: memberships.delegationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.bodyId, meeting.bodyId), eq(memberships.active, true), eq(users.active, true)))
      .orderBy(asc(users.name)),
  ]);
  const profile = await getProfile(actor.id);
  const lastChange = (delegationId: string) => Math.max(0, ...entries.filter((e) => e.delegationId === delegationId).map((e) => e.updatedAt.getTime()));
  return {
    meeting,
    body,
    member,
    delegations: delegationRows,
    entries,
    members,
    viewerZone: profile?.effectiveTimeZone ?? "UTC",
    submissions: delegationRows.map((d) => {
      const s = submissions.find((x) => x.delegationId === d.id);
      return { delegationId: d.id, at: s?.at ?? null, by: s?.by ?? null, changedSince: !!s && lastChange(d.id) > s.at.getTime() };
    }),
    published: published
      ? { ...published, symbol: symbolOf({ bodyNameEn: body.nameEn, prefix: body.symbolPrefix, ordinal: meeting.ordinal, series: "INF", number: published.number, revision: published.revision }) }
      : null,
    can: {
      edit: (delegationId: string | null) => (delegationId === null ? can(member, "participants.publish") : can(member, "participants.submit", { delegationId })),
      publish: can(member, "participants.publish"),
      roll: can(member, "participants.roll"),
    },
  };
}

export async function listParticipants(tx: DbOrTx, meetingId: string) {
  return tx
    .select({ participant: participants, code: delegations.code, delegationPosition: delegations.position })
    .from(participants)
    .leftJoin(delegations, eq(delegations.id, participants.delegationId))
    .where(eq(participants.meetingId, meetingId))
    .orderBy(asc(delegations.position), asc(participants.position), asc(participants.createdAt))
    .then((rows) => rows.map((r) => ({ ...r.participant, code: r.code })));
}

const optionalId = z
  .string()
  .max(64)
  .optional()
  .transform((v) => v || null);

const addSchema = z.object({
  meetingId: z.string().min(1).max(64),
  delegationId: optionalId,
  userId: optionalId,
  name: z.string().trim().max(LIMITS.short).default(""),
  title: z.string().trim().max(LIMITS.short).default(""),
  agency: z.string().trim().max(LIMITS.short).default(""),
  role: z.enum(participantRoles),
});

async function editable(tx: DbOrTx, actor: Actor, meetingId: string) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  if (meeting.status === "cancelled") throw new ForbiddenError({ key: "participants:errors.cancelled" });
  return { meeting, member };
}

/** Adds a person to a delegation's list; linked to a member when `userId` names one of that delegation. */
export async function addParticipant({ actor, input }: { actor: Actor; input: unknown }) {
  // Outsiders learn nothing, not even that their input was wrong: membership before validation.
  await getMeetingForMember(db(), actor, scopeId(input, "meetingId"));
  const data = parseInput(addSchema, input);
  return withTransaction(async (tx) => {
    const { meeting, member } = await editable(tx, actor, data.meetingId);
    assertMayEdit(member, data.delegationId);
    if (data.delegationId) {
      const [d] = await tx.select({ id: delegations.id }).from(delegations).where(and(eq(delegations.id, data.delegationId), eq(delegations.bodyId, meeting.bodyId)));
      if (!d) throw ValidationError.field("delegationId", "errors:validation.choice");
    }
    let name = data.name;
    if (data.userId) {
      const [linked] = await tx
        .select({ name: users.name, delegationId: memberships.delegationId })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.userId, data.userId), eq(memberships.bodyId, meeting.bodyId), eq(memberships.active, true)));
      if (!linked || linked.delegationId !== data.delegationId) throw ValidationError.field("userId", "participants:errors.notMember");
      const [dup] = await tx.select({ id: participants.id }).from(participants).where(and(eq(participants.meetingId, meeting.id), eq(participants.userId, data.userId)));
      if (dup) throw ValidationError.field("userId", "participants:errors.already");
      name ||= linked.name;
    }
    if (!name) throw ValidationError.field("name", "errors:validation.required");
    const [top] = await tx.select({ n: max(participants.position) }).from(participants).where(eq(participants.meetingId, meeting.id));
    const [row] = await tx
      .insert(participants)
      .values({ meetingId: meeting.id, bodyId: meeting.bodyId, delegationId: data.delegationId, userId: data.userId, name, title: data.title, agency: data.agency, role: data.role, position: Number(top?.n ?? 0) + 1, createdBy: actor.id })
      .returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "participant.add", entityType: "participant", entityId: row.id, after: { name, role: data.role, delegationId: data.delegationId } });
    return row;
  });
}

export async function removeParticipant({ actor, input }: { actor: Actor; input: unknown }) {
  const id = scopeId(input, "participantId");
  return withTransaction(async (tx) => {
    const [row] = await tx.select().from(participants).where(eq(participants.id, id));
    if (!row) throw new NotFoundError("participant");
    const { member } = await editable(tx, actor, row.meetingId);
    assertMayEdit(member, row.delegationId);
    await tx.delete(participants).where(eq(participants.id, id));
    await recordAudit(tx, { bodyId: row.bodyId, actorId: actor.id, action: "participant.remove", entityType: "participant", entityId: id, before: { name: row.name, role: row.role } });
  });
}

/** A head submits their delegation's list (again, after a change). */
export async function submitList({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  // Membership before the rest of the input: an outsider gets 404, never a field error.
  await getMeetingForMember(db(), actor, meetingId);
  const delegationId = scopeId(input, "delegationId");
  return withTransaction(async (tx) => {
    const { meeting, member } = await editable(tx, actor, meetingId);
    assertCan(member, "participants.submit", { delegationId });
    const [d] = await tx.select({ id: delegations.id }).from(delegations).where(and(eq(delegations.id, delegationId), eq(delegations.bodyId, meeting.bodyId)));
    if (!d) throw new NotFoundError("delegation");
    const at = new Date();
    await tx
      .insert(participantSubmissions)
      .values({ meetingId, delegationId, submittedBy: actor.id, submittedAt: at })
      .onConflictDoUpdate({ target: [participantSubmissions.meetingId, participantSubmissions.delegationId], set: { submittedBy: actor.id, submittedAt: at } });
    const count = (await tx.select({ id: participants.id }).from(participants).where(and(eq(participants.meetingId, meetingId), eq(participants.delegationId, delegationId)))).length;
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "participants.submit", entityType: "participant_list", entityId: `${meetingId}:${delegationId}`, after: { count } });
  });
}

/**
 * The secretariat publishes the combined list: a frozen copy with its INF symbol (a new
 * revision when published again). From then on TLP:RED records of the meeting are for exactly
 * the members on it.
 */
export async function publishList({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  return withTransaction(async (tx, afterCommit) => {
    const { meeting, member } = await editable(tx, actor, meetingId);
    assertCan(member, "participants.publish");
    // The list is the meeting's TLP:RED audience: open live documents decide their readers again (ADR 037).
    afterCommit(() => revokeMeetingAudience(meetingId));
    const entries = await listParticipants(tx, meetingId);
    if (entries.length === 0) throw ValidationError.field("", "participants:errors.empty");
    const snapshot = entries.map((e) => ({ delegationId: e.delegationId, userId: e.userId, name: e.name, title: e.title, agency: e.agency, role: e.role }));
    const userIds = [...new Set(entries.map((e) => e.userId).filter((id): id is string => !!id))];
    const [existing] = await tx.select().from(participantLists).where(eq(participantLists.meetingId, meetingId));
    const number = existing?.number ?? (await nextSymbolNumber(tx, meetingId, "INF"));
    const revision = existing ? existing.revision + 1 : 0;
    const values = { meetingId, bodyId: meeting.bodyId, number, revision, entries: snapshot, userIds, publishedBy: actor.id, publishedAt: new Date() };
    await tx.insert(participantLists).values(values).onConflictDoUpdate({ target: participantLists.meetingId, set: values });
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "participants.publish", entityType: "participant_list", entityId: meetingId, after: { number, revision, count: snapshot.length } });
    return { number, revision };
  });
}

const rollSchema = z.record(z.string().max(64), z.enum([...attendances, ""]));

/** The roll on the day: present, remote or absent for each person on the lists. */
export async function takeRoll({ actor, input }: { actor: Actor; input: { meetingId: string; attendance: unknown } }) {
  assertCan((await getMeetingForMember(db(), actor, input.meetingId)).member, "participants.roll");
  const marks = parseInput(rollSchema, input.attendance);
  return withTransaction(async (tx) => {
    const { meeting, member } = await getMeetingForMember(tx, actor, input.meetingId);
    assertCan(member, "participants.roll");
    const rows = await tx.select().from(participants).where(eq(participants.meetingId, meeting.id));
    const at = new Date();
    const changes: Array<{ name: string; from: string | null; to: string | null }> = [];
    for (const row of rows) {
      if (!(row.id in marks)) continue;
      const to = marks[row.id] || null;
      if (to === row.attendance) continue;
      await tx.update(participants).set({ attendance: to, attendanceBy: actor.id, attendanceAt: at }).where(eq(participants.id, row.id));
      changes.push({ name: row.name, from: row.attendance, to });
    }
    if (changes.length) await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "participants.roll", entityType: "participant_list", entityId: meeting.id, after: { changes } });
    return { changed: changes.length };
  });
}

/**
 * The attendance the minutes open with, from the roll: everyone marked present or remote, by
 * delegation in the body's order, then those marked absent. Empty until the roll is taken.
 */
export async function attendanceForMinutes(meetingId: string) {
  const rows = await db()
    .select({ name: participants.name, title: participants.title, agency: participants.agency, role: participants.role, attendance: participants.attendance, code: delegations.code })
    .from(participants)
    .leftJoin(delegations, eq(delegations.id, participants.delegationId))
    .where(and(eq(participants.meetingId, meetingId), isNotNull(participants.attendance)))
    .orderBy(asc(delegations.position), asc(participants.position));
  return rows.map((r) => ({ ...r, attendance: r.attendance! }));
}

/**
 * For "Waiting for you" on the home page: meetings ahead whose list of participants this
 * person, as head of delegation, has not submitted yet.
 */
export async function awaitedParticipantLists({ actor, now = new Date() }: { actor: Actor; now?: Date }) {
  const heads = await db()
    .select({ bodyId: memberships.bodyId, delegationId: memberships.delegationId })
    .from(memberships)
    .where(and(eq(memberships.userId, actor.id), eq(memberships.role, "head"), eq(memberships.active, true)));
  if (heads.length === 0) return [];
  const upcoming = await db()
    .select()
    .from(meetings)
    .where(and(inArray(meetings.bodyId, heads.map((h) => h.bodyId)), ne(meetings.status, "cancelled"), ne(meetings.status, "held"), gt(meetings.startsAt, now)))
    .orderBy(asc(meetings.startsAt));
  if (upcoming.length === 0) return [];
  const done = await db()
    .select({ meetingId: participantSubmissions.meetingId, delegationId: participantSubmissions.delegationId })
    .from(participantSubmissions)
    .where(inArray(participantSubmissions.meetingId, upcoming.map((m) => m.id)));
  return upcoming.flatMap((m: Meeting) => {
    const head = heads.find((h) => h.bodyId === m.bodyId);
    if (!head?.delegationId || done.some((d) => d.meetingId === m.id && d.delegationId === head.delegationId)) return [];
    return [{ meetingId: m.id, bodyId: m.bodyId, delegationId: head.delegationId, ordinal: m.ordinal, title: m.title, startsAt: m.startsAt, timeZone: m.timeZone }];
  });
}
