import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundMessages, invitations, meetings, outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { deliverTo, outlookCounter, replyMail, type Client } from "#tests/support/calendar-replies";
import { parseCalendar, parseWithPython, pythonAvailable } from "#tests/support/ical";
import { db } from "~/lib/db.server";
import { replyAddress } from "~/lib/env.server";
import { ForbiddenError, ValidationError } from "~/lib/errors";
import { getInviteFile } from "~/models/meetings/calendar.server";
import { acceptCounter, declineCounter, listOpenCounters } from "~/models/meetings/counters.server";
import { respondToInvitation, sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting, updateMeeting } from "~/models/meetings/meetings.server";
import { getMeetingPage } from "~/models/meetings/meeting-page.server";
import { startInboundSmtp, type InboundListener } from "~/server/inbound.server";

/**
 * Replies travel as they would in production: an SMTP client hands the e-mail to Concord's
 * own inbound listener on loopback, which reads and applies it before answering 250.
 */
const NOW = new Date("2027-01-10T12:00:00Z");
type Cast = Awaited<ReturnType<typeof createCast>>;

let listener: InboundListener;
let smtpUrl: string;
beforeAll(async () => {
  listener = await startInboundSmtp({ port: 0, host: "127.0.0.1", address: replyAddress() });
  smtpUrl = `smtp://127.0.0.1:${listener.port}`;
});
afterAll(async () => {
  await listener.close();
});

async function announced(cast: Cast) {
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "7", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/7" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  return (await db().select().from(meetings).where(eq(meetings.id, meeting.id)))[0];
}

const current = async (id: string) => (await db().select().from(meetings).where(eq(meetings.id, id)))[0];
const answerOf = async (meetingId: string, userId: string) =>
  (await db().select().from(invitations).where(and(eq(invitations.meetingId, meetingId), eq(invitations.userId, userId))))[0];
const outcomes = async (meetingId: string) => (await db().select().from(inboundMessages).where(eq(inboundMessages.meetingId, meetingId))).map((m) => m.outcome);
const end = (m: { startsAt: Date; durationMinutes: number }) => new Date(m.startsAt.getTime() + m.durationMinutes * 60_000);

async function reply(client: Client, meeting: typeof meetings.$inferSelect, person: { user: { name: string; email: string } }, overrides: Partial<Parameters<typeof replyMail>[1]> = {}) {
  const raw = replyMail(client, {
    from: { name: person.user.name, email: person.user.email },
    organizer: replyAddress(),
    uid: `${meeting.id}@concord`,
    sequence: meeting.sequence,
    partstat: "ACCEPTED",
    start: meeting.startsAt,
    end: end(meeting),
    ...overrides,
  });
  await deliverTo(smtpUrl, replyAddress(), person.user.email, raw);
}

describe("replies from calendar clients", () => {
  it.each([
    ["Outlook", "outlook", "ACCEPTED", "accepted"],
    ["Gmail", "gmail", "DECLINED", "declined"],
    ["Thunderbird", "thunderbird", "TENTATIVE", "tentative"],
  ] as const)("take %s's REPLY sent by SMTP as the invitee's answer", async (_name, client, partstat, response) => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await reply(client, meeting, cast.head, { partstat });
    expect(await answerOf(meeting.id, cast.head.user.id)).toMatchObject({ response, respondedVia: "calendar", respondedSequence: 0 });
    expect(await outcomes(meeting.id)).toEqual(["applied"]);
    // The page and the next invitation both show it.
    const page = await getMeetingPage({ actor: cast.head.actor, meetingId: meeting.id });
    expect(page.mine).toMatchObject({ response, respondedVia: "calendar" });
    const { content } = await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" });
    const attendee = parseCalendar(content).events[0].attendees.find((a) => a.email === cast.head.user.email);
    expect(attendee).toMatchObject({ partstat, rsvp: false });
    if (pythonAvailable) {
      const py = parseWithPython(content)!.events[0].attendees.find((a) => a.email === cast.head.user.email);
      expect(py).toMatchObject({ partstat });
    }
  });

  it("refuses a reply to an earlier SEQUENCE, once the meeting moved", async () => {
    const cast = await createCast();
    const first = await announced(cast);
    await updateMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { meetingId: first.id, version: String(first.version), ordinal: "7", date: "2027-03-09", time: "10:00", endTime: "12:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/7" },
    });
    await reply("gmail", first, cast.head);
    expect(await answerOf(first.id, cast.head.user.id)).toMatchObject({ response: "none" });
    expect(await outcomes(first.id)).toEqual(["stale"]);
    // The same client answering the invitation it now has is taken.
    await reply("gmail", await current(first.id), cast.head);
    expect(await answerOf(first.id, cast.head.user.id)).toMatchObject({ response: "accepted", respondedSequence: 1 });
  });

  it("refuses a reply from someone not invited, and one that answers for somebody else", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    const outsider = cast.outsider;
    await reply("outlook", meeting, outsider);
    // A member writing in another invitee's name.
    await reply("thunderbird", meeting, cast.delegate, { attendeeEmail: cast.head.user.email });
    expect(await answerOf(meeting.id, cast.head.user.id)).toMatchObject({ response: "none" });
    expect(await answerOf(meeting.id, cast.delegate.user.id)).toMatchObject({ response: "none" });
    expect((await outcomes(meeting.id)).sort()).toEqual(["not-invited", "sender-mismatch"]);
  });

  it("handles one Message-ID once, and refuses mail for any other address at RCPT", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await reply("outlook", meeting, cast.head, { messageId: `<once-${meeting.id}@example.org>` });
    await respondToInvitation({ actor: cast.head.actor, now: NOW, input: { meetingId: meeting.id, response: "declined" } });
    await reply("outlook", meeting, cast.head, { messageId: `<once-${meeting.id}@example.org>` });
    expect(await answerOf(meeting.id, cast.head.user.id)).toMatchObject({ response: "declined", respondedVia: "page" });
    await expect(deliverTo(smtpUrl, "someone-else@localhost", cast.head.user.email, "Subject: x\r\n\r\nhello\r\n")).rejects.toThrow(/550/);
  });

  it("ignores replies to a draft, which no calendar has", async () => {
    const cast = await createCast();
    const draft = await createMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { bodyId: cast.body.body.id, ordinal: "8", date: "2027-04-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "in_person" },
    });
    await reply("gmail", draft, cast.head);
    const rows = await db().select().from(inboundMessages).where(eq(inboundMessages.fromEmail, cast.head.user.email));
    expect(rows.map((r) => r.outcome)).toEqual(["unknown-meeting"]);
  });
});

