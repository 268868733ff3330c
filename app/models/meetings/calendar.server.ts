import { and, asc, eq, inArray, isNotNull, isNull, ne, or } from "drizzle-orm";
import { bodies, delegations, feedTokens, invitations, meetings, memberships, users, type Role } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { capitalName, zoneName } from "~/lib/capitals";
import { daysLater, formatInstant } from "~/lib/datetime";
import { db, primaryDb, type DbOrTx } from "~/lib/db.server";
import { publicUrl, replyAddress } from "~/lib/env.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { buildFeed, buildInvite, type AttendeeRole, type CalendarEvent, type PartStat } from "~/lib/ics.server";
import { newSecret } from "~/lib/ids";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput } from "~/lib/validation";
import { z } from "zod";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { assertMember, authorize } from "~/models/core/access.server";
import { calendarAgendaTitles } from "~/models/meetings/calendar-agenda.server";
import { recordAudit } from "~/models/core/audit.server";
import type { Meeting } from "~/models/core/scope.server";
import { getMeetingForMember } from "~/models/core/scope.server";

const roleInCalendar: Record<Role, AttendeeRole> = {
  secretariat: "CHAIR",
  head: "REQ-PARTICIPANT",
  delegate: "REQ-PARTICIPANT",
  official: "OPT-PARTICIPANT",
};
const partstat: Record<string, PartStat> = { accepted: "ACCEPTED", tentative: "TENTATIVE", declined: "DECLINED", none: "NEEDS-ACTION" };

/** How often feed subscribers should read again (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const FEED_REFRESH_MINUTES = 60;

/** A meeting's UID never changes, whatever happens to the meeting or the deployment's address. */
export const meetingUid = (meetingId: string) => `${meetingId}@concord`;
export const meetingUrl = (meetingId: string) => `${publicUrl()}/meetings/${meetingId}`;

async function attendeesOf(tx: DbOrTx, meeting: Meeting) {
  const rows = await tx
    .select({ name: users.name, email: users.email, response: invitations.response, role: memberships.role })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .innerJoin(memberships, and(eq(memberships.userId, invitations.userId), eq(memberships.bodyId, meeting.bodyId), eq(memberships.active, true)))
    .where(and(eq(invitations.meetingId, meeting.id), eq(users.active, true)))
    .orderBy(asc(users.name));
  return rows.map((r) => ({
    name: r.name,
    email: r.email,
    role: roleInCalendar[r.role],
    partstat: partstat[r.response],
    rsvp: r.response === "none",
  }));
}

type BodyWithCapitals = { body: typeof bodies.$inferSelect; capitals: (typeof delegations.$inferSelect)[] };

/** A body and its capitals, read once per body however many of its meetings a file holds. */
function bodyCache(tx: DbOrTx) {
  const cache = new Map<string, Promise<BodyWithCapitals>>();
  return (bodyId: string) => {
    let entry = cache.get(bodyId);
    if (!entry) {
      entry = (async () => {
        const [body] = await tx.select().from(bodies).where(eq(bodies.id, bodyId));
        const capitals = await tx.select().from(delegations).where(eq(delegations.bodyId, bodyId)).orderBy(asc(delegations.position));
        return { body, capitals };
      })();
      cache.set(bodyId, entry);
    }
    return entry;
  };
}

/** Who reads a file: their language and, for personal files, the reminder they asked for. */
export interface Reader {
  locale: Locale;
  reminderMinutes?: number | null;
}

/**
 * A meeting's times in every capital, labelled by city with the zone name the reader expects,
 * and "+1 day" wherever the meeting ends on a later date than it starts there.
 */
export function capitalTimeLines(meeting: Pick<Meeting, "startsAt" | "durationMinutes">, capitals: BodyWithCapitals["capitals"], locale: Locale): string[] {
  const t = getT(locale);
  const end = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
  return capitals.map((d) => {
    const later = daysLater(meeting.startsAt, end, d.timeZone);
    return `${nameIn(d, locale)} (${capitalName(d, t)}): ${formatInstant(meeting.startsAt, locale, d.timeZone, "longDate")} ${formatInstant(meeting.startsAt, locale, d.timeZone, "time")}–${formatInstant(end, locale, d.timeZone, "time")}${later > 0 ? ` (${t("common:time.nextDay", { count: later })})` : ""} ${zoneName(meeting.startsAt, d.timeZone, t, locale)}`;
  });
}

