import { and, desc, eq, sql } from "drizzle-orm";
import { inboundMessages, invitations, meetingCounters, meetings, memberships, users, type InboundOutcome } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { readCalendarMail, type CalendarMail } from "~/lib/calendar-mail.server";
import { db, type DbOrTx } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";
import { authorize } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { nudgeOutbox } from "~/models/core/outbox.server";
import { isAnnounced } from "~/models/meetings/calendar.server";
import { recordAnswer } from "~/models/meetings/invitations.server";

/** The longest meeting a proposed time may describe, as for the meeting form. */
const MAX_DURATION_MINUTES = 12 * 60;
const answers = { ACCEPTED: "accepted", TENTATIVE: "tentative", DECLINED: "declined" } as const;

export interface ReceivedReply {
  outcome: InboundOutcome;
  meetingId: string | null;
}

/**
 * One e-mail that reached Concord's reply address. Its calendar is matched by UID (the
 * meeting), SEQUENCE (the version the person answered: an older or unknown one is refused
 * as stale) and ATTENDEE (who must be the sender, and invited as an active member). A REPLY
 * records the answer as if given on the page; a COUNTER is kept for the secretariat. Every
 * message is recorded with what was done about it; the same Message-ID is handled once.
 * The SMTP conversation always ends in acceptance for a well-formed message, so a refusal
 * here never bounces back to a calendar client (and never tells a sender who is invited).
 */
export async function receiveCalendarMail(raw: Uint8Array | string, now = new Date()): Promise<ReceivedReply> {
  const mail = await readCalendarMail(raw).catch(() => null);
  return withTransaction(async (tx, afterCommit) => {
    if (mail?.messageId) {
      const [seen] = await tx.select().from(inboundMessages).where(eq(inboundMessages.messageId, mail.messageId));
      if (seen) return { outcome: seen.outcome, meetingId: seen.meetingId };
    }
    const result = await apply(tx, mail, now);
    await tx.insert(inboundMessages).values({
      bodyId: result.bodyId,
      meetingId: result.meetingId,
      userId: result.userId,
      messageId: mail?.messageId ?? null,
      fromEmail: mail?.from?.slice(0, 320) ?? null,
      method: mail?.method?.slice(0, 32) ?? null,
      partstat: result.partstat,
      sequence: mail?.sequence ?? null,
      outcome: result.outcome,
      receivedAt: now,
    });
    if (result.outcome === "applied" || result.outcome === "counter") afterCommit(nudgeOutbox);
    return { outcome: result.outcome, meetingId: result.meetingId };
  });
}

interface Applied {
  outcome: InboundOutcome;
  bodyId: string | null;
  meetingId: string | null;
  userId: string | null;
  partstat: string | null;
}

async function apply(tx: DbOrTx, mail: CalendarMail | null, now: Date): Promise<Applied> {
  const none = { bodyId: null, meetingId: null, userId: null, partstat: null };
  if (!mail || !mail.uid) return { outcome: "unreadable", ...none };
  if (mail.method !== "REPLY" && mail.method !== "COUNTER") return { outcome: "unsupported", ...none };
  const meetingId = /^([A-Za-z0-9_-]{1,64})@concord$/.exec(mail.uid)?.[1];
  const [meeting] = meetingId ? await tx.select().from(meetings).where(eq(meetings.id, meetingId)) : [];
  if (!meeting || !isAnnounced(meeting)) return { outcome: "unknown-meeting", ...none };
  const about = { bodyId: meeting.bodyId, meetingId: meeting.id };
  // The attendee who answers must be the one who wrote: nobody answers for someone else.
  const attendee = mail.attendees.find((a) => a.email === mail.from);
  if (!attendee) return { outcome: "sender-mismatch", ...about, userId: null, partstat: null };
  const [row] = await tx
    .select({ invitation: invitations, user: users })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.bodyId, meeting.bodyId), eq(memberships.active, true)))
    .where(and(eq(invitations.meetingId, meeting.id), sql`lower(${users.email}) = ${attendee.email}`, eq(users.active, true)));
  if (!row) return { outcome: "not-invited", ...about, userId: null, partstat: attendee.partstat };
  const who = { ...about, userId: row.user.id, partstat: attendee.partstat };
  if (meeting.status !== "scheduled") return { outcome: "cancelled", ...who };
  // An answer to an earlier version is an answer to another time; one to a later version was never sent.
  if (mail.sequence !== meeting.sequence) return { outcome: "stale", ...who };
  if (mail.method === "REPLY") {
    const response = attendee.partstat ? answers[attendee.partstat as keyof typeof answers] : undefined;
    if (!response) return { outcome: "unsupported", ...who };
    await recordAnswer(tx, { meeting, invitation: row.invitation, response, via: "calendar", actorId: row.user.id, now });
    return { outcome: "applied", ...who };
  }
  if (!mail.start || !mail.end) return { outcome: "unreadable", ...who };
  const minutes = Math.round((mail.end.getTime() - mail.start.getTime()) / 60_000);
  if (minutes <= 0 || minutes > MAX_DURATION_MINUTES || mail.start <= now) return { outcome: "unsupported", ...who };
  // One open proposal per person: a newer one replaces theirs.
  await tx
    .update(meetingCounters)
    .set({ state: "declined", decidedAt: now })
    .where(and(eq(meetingCounters.meetingId, meeting.id), eq(meetingCounters.userId, row.user.id), eq(meetingCounters.state, "pending")));
  const [counter] = await tx
    .insert(meetingCounters)
    .values({ meetingId: meeting.id, userId: row.user.id, sequence: meeting.sequence, proposedStart: mail.start, proposedDurationMinutes: minutes, comment: mail.comment?.slice(0, 1000) ?? null })
    .returning();
  await recordAudit(tx, {
    bodyId: meeting.bodyId,
    actorId: row.user.id,
    action: "meeting.counter",
    entityType: "meeting_counter",
    entityId: counter.id,
    after: { meetingId: meeting.id, proposedStart: mail.start.toISOString(), proposedDurationMinutes: minutes },
  });
  return { outcome: "counter", ...who };
}

/** The secretariat's record of calendar replies that reached the body, newest first. */
export async function listInboundReplies({ actor, bodyId, limit = 50 }: { actor: Actor; bodyId: string; limit?: number }) {
  await authorize(db(), actor, bodyId, "outbox.read");
  return db()
    .select({
      id: inboundMessages.id,
      fromEmail: inboundMessages.fromEmail,
      method: inboundMessages.method,
      partstat: inboundMessages.partstat,
      outcome: inboundMessages.outcome,
      receivedAt: inboundMessages.receivedAt,
      meetingId: inboundMessages.meetingId,
      meetingOrdinal: meetings.ordinal,
    })
    .from(inboundMessages)
    .leftJoin(meetings, eq(meetings.id, inboundMessages.meetingId))
    .where(eq(inboundMessages.bodyId, bodyId))
    .orderBy(desc(inboundMessages.receivedAt))
    .limit(limit);
}
