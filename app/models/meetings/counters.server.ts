import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { delegations, meetingCounters, memberships, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import type { DbOrTx } from "~/lib/db.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { buildInvite } from "~/lib/ics.server";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { nudgeOutbox } from "~/models/core/outbox.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";
import { meetingEvent } from "~/models/meetings/calendar.server";
import { queueMeetingMessages } from "~/models/meetings/invitations.server";
import { rescheduleMeeting } from "~/models/meetings/meetings.server";

export interface CounterView {
  id: string;
  userId: string;
  name: string;
  proposedStart: Date;
  proposedDurationMinutes: number;
  comment: string | null;
  createdAt: Date;
}

/** Proposed new times still open: made against the invitation as it stands (a later change makes them moot). */
export async function listOpenCounters(tx: DbOrTx, meeting: Meeting): Promise<CounterView[]> {
  return tx
    .select({
      id: meetingCounters.id,
      userId: meetingCounters.userId,
      name: users.name,
      proposedStart: meetingCounters.proposedStart,
      proposedDurationMinutes: meetingCounters.proposedDurationMinutes,
      comment: meetingCounters.comment,
      createdAt: meetingCounters.createdAt,
    })
    .from(meetingCounters)
    .innerJoin(users, eq(users.id, meetingCounters.userId))
    .where(and(eq(meetingCounters.meetingId, meeting.id), eq(meetingCounters.state, "pending"), eq(meetingCounters.sequence, meeting.sequence)))
    .orderBy(asc(meetingCounters.createdAt));
}

const decisionSchema = z.object({ counterId: z.string().min(1).max(64) });

async function openCounter(tx: DbOrTx, actor: Actor, meetingId: string, counterId: string) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  assertCan(member, "meetings.manage");
  const [counter] = await tx
    .select()
    .from(meetingCounters)
    .where(and(eq(meetingCounters.id, counterId), eq(meetingCounters.meetingId, meeting.id)));
  if (!counter) throw new NotFoundError("counter");
  if (counter.state !== "pending" || counter.sequence !== meeting.sequence || meeting.status !== "scheduled") {
    throw ValidationError.field("", "meetings:errors.counterClosed");
  }
  return { meeting, counter };
}

/** The secretariat takes the proposed time: the meeting moves, answers reset, everyone gets the new invitation. */
export async function acceptCounter({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { counterId } = parseInput(decisionSchema, input);
  return withTransaction(async (tx, afterCommit) => {
    const { meeting, counter } = await openCounter(tx, actor, meetingId, counterId);
    if (counter.proposedStart <= now) throw ValidationError.field("", "meetings:errors.inPast");
    const after = await rescheduleMeeting(tx, { before: meeting, startsAt: counter.proposedStart, durationMinutes: counter.proposedDurationMinutes, actorId: actor.id });
    await tx.update(meetingCounters).set({ state: "accepted", decidedBy: actor.id, decidedAt: now }).where(eq(meetingCounters.id, counter.id));
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "meeting.counter.accept", entityType: "meeting_counter", entityId: counter.id, before: { state: "pending" }, after: { state: "accepted", sequence: after.sequence } });
    afterCommit(nudgeOutbox);
    return after;
  });
}

/** The secretariat keeps the time: the proposer's calendar gets a DECLINECOUNTER. */
export async function declineCounter({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { counterId } = parseInput(decisionSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    const { meeting, counter } = await openCounter(tx, actor, meetingId, counterId);
    const [person] = await tx
      .select({
        userId: users.id,
        name: users.name,
        email: users.email,
        locale: users.locale,
        reminderMinutes: users.reminderMinutes,
        delegationLanguage: delegations.language,
      })
      .from(users)
      .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.bodyId, meeting.bodyId)))
      .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
      .where(eq(users.id, counter.userId));
    await queueMeetingMessages(tx, meeting, "declinecounter", {
      recipients: [person],
      file: async (reader) => {
        const event = await meetingEvent(tx, meeting, reader, { attendees: false });
        return buildInvite({ ...event, alarmMinutes: undefined, attendees: [{ name: person.name, email: person.email, role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: false }] }, "DECLINECOUNTER");
      },
    });
    await tx.update(meetingCounters).set({ state: "declined", decidedBy: actor.id, decidedAt: now }).where(eq(meetingCounters.id, counter.id));
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "meeting.counter.decline", entityType: "meeting_counter", entityId: counter.id, before: { state: "pending" }, after: { state: "declined" } });
    afterCommit(nudgeOutbox);
  });
}