/** The same meeting as every calendar file describes it, in one reader's language. */
export async function meetingEvent(
  tx: DbOrTx,
  meeting: Meeting,
  reader: Reader,
  options: { attendees: boolean; comment?: string; bodyOf?: (bodyId: string) => Promise<BodyWithCapitals> },
): Promise<CalendarEvent> {
  const { locale } = reader;
  const t = getT(locale);
  const { body, capitals } = await (options.bodyOf ?? bodyCache(tx))(meeting.bodyId);
  const name = meetingName(meeting, t, locale);
  const agenda = await calendarAgendaTitles(tx, meeting.id);
  const url = meetingUrl(meeting.id);
  const description = [
    ...(options.comment ? [t("calendar:cancelReason", { reason: options.comment }), ""] : []),
    `${nameIn(body, locale)} — ${name}`,
    "",
    ...capitalTimeLines(meeting, capitals, locale),
    ...(agenda.length
      ? ["", t("calendar:agenda"), ...agenda.map((item, i) => `${i + 1}. ${item.special ? t(`agenda:special.${item.special}`) : item.title}`)]
      : []),
    "",
    url,
  ].join("\n");
  const location = [meeting.venue, meeting.link].filter(Boolean).join(" — ") || t(`meetings:format.${meeting.format}`);
  const online = meeting.link && meeting.format !== "in_person" ? meeting.link : null;
  return {
    uid: meetingUid(meeting.id),
    sequence: meeting.sequence,
    status: meeting.status === "cancelled" ? "CANCELLED" : meeting.status === "draft" ? "TENTATIVE" : "CONFIRMED",
    start: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    title: `${nameIn(body, locale)} — ${name}`,
    description,
    location,
    url: online ?? url,
    conference: online ? { uri: online, label: t("calendar:conferenceLabel") } : undefined,
    comment: options.comment,
    organizer: { name: meeting.organizerName ?? t("calendar:secretariat"), email: replyAddress() },
    attendees: options.attendees ? await attendeesOf(tx, meeting) : undefined,
    // From the record, not the clock: the same meeting gives the same file until it changes.
    stamp: meeting.updatedAt,
    lastModified: meeting.updatedAt,
    alarmMinutes: reader.reminderMinutes ?? undefined,
  };
}

/** The invitation file as an attendee's calendar should see it now: REQUEST, or CANCEL once cancelled. */
export async function invitationFile(tx: DbOrTx, meeting: Meeting, reader: Reader, comment?: string): Promise<string> {
  const event = await meetingEvent(tx, meeting, reader, { attendees: true, comment });
  return buildInvite(event, meeting.status === "cancelled" ? "CANCEL" : "REQUEST");
}

/** Whether a meeting has reached calendars: drafts never do. */
export const isAnnounced = (meeting: Meeting) => meeting.publishedAt !== null && meeting.status !== "draft";

/** `GET /meetings/:id/invite.ics` for a member of the meeting's body; a draft has no invitation. */
export async function getInviteFile({ actor, meetingId, locale }: { actor: Actor; meetingId: string; locale: Locale }) {
  const { meeting } = await getMeetingForMember(db(), actor, meetingId);
  if (!isAnnounced(meeting)) throw new NotFoundError("meeting");
  const [me] = await db().select({ reminderMinutes: users.reminderMinutes }).from(users).where(eq(users.id, actor.id));
  return { filename: `meeting-${meeting.ordinal}.ics`, content: await invitationFile(db(), meeting, { locale, reminderMinutes: me?.reminderMinutes }) };
}

/** Meetings that reached calendars: drafts never do; cancelled ones stay, as cancelled. */
async function publishedMeetings(tx: DbOrTx, bodyIds: string[], year?: number) {
  if (bodyIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(inArray(meetings.bodyId, bodyIds), isNotNull(meetings.publishedAt), ne(meetings.status, "draft")))
    .orderBy(asc(meetings.startsAt));
  // A year is the meetings' own: "2027-Q4" is 2027's even when it starts on 1 January 2028 in UTC.
  return year === undefined ? rows : rows.filter((m) => m.quarter.startsWith(`${year}-`));
}

