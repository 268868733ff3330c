import { and, asc, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { bodies, delegations, invitationResponses, invitations, meetings, memberships, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ValidationError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { buildInvite, type InviteMethod } from "~/lib/ics.server";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { preparedPerHandle } from "~/lib/prepared-query.server";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { capitalTimeLines, invitationFile, meetingEvent, meetingUrl, type Reader } from "~/models/meetings/calendar.server";
import { calendarDigest } from "~/models/meetings/digest.server";
import type { Meeting } from "~/models/core/scope.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { nudgeOutbox, queueMessages, type NewMessage } from "~/models/core/outbox.server";
import { revokeMeetingAudience } from "~/models/people/revocation.server";

/**
 * What a message about a meeting says: the first invitation, a change that keeps answers
 * ("update"), a change of time or length that asks everyone again ("reschedule"), the
 * cancellation, a CANCEL to one person who is no longer invited ("removal"), and the
 * secretariat declining a proposed new time ("declinecounter").
 */
export type MessageKind = "invitation" | "update" | "reschedule" | "cancellation" | "removal" | "declinecounter";

const methodOf: Record<MessageKind, InviteMethod> = {
  invitation: "REQUEST",
  update: "REQUEST",
  reschedule: "REQUEST",
  cancellation: "CANCEL",
  removal: "CANCEL",
  declinecounter: "DECLINECOUNTER",
};

interface Recipient {
  userId: string;
  name: string;
  email: string;
  locale: string | null;
  reminderMinutes: number | null;
  delegationLanguage: string | null;
}

/** A recipient reads in their chosen language, else their delegation's working language. */
function recipientLocale(r: Recipient): Locale {
  if (isLocale(r.locale)) return r.locale;
  if (isLocale(r.delegationLanguage)) return r.delegationLanguage;
  return defaultLocale;
}

const recipientColumns = {
  userId: users.id,
  name: users.name,
  email: users.email,
  locale: users.locale,
  reminderMinutes: users.reminderMinutes,
  delegationLanguage: delegations.language,
};

/** Invitees whose membership of the body and whose account are active: nobody else is mailed. */
async function recipientsOf(tx: DbOrTx, meeting: Meeting, onlyUserIds?: string[]): Promise<Recipient[]> {
  return tx
    .select(recipientColumns)
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(memberships, and(eq(memberships.userId, invitations.userId), eq(memberships.bodyId, meeting.bodyId), eq(memberships.active, true)))
    .leftJoin(delegations, eq(delegations.id, invitations.delegationId))
    .where(and(eq(invitations.meetingId, meeting.id), eq(users.active, true), onlyUserIds ? inArray(invitations.userId, onlyUserIds) : undefined))
    .orderBy(asc(users.name));
}

/** Attachment names follow the method, so a cancellation never arrives as "invite.ics". */
const attachmentName = (method: InviteMethod) => `${method.toLowerCase()}.ics`;

interface QueueOptions {
  onlyUserIds?: string[];
  /** Why the meeting was cancelled, for the CANCEL's COMMENT and the e-mail. */
  reason?: string;
  /** For "removal" and "declinecounter": the one person, who may no longer be an active invitee. */
  recipients?: Recipient[];
  /** For "declinecounter": the proposer's calendar file is built here. */
  file?: (reader: Reader) => Promise<string>;
}

/**
 * Writes one message per invitee (or per named invitee) with the calendar file attached,
 * each in the invitee's language, into the outbox, in the caller's transaction.
 */
export async function queueMeetingMessages(tx: DbOrTx, meeting: Meeting, kind: MessageKind, options: QueueOptions = {}): Promise<number> {
  const recipients = options.recipients ?? (await recipientsOf(tx, meeting, options.onlyUserIds));
  const [body] = await tx.select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const capitals = await tx.select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const method = methodOf[kind];
  const files = new Map<string, string>();
  const messages: NewMessage[] = [];
  for (const r of recipients) {
    const locale = recipientLocale(r);
    const reader: Reader = { locale, reminderMinutes: r.reminderMinutes };
    const t = getT(locale);
    const key = `${locale}|${r.reminderMinutes ?? ""}`;
    if (!files.has(key)) files.set(key, options.file ? await options.file(reader) : await invitationFile(tx, meeting, reader, options.reason));
    const name = `${nameIn(body, locale)} — ${meetingName(meeting, t, locale)}`;
    const where = [meeting.venue, meeting.link].filter(Boolean).join(" — ");
    messages.push({
      bodyId: meeting.bodyId,
      meetingId: meeting.id,
      userId: r.userId,
      kind,
      toEmail: r.email,
      toName: r.name,
      subject: t(`calendar:mail.subject.${kind}`, { name }),
      text: [
        t("calendar:mail.greeting", { name: r.name }),
        "",
        t(`calendar:mail.intro.${kind}`, { name }),
        ...(options.reason ? ["", t("calendar:cancelReason", { reason: options.reason })] : []),
        "",
        ...capitalTimeLines(meeting, capitals, locale).map((line) => `  ${line}`),
        `  ${t(`meetings:format.${meeting.format}`)}${where ? `: ${where}` : ""}`,
        "",
        t("calendar:mail.respond", { url: meetingUrl(meeting.id) }),
        "",
        t("calendar:mail.signature"),
      ].join("\n"),
      attachmentName: attachmentName(method),
      attachmentType: `text/calendar; charset=utf-8; method=${method}`,
      attachmentContent: files.get(key)!,
      attachmentEncoding: null,
    });
  }
  await queueMessages(tx, messages);
  return messages.length;
}

const sendSchema = z.object({
  delegationIds: z.array(z.string().max(64)).max(50).default([]),
  /** The secretariat confirmed sending a virtual or hybrid meeting that has no link yet. */
  confirmNoLink: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true" || v === "1"),
});

/** A virtual or hybrid meeting sent without its link leaves invitees with nowhere to go: ask first. */
export const needsLink = (meeting: Pick<Meeting, "format" | "link">) => meeting.format !== "in_person" && !meeting.link;

/**
 * Invites the active members of the chosen delegations (and the secretariat). The first
 * sending announces a draft: it becomes scheduled and reaches calendars with SEQUENCE 0.
 * Sending again invites only people who were not invited yet.
 */
export async function sendInvitations({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting: current, member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "meetings.manage");
  const { delegationIds, confirmNoLink } = parseInput(sendSchema, input);
  return withTransaction(async (tx, afterCommit) => {
    const { meeting: before } = await getMeetingForMember(tx, actor, meetingId);
    if (before.status === "cancelled" || before.status === "held") throw ValidationError.field("", "meetings:errors.cannot.invite");
    if (before.startsAt <= now) throw ValidationError.field("", "meetings:errors.inPast");
    if (needsLink(before) && !confirmNoLink) throw ValidationError.field("confirmNoLink", "meetings:errors.noLink");
    const chosen = await tx
      .select({ id: delegations.id })
      .from(delegations)
      .where(and(eq(delegations.bodyId, current.bodyId), inArray(delegations.id, delegationIds.length ? delegationIds : [""])));
    if (chosen.length === 0) throw ValidationError.field("delegationIds", "meetings:errors.noDelegations");
    const people = await tx
      .select({ userId: memberships.userId, delegationId: memberships.delegationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(
        and(
          eq(memberships.bodyId, current.bodyId),
          eq(memberships.active, true),
          eq(users.active, true),
          or(isNull(memberships.delegationId), inArray(memberships.delegationId, chosen.map((d) => d.id))),
        ),
      );
    const already = new Set(
      (await tx.select({ userId: invitations.userId }).from(invitations).where(eq(invitations.meetingId, meetingId))).map((r) => r.userId),
    );
    const fresh = people.filter((p) => !already.has(p.userId));
    if (fresh.length > 0) {
      await tx.insert(invitations).values(fresh.map((p) => ({ meetingId, userId: p.userId, delegationId: p.delegationId, invitedAt: now })));
    }
    let meeting = before;
    if (before.status === "draft") {
      // SEQUENCE starts at publication: whatever the draft went through, calendars first see 0.
      [meeting] = await tx
        .update(meetings)
        .set({ status: "scheduled", publishedAt: now, sequence: 0, organizerName: actor.name, organizerEmail: actor.email, version: before.version + 1, updatedBy: actor.id })
        .where(eq(meetings.id, meetingId))
        .returning();
      [meeting] = await tx
        .update(meetings)
        .set({ calendarDigest: await calendarDigest(tx, meeting) })
        .where(eq(meetings.id, meetingId))
        .returning();
    }
    await recordAudit(tx, {
      bodyId: meeting.bodyId,
      actorId: actor.id,
      action: "meeting.invite",
      entityType: "meeting",
      entityId: meetingId,
      before: { status: before.status },
      after: { status: meeting.status, invited: fresh.length, delegationIds: chosen.map((d) => d.id) },
    });
    const queued = await queueMeetingMessages(tx, meeting, "invitation", { onlyUserIds: fresh.map((p) => p.userId) });
    afterCommit(nudgeOutbox);
    // The first invitations narrow the meeting's TLP:AMBER audience to the invited: open live documents decide again (ADR 037).
    if (fresh.length > 0) afterCommit(() => revokeMeetingAudience(meetingId));
    return { invited: fresh.length, queued };
  });
}

const respondSchema = z.object({ response: z.enum(invitationResponses).exclude(["none"]) });

/** An invitee answers for themself; calendars see it as PARTSTAT on the next download. */
export async function respondToInvitation({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "meetings.respond");
  const { response } = parseInput(respondSchema, input);
  await withTransaction(async (tx) => {
    const { meeting } = await getMeetingForMember(tx, actor, meetingId);
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.meetingId, meetingId), eq(invitations.userId, actor.id)));
    if (!invitation) throw ValidationError.field("response", "meetings:errors.notInvited");
    if (meeting.status === "cancelled") throw ValidationError.field("response", "meetings:errors.cancelled");
    await recordAnswer(tx, { meeting, invitation, response, via: "page", actorId: actor.id, now });
  });
}

type Answer = Exclude<(typeof invitationResponses)[number], "none">;

/** Stores an invitee's answer to the meeting as it stands (its SEQUENCE), from the page or from a calendar client. */
export async function recordAnswer(
  tx: DbOrTx,
  { meeting, invitation, response, via, actorId, now }: { meeting: Meeting; invitation: typeof invitations.$inferSelect; response: Answer; via: "page" | "calendar"; actorId: string; now: Date },
) {
  await tx
    .update(invitations)
    .set({ response, respondedAt: now, respondedSequence: meeting.sequence, respondedVia: via })
    .where(eq(invitations.id, invitation.id));
  await recordAudit(tx, {
    bodyId: meeting.bodyId,
    actorId,
    action: "invitation.respond",
    entityType: "invitation",
    entityId: invitation.id,
    before: { response: invitation.response },
    after: { response, via, sequence: meeting.sequence },
  });
}

/** A change of time or length: every answer was to another time, so everyone is asked again. */
export async function resetAnswers(tx: DbOrTx, meetingId: string): Promise<number> {
  const reset = await tx
    .update(invitations)
    .set({ response: "none", respondedAt: null, respondedSequence: null, respondedVia: null })
    .where(eq(invitations.meetingId, meetingId))
    .returning({ id: invitations.id });
  return reset.length;
}

/**
 * Someone who is deactivated (or leaves the body) is no longer invited to its meetings still
 * to come: each such invitation is withdrawn, and the person's calendar gets a CANCEL for it.
 * The other invitees' calendars learn of the shorter attendee list with the next update.
 */
export async function withdrawFutureInvitations(tx: DbOrTx, { userId, bodyId, actorId, now }: { userId: string; bodyId: string; actorId: string; now: Date }): Promise<number> {
  const rows = await tx
    .select({ invitation: invitations, meeting: meetings })
    .from(invitations)
    .innerJoin(meetings, eq(meetings.id, invitations.meetingId))
    .where(and(eq(invitations.userId, userId), eq(meetings.bodyId, bodyId), eq(meetings.status, "scheduled"), gt(meetings.startsAt, now)));
  if (rows.length === 0) return 0;
  const [person] = await tx
    .select(recipientColumns)
    .from(users)
    .leftJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.bodyId, bodyId)))
    .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
    .where(eq(users.id, userId));
  for (const { invitation, meeting } of rows) {
    await queueMeetingMessages(tx, meeting, "removal", {
      recipients: [person],
      file: async (reader) => {
        const event = await meetingEvent(tx, meeting, reader, { attendees: false });
        return buildInvite({ ...event, attendees: [{ name: person.name, email: person.email, role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: false }] }, "CANCEL");
      },
    });
    await tx.delete(invitations).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, { bodyId, actorId, action: "invitation.withdraw", entityType: "invitation", entityId: invitation.id, before: { meetingId: meeting.id, userId }, after: null });
  }
  return rows.length;
}

export interface InviteeView {
  userId: string;
  name: string;
  delegationId: string | null;
  response: (typeof invitationResponses)[number];
  respondedAt: Date | null;
  respondedVia: "page" | "calendar" | null;
}

/** `listInvitees`' statement, built once per handle (ADR 051). */
const inviteesOf = preparedPerHandle((handle: DbOrTx) =>
  handle
    .select({
      userId: users.id,
      name: users.name,
      delegationId: invitations.delegationId,
      response: invitations.response,
      respondedAt: invitations.respondedAt,
      respondedVia: invitations.respondedVia,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(memberships, and(eq(memberships.userId, invitations.userId), eq(memberships.bodyId, sql.placeholder("bodyId")), eq(memberships.active, true)))
    .where(and(eq(invitations.meetingId, sql.placeholder("meetingId")), eq(users.active, true)))
    .orderBy(asc(users.name))
    .prepare(),
);

/** The meeting's invitees as the page lists them: active members only. */
export async function listInvitees(tx: DbOrTx, meeting: Pick<Meeting, "id" | "bodyId">): Promise<InviteeView[]> {
  return inviteesOf(tx).all({ meetingId: meeting.id, bodyId: meeting.bodyId });
}
