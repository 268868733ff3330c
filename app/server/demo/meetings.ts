import { and, eq } from "drizzle-orm";
import type { Database } from "~/lib/db.server";
import { localParts, quarterOf, resolveLocalTime } from "~/lib/meeting-time.server";
import { Temporal } from "~/lib/zoned.server";
import { respondToInvitation, sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { auditEvents, invitations, meetings, memberships, users } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;

/** A Tuesday–Thursday about `days` from now, as a local calendar day. */
function dayNear(now: Date, days: number, zone: string): string {
  let date = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(zone).toPlainDate().add({ days });
  while (date.dayOfWeek < 2 || date.dayOfWeek > 4) date = date.add({ days: 1 });
  return date.toString();
}

function instantAt(day: string, time: string, zone: string): Date {
  const result = resolveLocalTime({ date: day, time, timeZone: zone });
  if (!result.ok) throw new Error(`demo time ${day} ${time} ${zone}: ${result.reason}`);
  return result.instant;
}

interface PastMeeting {
  ordinal: number;
  host: string;
  daysAgo: number;
  time: string;
  zone: string;
  format: "in_person" | "virtual" | "hybrid";
  venue: string | null;
  link: string | null;
  status: "held" | "cancelled";
}

/** Meetings that already happened can only be written directly: model functions refuse the past. */
async function insertPast(db: Database, bodyId: string, spec: PastMeeting, hostId: string, organizer: { name: string; email: string }, now: Date) {
  const startsAt = instantAt(dayNear(now, -spec.daysAgo, spec.zone), spec.time, spec.zone);
  const [meeting] = await db
    .insert(meetings)
    .values({
      bodyId,
      ordinal: spec.ordinal,
      quarter: quarterOf(startsAt, spec.zone),
      hostDelegationId: hostId,
      startsAt,
      timeZone: spec.zone,
      durationMinutes: 120,
      format: spec.format,
      venue: spec.venue,
      link: spec.link,
      status: spec.status,
      sequence: spec.status === "cancelled" ? 1 : 0,
      publishedAt: new Date(startsAt.getTime() - 45 * 86_400_000),
      organizerName: organizer.name,
      organizerEmail: organizer.email,
    })
    .returning();
  await db.insert(auditEvents).values({
    bodyId,
    actorId: null,
    action: "meeting.import",
    entityType: "meeting",
    entityId: meeting.id,
    after: { ordinal: meeting.ordinal, status: meeting.status, startsAt: startsAt.toISOString() },
    at: new Date(),
  });
  return meeting;
}

async function inviteEveryone(db: Database, meetingId: string, bodyId: string, respond: (email: string) => "accepted" | "tentative" | "declined" | "none") {
  const people = await db
    .select({ userId: memberships.userId, delegationId: memberships.delegationId, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.bodyId, bodyId), eq(memberships.active, true)));
  await db.insert(invitations).values(
    people.map((p) => {
      const response = respond(p.email);
      return { meetingId, userId: p.userId, delegationId: p.delegationId, response, invitedAt: new Date(), respondedAt: response === "none" ? null : new Date() };
    }),
  );
}

/**
 * The Trilateral body's history: four held quarterly meetings with rotating hosts (one
 * virtual), the 5th planned in Tokyo and cancelled, and the 5th rescheduled as a virtual
 * meeting in a few weeks with invitations out and some answers in. The CET Dialogue gets
 * one held meeting and one draft.
 */
export async function seedMeetings(db: Database, accounts: Accounts, now = new Date()) {
  const { trilateral, cet, userIds } = accounts;
  const existing = await db.select({ id: meetings.id }).from(meetings).where(eq(meetings.bodyId, trilateral.body.id)).limit(1);
  if (existing.length) return;
  const organizer = { name: "Dana Whitfield", email: "secretariat@concord.test" };
  const { US, JP, KR } = trilateral.delegationIds;
  const past: Array<[PastMeeting, string]> = [
    [{ ordinal: 1, host: "US", daysAgo: 364, time: "10:00", zone: "America/New_York", format: "in_person", venue: "Department of State, Washington, D.C.", link: null, status: "held" }, US],
    [{ ordinal: 2, host: "JP", daysAgo: 273, time: "10:00", zone: "Asia/Tokyo", format: "in_person", venue: "Ministry of Foreign Affairs, Tokyo", link: null, status: "held" }, JP],
    [{ ordinal: 3, host: "KR", daysAgo: 182, time: "19:00", zone: "America/New_York", format: "virtual", venue: null, link: "https://meet.example.org/trilateral-3", status: "held" }, KR],
    [{ ordinal: 4, host: "US", daysAgo: 91, time: "10:00", zone: "America/New_York", format: "hybrid", venue: "Department of State, Washington, D.C.", link: "https://meet.example.org/trilateral-4", status: "held" }, US],
    [{ ordinal: 5, host: "JP", daysAgo: 10, time: "10:00", zone: "Asia/Tokyo", format: "in_person", venue: "Ministry of Foreign Affairs, Tokyo", link: null, status: "cancelled" }, JP],
  ];
  const attendance = (email: string) => (email.startsWith("kr.official") ? "declined" : email.includes("official") ? "tentative" : "accepted");
  for (const [spec, hostId] of past) {
    const meeting = await insertPast(db, trilateral.body.id, spec, hostId, organizer, now);
    await inviteEveryone(db, meeting.id, trilateral.body.id, spec.status === "held" ? attendance : () => "none");
  }

  // The upcoming 5th meeting goes through the same functions the secretariat uses.
  const secretariat = { id: userIds["secretariat@concord.test"], ...organizer };
  const day = dayNear(now, 24, "America/New_York");
  const upcoming = await createMeeting({
    actor: secretariat,
    now,
    input: {
      bodyId: trilateral.body.id,
      ordinal: "5",
      hostDelegationId: JP,
      date: day,
      time: "19:00",
      endTime: "21:00",
      timeZone: "America/New_York",
      format: "virtual",
      link: "https://meet.example.org/trilateral-5",
    },
  });
  await sendInvitations({ actor: secretariat, now, input: { meetingId: upcoming.id, delegationIds: [US, JP, KR] } });
  const answers: Array<[string, "accepted" | "tentative" | "declined"]> = [
    ["us.head@concord.test", "accepted"],
    ["jp.head@concord.test", "accepted"],
    ["kr.head@concord.test", "tentative"],
    ["jp.delegate@concord.test", "accepted"],
    ["us.official@concord.test", "declined"],
  ];
  for (const [email, response] of answers) {
    await respondToInvitation({ actor: { id: userIds[email], name: "", email }, now, input: { meetingId: upcoming.id, response } });
  }

  const cetHeld = await insertPast(
    db,
    cet.body.id,
    { ordinal: 1, host: "KR", daysAgo: 60, time: "10:00", zone: "Asia/Seoul", format: "in_person", venue: "Ministry of Science and ICT, Sejong", link: null, status: "held" },
    cet.delegationIds.KR,
    organizer,
    now,
  );
  await inviteEveryone(db, cetHeld.id, cet.body.id, () => "accepted");
  const cetDay = dayNear(now, 45, "America/New_York");
  await createMeeting({
    actor: secretariat,
    now,
    input: { bodyId: cet.body.id, ordinal: "2", hostDelegationId: cet.delegationIds.US, date: cetDay, time: "10:00", endTime: "12:00", timeZone: "America/New_York", format: "in_person", venue: "Washington, D.C." },
  });
  return { upcomingId: upcoming.id, upcomingStart: localParts(upcoming.startsAt, "America/New_York") };
}