/** A feed's text and the newest change it shows (for Last-Modified). */
export interface FeedFile {
  content: string;
  lastModified: Date;
}

async function feedOf(tx: DbOrTx, list: Meeting[], reader: Reader, name: string): Promise<FeedFile> {
  const bodyOf = bodyCache(tx);
  const events = [];
  for (const meeting of list) events.push(await meetingEvent(tx, meeting, reader, { attendees: false, bodyOf }));
  const lastModified = new Date(Math.max(0, ...list.map((m) => m.updatedAt.getTime())));
  return { content: buildFeed(events, { name, refreshMinutes: FEED_REFRESH_MINUTES }), lastModified };
}

/** A person reads in their chosen language, else their delegation's working language, else English. */
async function readerLocale(tx: DbOrTx, user: { id: string; locale: string | null }): Promise<Locale> {
  if (isLocale(user.locale)) return user.locale;
  const [row] = await tx
    .select({ language: delegations.language })
    .from(memberships)
    .innerJoin(delegations, eq(delegations.id, memberships.delegationId))
    .where(and(eq(memberships.userId, user.id), eq(memberships.active, true)))
    .orderBy(asc(memberships.createdAt))
    .limit(1);
  return isLocale(row?.language) ? row.language : defaultLocale;
}

/**
 * `GET /feeds/:token.ics`. A personal token shows every meeting of every body the person
 * belongs to; a body token (the secretariat's) shows that body's meetings while its owner
 * is still its secretariat. Unknown, revoked or orphaned tokens are simply not found.
 */
export async function getFeedByToken(token: string, now = new Date()): Promise<FeedFile> {
  // The token and the memberships it opens decide access: read from the primary (ADR 030).
  const [row] = await primaryDb()
    .select({ id: feedTokens.id, userId: feedTokens.userId, bodyId: feedTokens.bodyId, locale: users.locale, active: users.active, reminderMinutes: users.reminderMinutes })
    .from(feedTokens)
    .innerJoin(users, eq(users.id, feedTokens.userId))
    .where(and(eq(feedTokens.tokenHash, sha256(token)), isNull(feedTokens.revokedAt)))
    .limit(1);
  if (!row || !row.active) throw new NotFoundError("feed");
  const locale = await readerLocale(db(), { id: row.userId, locale: row.locale });
  const t = getT(locale);
  let bodyIds: string[];
  let name: string;
  if (row.bodyId) {
    const actor = { id: row.userId, name: "", email: "" };
    const member = await assertMember(db(), actor, row.bodyId).catch(() => null);
    if (!member || member.role !== "secretariat") throw new NotFoundError("feed");
    const [body] = await db().select().from(bodies).where(eq(bodies.id, row.bodyId));
    bodyIds = [row.bodyId];
    name = nameIn(body, locale);
  } else {
    const mine = await primaryDb()
      .select({ bodyId: memberships.bodyId })
      .from(memberships)
      .where(and(eq(memberships.userId, row.userId), eq(memberships.active, true)));
    bodyIds = mine.map((m) => m.bodyId);
    name = t("calendar:personalFeedName");
  }
  await db().update(feedTokens).set({ lastUsedAt: now }).where(eq(feedTokens.id, row.id));
  return feedOf(db(), await publishedMeetings(db(), bodyIds), { locale, reminderMinutes: row.reminderMinutes }, name);
}

/** The secretariat's one-off download of a body's meetings in a year (the meetings' own quarters). */
export async function getYearFile({ actor, bodyId, year, locale }: { actor: Actor; bodyId: string; year: number; locale: Locale }) {
  await authorize(db(), actor, bodyId, "feeds.body");
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw ValidationError.field("year", "errors:validation.format");
  const [body] = await db().select().from(bodies).where(eq(bodies.id, bodyId));
  const file = await feedOf(db(), await publishedMeetings(db(), [bodyId], year), { locale }, `${nameIn(body, locale)} ${year}`);
  return { filename: `${body.slug}-${year}.ics`, content: file.content };
}

// ---------- feed addresses ----------