describe("a proposed new time (COUNTER)", () => {
  it("is shown to the secretariat and, accepted, moves the meeting, resets answers and re-issues", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await respondToInvitation({ actor: cast.delegate.actor, now: NOW, input: { meetingId: meeting.id, response: "accepted" } });
    const proposed = new Date(meeting.startsAt.getTime() + 3600_000);
    await deliverTo(
      smtpUrl,
      replyAddress(),
      cast.head.user.email,
      outlookCounter({ from: { name: cast.head.user.name, email: cast.head.user.email }, organizer: replyAddress(), uid: `${meeting.id}@concord`, sequence: 0, start: proposed, end: new Date(proposed.getTime() + 2 * 3600_000) }),
    );
    const [counter] = await listOpenCounters(db(), await current(meeting.id));
    // Outlook wrote 10:00 "Eastern Standard Time" through its own VTIMEZONE: the same instant.
    expect(counter).toMatchObject({ name: cast.head.user.name, proposedDurationMinutes: 120, comment: "Could we start an hour later?" });
    expect(counter.proposedStart.toISOString()).toBe("2027-03-09T15:00:00.000Z");
    const page = await getMeetingPage({ actor: cast.secretariat.actor, meetingId: meeting.id });
    expect(page.counters).toHaveLength(1);
    expect((await getMeetingPage({ actor: cast.head.actor, meetingId: meeting.id })).counters).toEqual([]);

    const moved = await acceptCounter({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, counterId: counter.id } });
    expect(moved).toMatchObject({ sequence: 1, durationMinutes: 120 });
    expect(moved.startsAt.toISOString()).toBe("2027-03-09T15:00:00.000Z");
    expect(await answerOf(meeting.id, cast.delegate.user.id)).toMatchObject({ response: "none" });
    const mail = (await db().select().from(outboxMessages).where(and(eq(outboxMessages.meetingId, meeting.id), eq(outboxMessages.kind, "reschedule"))))[0];
    const file = parseCalendar(mail.attachmentContent!);
    expect(file.events[0]).toMatchObject({ sequence: 1 });
    expect(file.events[0].attendees.every((a) => a.partstat === "NEEDS-ACTION" && a.rsvp === true)).toBe(true);
    await expect(acceptCounter({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, counterId: counter.id } })).rejects.toBeInstanceOf(ValidationError);
  });

  it("declined, sends the proposer a DECLINECOUNTER and keeps the time", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    const proposed = new Date(meeting.startsAt.getTime() + 86_400_000);
    await deliverTo(
      smtpUrl,
      replyAddress(),
      cast.head.user.email,
      outlookCounter({ from: { name: cast.head.user.name, email: cast.head.user.email }, organizer: replyAddress(), uid: `${meeting.id}@concord`, sequence: 0, start: proposed, end: new Date(proposed.getTime() + 3600_000) }),
    );
    const [counter] = await listOpenCounters(db(), meeting);
    const other = await createMember(cast.body, "delegate", "JP");
    await expect(declineCounter({ actor: other.actor, input: { meetingId: meeting.id, counterId: counter.id } })).rejects.toBeInstanceOf(ForbiddenError);
    await declineCounter({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, counterId: counter.id } });
    expect(await current(meeting.id)).toMatchObject({ sequence: 0, startsAt: meeting.startsAt });
    const [mail] = await db().select().from(outboxMessages).where(and(eq(outboxMessages.meetingId, meeting.id), eq(outboxMessages.kind, "declinecounter")));
    expect(mail).toMatchObject({ toEmail: cast.head.user.email, attachmentName: "declinecounter.ics", attachmentType: expect.stringContaining("method=DECLINECOUNTER") });
    const file = parseCalendar(mail.attachmentContent!);
    expect(file.method).toBe("DECLINECOUNTER");
    expect(file.events[0]).toMatchObject({ uid: `${meeting.id}@concord`, sequence: 0 });
    expect(file.events[0].attendees.map((a) => a.email)).toEqual([cast.head.user.email]);
    if (pythonAvailable) expect(parseWithPython(mail.attachmentContent!)!.method).toBe("DECLINECOUNTER");
    expect(await listOpenCounters(db(), meeting)).toEqual([]);
  });
});
