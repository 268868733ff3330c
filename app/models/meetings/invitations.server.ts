import { and, asc, eq, inArray, isNull, or } from "drizzle-orm";
import { z } from "zod";
import { bodies, delegations, invitationResponses, invitations, meetings, memberships, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { capitalName, formatInstant } from "~/lib/datetime";
import { db, type DbOrTx } from "~/lib/db.server";
import { ValidationError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { parseInput, scopeId } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { invitationFile, meetingUrl } from "~/models/meetings/calendar.server";
import type { Meeting } from "~/models/core/scope.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { queueMessages, type NewMessage } from "~/models/core/outbox.server";

export type MessageKind = "invitation" | "update" | "cancellation";

interface Recipient {
  userId: string;
  name: string;
  email: string;
  locale: string | null;
  delegationLanguage: string | null;
}

/** A recipient reads in their chosen language, else their delegation's working language. */
function recipientLocale(r: Recipient): Locale {
  if (isLocale(r.locale)) return r.locale;
  if (isLocale(r.delegationLanguage)) return r.delegationLanguage;
  return defaultLocale;
}

async function recipientsOf(tx: DbOrTx, meetingId: string, onlyUserIds?: string[]): Promise<Recipient[]> {
  return tx
    .select({ userId: users.id, name: users.name, email: users.email, locale: users.locale, delegationLanguage: delegations.language })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .leftJoin(delegations, eq(delegations.id, invitations.delegationId))
    .where(and(eq(invitations.meetingId, meetingId), onlyUserIds ? inArray(invitations.userId, onlyUserIds) : undefined))
    .orderBy(asc(users.name));
}

/**
 * Writes one message per invitee (or per named invitee) with the calendar file attached,
 * each in the invitee's language, into the outbox.
 */
export async function queueMeetingMessages(tx: DbOrTx, meeting: Meeting, kind: MessageKind, onlyUserIds?: string[], reason?: string): Promise<number> {
  const recipients = await recipientsOf(tx, meeting.id, onlyUserIds);
  const [body] = await tx.select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const capitals = await tx.select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const files = new Map<Locale, string>();
  const messages: NewMessage[] = [];
  for (const r of recipients) {
    const locale = recipientLocale(r);
    const t = getT(locale);
    if (!files.has(locale)) files.set(locale, await invitationFile(tx, meeting, locale, reason));
    const name = `${nameIn(body, locale)} — ${meetingName(meeting, t, locale)}`;
    const end = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
    const times = capitals.map(
      (d) =>
        `  ${nameIn(d, locale)} (${capitalName(d, t)}): ${formatInstant(meeting.startsAt, locale, d.timeZone, "longDate")} ${formatInstant(meeting.startsAt, locale, d.timeZone, "time")}–${formatInstant(end, locale, d.timeZone, "time")}`,
    );
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
        ...(reason ? ["", t("calendar:cancelReason", { reason })] : []),
        "",
        ...times,
        `  ${t(`meetings:format.${meeting.format}`)}${where ? `: ${where}` : ""}`,
        "",
        t("calendar:mail.respond", { url: meetingUrl(meeting.id) }),
        "",
        t("calendar:mail.signature"),
      ].join("\n"),
      attachmentName: kind === "cancellation" ? "cancel.ics" : "invite.ics",
      attachmentType: `text/calendar; charset=utf-8; method=${kind === "cancellation" ? "CANCEL" : "REQUEST"}`,
      attachmentContent: files.get(locale)!,
      attachmentEncoding: null,
    });
  }
  await queueMessages(tx, messages);
  return messages.length;
}

const sendSchema = z.object({
  delegationIds: z.array(z.string().max(64)).max(50).default([]),
});

/**
 * Invites the active members of the chosen delegations (and the secretariat). The first
 * sending announces a draft: it becomes scheduled and reaches calendars with SEQUENCE 0.
 * Sending again invites only people who were not invited yet.
 */
export async function sendInvitations({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting: current, member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "meetings.manage");
  const { delegationIds } = parseInput(sendSchema, input);
  return db().transaction(async (tx) => {
    const { meeting: before } = await getMeetingForMember(tx, actor, meetingId);
    if (before.status === "cancelled" || before.status === "held") throw ValidationError.field("", "meetings:errors.cannot.invite");
    if (before.startsAt <= now) throw ValidationError.field("", "meetings:errors.inPast");
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
      [meeting] = await tx
        .update(meetings)
        .set({ status: "scheduled", publishedAt: now, organizerName: actor.name, organizerEmail: actor.email, version: before.version + 1, updatedBy: actor.id })
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
    const queued = await queueMeetingMessages(tx, meeting, "invitation", fresh.map((p) => p.userId));
    return { invited: fresh.length, queued };
  });
}

const respondSchema = z.object({ response: z.enum(invitationResponses) });

/** An invitee answers for themself; calendars see it as PARTSTAT on the next download. */
export async function respondToInvitation({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "meetings.respond");
  const { response } = parseInput(respondSchema, input);
  await db().transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(invitations)
      .where(and(eq(invitations.meetingId, meetingId), eq(invitations.userId, actor.id)));
    if (!invitation) throw ValidationError.field("response", "meetings:errors.notInvited");
    if (meeting.status === "cancelled") throw ValidationError.field("response", "meetings:errors.cancelled");
    await tx.update(invitations).set({ response, respondedAt: now }).where(eq(invitations.id, invitation.id));
    await recordAudit(tx, {
      bodyId: meeting.bodyId,
      actorId: actor.id,
      action: "invitation.respond",
      entityType: "invitation",
      entityId: invitation.id,
      before: { response: invitation.response },
      after: { response },
    });
  });
}

export interface InviteeView {
  userId: string;
  name: string;
  delegationId: string | null;
  response: (typeof invitationResponses)[number];
  respondedAt: Date | null;
}

export async function listInvitees(tx: DbOrTx, meetingId: string): Promise<InviteeView[]> {
  return tx
    .select({ userId: users.id, name: users.name, delegationId: invitations.delegationId, response: invitations.response, respondedAt: invitations.respondedAt })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .where(eq(invitations.meetingId, meetingId))
    .orderBy(asc(users.name));
}