export interface FeedStatus {
  bodyId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export async function listFeedTokens({ actor }: { actor: Actor }): Promise<FeedStatus[]> {
  return db()
    .select({ bodyId: feedTokens.bodyId, createdAt: feedTokens.createdAt, lastUsedAt: feedTokens.lastUsedAt })
    .from(feedTokens)
    .where(and(eq(feedTokens.userId, actor.id), isNull(feedTokens.revokedAt)));
}

/**
 * A member who is deactivated loses every calendar address for good: the personal feed once
 * showed this body's meetings, and a body feed belongs to the seat. Reactivation does not
 * bring them back; the person makes a new address.
 */
export async function revokeFeedsOnDeactivation(tx: DbOrTx, { userId, bodyId, now }: { userId: string; bodyId: string; now: Date }): Promise<number> {
  const revoked = await tx
    .update(feedTokens)
    .set({ revokedAt: now })
    .where(and(eq(feedTokens.userId, userId), or(isNull(feedTokens.bodyId), eq(feedTokens.bodyId, bodyId)), isNull(feedTokens.revokedAt)))
    .returning({ id: feedTokens.id });
  return revoked.length;
}

async function revokeScope(tx: DbOrTx, userId: string, bodyId: string | null, now: Date) {
  await tx
    .update(feedTokens)
    .set({ revokedAt: now })
    .where(and(eq(feedTokens.userId, userId), bodyId ? eq(feedTokens.bodyId, bodyId) : isNull(feedTokens.bodyId), isNull(feedTokens.revokedAt)));
}

/**
 * Creates (or rotates: the old address stops working) a feed address and returns it. Only
 * its hash is kept, so the address can be copied now and never shown again.
 */
export async function createFeedToken({ actor, bodyId = null, now = new Date() }: { actor: Actor; bodyId?: string | null; now?: Date }): Promise<string> {
  if (bodyId) await authorize(db(), actor, bodyId, "feeds.body");
  const token = newSecret();
  await db().transaction(async (tx) => {
    await revokeScope(tx, actor.id, bodyId, now);
    const [row] = await tx.insert(feedTokens).values({ userId: actor.id, bodyId, tokenHash: sha256(token) }).returning({ id: feedTokens.id });
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "feed.create", entityType: "feed_token", entityId: row.id });
  });
  return `${publicUrl()}/feeds/${token}.ics`;
}

export async function revokeFeedToken({ actor, bodyId = null, now = new Date() }: { actor: Actor; bodyId?: string | null; now?: Date }): Promise<void> {
  if (bodyId) await authorize(db(), actor, bodyId, "feeds.body");
  await db().transaction(async (tx) => {
    await revokeScope(tx, actor.id, bodyId, now);
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "feed.revoke", entityType: "feed_token", entityId: bodyId ?? actor.id });
  });
}

// ---------- reminders ----------

/** The reminders a person may ask their calendar for, in minutes before the start. */
export const REMINDER_CHOICES = [10, 15, 30, 60, 1440] as const;
const reminderSchema = z.object({
  reminderMinutes: z
    .union([z.literal(""), z.coerce.number().int()])
    .transform((v) => (v === "" ? null : v))
    .refine((v) => v === null || (REMINDER_CHOICES as readonly number[]).includes(v), { message: "errors:validation.choice" }),
});

export async function getCalendarReminder({ actor }: { actor: Actor }): Promise<number | null> {
  const [row] = await db().select({ reminderMinutes: users.reminderMinutes }).from(users).where(eq(users.id, actor.id));
  return row?.reminderMinutes ?? null;
}

/** A person's reminder (VALARM) in every calendar file made for them: invitations, downloads and their feed. */
export async function setCalendarReminder({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  const { reminderMinutes } = parseInput(reminderSchema, input);
  await withTransaction(async (tx) => {
    const [before] = await tx.select({ reminderMinutes: users.reminderMinutes }).from(users).where(eq(users.id, actor.id));
    await tx.update(users).set({ reminderMinutes }).where(eq(users.id, actor.id));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "calendar.reminder", entityType: "user", entityId: actor.id, before: { reminderMinutes: before?.reminderMinutes ?? null }, after: { reminderMinutes } });
  });
}
