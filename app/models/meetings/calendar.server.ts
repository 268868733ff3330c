import { and, asc, eq, inArray, isNotNull, isNull, ne } from "drizzle-orm";
import { bodies, delegations, feedTokens, invitations, meetings, memberships, users, type Role } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { capitalName, formatInstant } from "~/lib/datetime";
import { db, type DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { buildFeed, buildInvite, type AttendeeRole, type CalendarEvent, type PartStat } from "~/lib/ics.server";
import { newSecret } from "~/lib/ids";
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

/** A meeting's UID never changes, whatever happens to the meeting or the deployment's address. */
export const meetingUid = (meetingId: string) => `${meetingId}@concord`;
export const meetingUrl = (meetingId: string) => `${publicUrl()}/meetings/${meetingId}`;

async function attendeesOf(tx: DbOrTx, meeting: Meeting) {
  const rows = await tx
    .select({ name: users.name, email: users.email, response: invitations.response, role: memberships.role })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.userId))
    .leftJoin(memberships, and(eq(memberships.userId, invitations.userId), eq(memberships.bodyId, meeting.bodyId)))
    .where(eq(invitations.meetingId, meeting.id))
    .orderBy(asc(users.name));
  return rows.map((r) => ({
    name: r.name,
    email: r.email,
    role: roleInCalendar[r.role ?? "official"],
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

/** The same meeting as every calendar file describes it, in one reader's language. */
export async function meetingEvent(
  tx: DbOrTx,
  meeting: Meeting,
  locale: Locale,
  options: { attendees: boolean; bodyOf?: (bodyId: string) => Promise<BodyWithCapitals>; reason?: string },
): Promise<CalendarEvent> {
  const t = getT(locale);
  const { body, capitals } = await (options.bodyOf ?? bodyCache(tx))(meeting.bodyId);
  const name = meetingName(meeting, t, locale);
  const agenda = await calendarAgendaTitles(tx, meeting.id);
  const url = meetingUrl(meeting.id);
  const times = capitals.map(
    (d) => `${nameIn(d, locale)} (${capitalName(d, t)}): ${formatInstant(meeting.startsAt, locale, d.timeZone, "longDate")} ${formatInstant(meeting.startsAt, locale, d.timeZone, "time")}`,
  );
  const description = [
    `${nameIn(body, locale)} — ${name}`,
    ...(options.reason ? ["", t("calendar:cancelReason", { reason: options.reason })] : []),
    "",
    ...times,
    ...(agenda.length
      ? ["", t("calendar:agenda"), ...agenda.map((item, i) => `${i + 1}. ${item.special ? t(`agenda:special.${item.special}`) : item.title}`)]
      : []),
    "",
    url,
  ].join("\n");
  const location = [meeting.venue, meeting.link].filter(Boolean).join(" — ") || t(`meetings:format.${meeting.format}`);
  return {
    uid: meetingUid(meeting.id),
    sequence: meeting.sequence,
    status: meeting.status === "cancelled" ? "CANCELLED" : meeting.status === "draft" ? "TENTATIVE" : "CONFIRMED",
    start: meeting.startsAt,
    durationMinutes: meeting.durationMinutes,
    title: `${nameIn(body, locale)} — ${name}`,
    description,
    location,
    url,
    organizer: { name: meeting.organizerName ?? t("calendar:secretariat"), email: meeting.organizerEmail ?? "secretariat@invalid" },
    attendees: options.attendees ? await attendeesOf(tx, meeting) : undefined,
    stamp: new Date(),
    lastModified: meeting.updatedAt,
  };
}

/** The invitation file as an attendee's calendar should see it now: REQUEST, or CANCEL once cancelled. */
export async function invitationFile(tx: DbOrTx, meeting: Meeting, locale: Locale, reason?: string): Promise<string> {
  const event = await meetingEvent(tx, meeting, locale, { attendees: true, reason });
  return buildInvite(event, meeting.status === "cancelled" ? "CANCEL" : "REQUEST", { name: event.title });
}

/** `GET /meetings/:id/invite.ics` for a member of the meeting's body. */
export async function getInviteFile({ actor, meetingId, locale }: { actor: Actor; meetingId: string; locale: Locale }) {
  const { meeting } = await getMeetingForMember(db(), actor, meetingId);
  return { filename: `meeting-${meeting.ordinal}.ics`, content: await invitationFile(db(), meeting, locale) };
}

/** Meetings that reached calendars: drafts never do; cancelled ones stay, as cancelled. */
async function publishedMeetings(tx: DbOrTx, bodyIds: string[], year?: number) {
  if (bodyIds.length === 0) return [];
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(inArray(meetings.bodyId, bodyIds), isNotNull(meetings.publishedAt), ne(meetings.status, "draft")))
    .orderBy(asc(meetings.startsAt));
  return year === undefined ? rows : rows.filter((m) => m.startsAt.getUTCFullYear() === year);
}

async function feedOf(tx: DbOrTx, list: Meeting[], locale: Locale, name: string) {
  const bodyOf = bodyCache(tx);
  const events = [];
  for (const meeting of list) events.push(await meetingEvent(tx, meeting, locale, { attendees: false, bodyOf }));
  return buildFeed(events, { name });
}

function localeOf(user: { locale: string | null }): Locale {
  return isLocale(user.locale) ? user.locale : defaultLocale;
}

/**
 * `GET /feeds/:token.ics`. A personal token shows every meeting of every body the person
 * belongs to; a body token (the secretariat's) shows that body's meetings while its owner
 * is still its secretariat. Unknown, revoked or orphaned tokens are simply not found.
 */
export async function getFeedByToken(token: string, now = new Date()) {
  const [row] = await db()
    .select({ id: feedTokens.id, userId: feedTokens.userId, bodyId: feedTokens.bodyId, locale: users.locale, active: users.active })
    .from(feedTokens)
    .innerJoin(users, eq(users.id, feedTokens.userId))
    .where(and(eq(feedTokens.tokenHash, sha256(token)), isNull(feedTokens.revokedAt)))
    .limit(1);
  if (!row || !row.active) throw new NotFoundError("feed");
  const locale = localeOf(row);
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
    const mine = await db()
      .select({ bodyId: memberships.bodyId })
      .from(memberships)
      .where(and(eq(memberships.userId, row.userId), eq(memberships.active, true)));
    bodyIds = mine.map((m) => m.bodyId);
    name = t("calendar:personalFeedName");
  }
  await db().update(feedTokens).set({ lastUsedAt: now }).where(eq(feedTokens.id, row.id));
  return feedOf(db(), await publishedMeetings(db(), bodyIds), locale, name);
}

/** The secretariat's one-off download of a body's meetings in a year. */
export async function getYearFile({ actor, bodyId, year, locale }: { actor: Actor; bodyId: string; year: number; locale: Locale }) {
  await authorize(db(), actor, bodyId, "feeds.body");
  if (!Number.isInteger(year) || year < 1970 || year > 9999) throw ValidationError.field("year", "errors:validation.format");
  const [body] = await db().select().from(bodies).where(eq(bodies.id, bodyId));
  const content = await feedOf(db(), await publishedMeetings(db(), [bodyId], year), locale, `${nameIn(body, locale)} ${year}`);
  return { filename: `${body.slug}-${year}.ics`, content };
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
