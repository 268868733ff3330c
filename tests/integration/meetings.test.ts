import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, meetings, outboxMessages, users } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { parseCalendar } from "#tests/support/ical";
import { db } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { localParts } from "~/lib/meeting-time.server";
import { replyAddress } from "~/lib/env.server";
import { getInviteFile } from "~/models/meetings/calendar.server";
import { respondToInvitation, sendInvitations } from "~/models/meetings/invitations.server";
import { cancelMeeting, createMeeting, markMeetingHeld, updateMeeting } from "~/models/meetings/meetings.server";

const NOW = new Date("2027-01-10T12:00:00Z");

type Cast = Awaited<ReturnType<typeof createCast>>;
const base = (cast: Cast, overrides: Record<string, string> = {}) => ({
  bodyId: cast.body.body.id,
  ordinal: "5",
  hostDelegationId: cast.body.delegations.JP.id,
  date: "2027-03-09",
  time: "09:00",
  endTime: "11:00",
  timeZone: "America/New_York",
  format: "virtual",
  link: "https://meet.example.org/5",
  ...overrides,
});

async function scheduled(cast: Cast, overrides: Record<string, string> = {}) {
  const meeting = await createMeeting({ actor: cast.secretariat.actor, input: base(cast, overrides), now: NOW });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  return (await db().select().from(meetings).where(eq(meetings.id, meeting.id)))[0];
}

describe("scheduling across capitals", () => {
  it("shows 09:00 New York before US daylight saving as 23:00 in Tokyo and Seoul the same day", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({ actor: cast.secretariat.actor, input: base(cast, { date: "2027-03-09" }), now: NOW });
    expect(meeting.startsAt.toISOString()).toBe("2027-03-09T14:00:00.000Z");
    expect(localParts(meeting.startsAt, "Asia/Tokyo")).toMatchObject({ date: "2027-03-09", time: "23:00" });
    expect(localParts(meeting.startsAt, "Asia/Seoul")).toMatchObject({ date: "2027-03-09", time: "23:00" });
  });

  it("follows US daylight saving: 09:00 New York after 14 March is 22:00 in Tokyo and Seoul", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({ actor: cast.secretariat.actor, input: base(cast, { date: "2027-03-16" }), now: NOW });
    expect(meeting.startsAt.toISOString()).toBe("2027-03-16T13:00:00.000Z");
    expect(localParts(meeting.startsAt, "Asia/Tokyo")).toMatchObject({ date: "2027-03-16", time: "22:00" });
    expect(localParts(meeting.startsAt, "Asia/Seoul")).toMatchObject({ date: "2027-03-16", time: "22:00" });
    expect(meeting.timeZone).toBe("America/New_York");
    expect(meeting.quarter).toBe("2027-Q1");
  });

  it.each([
    ["a start in the past", { date: "2026-12-01" }, "date", "meetings:errors.inPast"],
    // An end time before the start time is the next day; 11:00 to 10:00 would last 23 hours.
    ["an end the next day past the longest a meeting may last", { time: "11:00", endTime: "10:00" }, "endTime", "meetings:errors.tooLong"],
    ["an unknown time zone", { timeZone: "Mars/Olympus" }, "timeZone", "errors:validation.timeZone"],
    ["a fixed offset instead of a zone", { timeZone: "+09:00" }, "timeZone", "errors:validation.timeZone"],
    ["a time in the spring-forward gap", { date: "2027-03-14", time: "02:30", endTime: "04:00" }, "time", "meetings:errors.gap"],
    ["a time in the fall-back overlap", { date: "2027-11-07", time: "01:30", endTime: "03:00" }, "time", "meetings:errors.ambiguous"],
    ["a 10 000-character title", { title: "t".repeat(10_000) }, "title", "errors:validation.tooLong"],
    ["a javascript: link", { link: "javascript:alert(1)" }, "link", "errors:validation.url"],
    ["a host from another body", { hostDelegationId: "nope" }, "hostDelegationId", "errors:validation.choice"],
  ])("refuses %s with a field error and writes nothing", async (_label, overrides, field, key) => {
    const cast = await createCast();
    const error = await createMeeting({ actor: cast.secretariat.actor, input: base(cast, overrides), now: NOW }).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors[field]?.[0]?.key).toBe(key);
    expect(await db().select().from(meetings).where(eq(meetings.bodyId, cast.body.body.id))).toEqual([]);
  });

  it("lets only the secretariat create meetings; outsiders learn nothing", async () => {
    const cast = await createCast();
    await expect(createMeeting({ actor: cast.head.actor, input: base(cast), now: NOW })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createMeeting({ actor: cast.outsider.actor, input: base(cast), now: NOW })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("invitations and calendar files", () => {
  it("sends one invitation per invitee with a REQUEST calendar file, and announces the draft", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    expect(meeting.status).toBe("scheduled");
    expect(meeting.sequence).toBe(0);
    const outbox = await db().select().from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id));
    expect(outbox).toHaveLength(4);
    const file = parseCalendar(outbox[0].attachmentContent!);
    expect(file.method).toBe("REQUEST");
    expect(file.events[0]).toMatchObject({ uid: `${meeting.id}@concord`, sequence: 0, status: "CONFIRMED" });
    expect(file.events[0].start?.toISOString()).toBe("2027-03-09T14:00:00.000Z");
    expect(file.events[0].end?.toISOString()).toBe("2027-03-09T16:00:00.000Z");
    expect(file.events[0].attendees).toHaveLength(4);
    // Replies go to the address Concord reads, not to the secretariat's own mailbox.
    expect(file.events[0].organizer).toMatchObject({ email: replyAddress(), cn: cast.secretariat.user.name });
  });

  it("writes each invitee's message in their language: their own choice, else their delegation's", async () => {
    const cast = await createCast();
    const tanaka = await createMember(cast.body, "delegate", "JP");
    const kim = await createMember(cast.body, "delegate", "KR");
    await db().update(users).set({ locale: "en" }).where(eq(users.id, kim.user.id));
    const meeting = await scheduled(cast);
    const subjectOf = async (userId: string) =>
      (await db().select().from(outboxMessages).where(eq(outboxMessages.userId, userId))).find((m) => m.meetingId === meeting.id)!;
    const ja = await subjectOf(tanaka.user.id);
    expect(ja.subject).toMatch(/第5回会合/);
    expect(parseCalendar(ja.attachmentContent!).events[0].summary).toContain("第5回会合");
    expect((await subjectOf(kim.user.id)).subject).toMatch(/5th meeting/);
  });

  it("carries each invitee's answer as PARTSTAT, with ROLE and RSVP", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    await respondToInvitation({ actor: cast.head.actor, input: { meetingId: meeting.id, response: "accepted" }, now: NOW });
    await respondToInvitation({ actor: cast.official.actor, input: { meetingId: meeting.id, response: "declined" }, now: NOW });
    const { content } = await getInviteFile({ actor: cast.delegate.actor, meetingId: meeting.id, locale: "en" });
    const attendees = parseCalendar(content).events[0].attendees;
    const by = (email: string) => attendees.find((a) => a.email === email)!;
    expect(by(cast.head.user.email)).toMatchObject({ partstat: "ACCEPTED", role: "REQ-PARTICIPANT", rsvp: false, cn: cast.head.user.name });
    expect(by(cast.official.user.email)).toMatchObject({ partstat: "DECLINED", role: "OPT-PARTICIPANT" });
    expect(by(cast.delegate.user.email)).toMatchObject({ partstat: "NEEDS-ACTION", rsvp: true });
    expect(by(cast.secretariat.user.email)).toMatchObject({ role: "CHAIR" });
  });

  it("keeps the UID and raises SEQUENCE with every published change (title too), sending updates", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    const edit = (overrides: Record<string, string>, version: number) =>
      updateMeeting({ actor: cast.secretariat.actor, now: NOW, input: { ...base(cast), ...overrides, meetingId: meeting.id, version: String(version) } });
    const moved = await edit({ time: "10:00", endTime: "12:00" }, meeting.version);
    expect(moved.sequence).toBe(1);
    const titled = await edit({ time: "10:00", endTime: "12:00", title: "Fifth consultation" }, moved.version);
    expect(titled.sequence).toBe(2);
    const relocated = await edit({ time: "10:00", endTime: "12:00", title: "Fifth consultation", link: "https://meet.example.org/5b" }, titled.version);
    expect(relocated.sequence).toBe(3);
    const same = await edit({ time: "10:00", endTime: "12:00", title: "Fifth consultation", link: "https://meet.example.org/5b" }, relocated.version);
    expect(same.sequence).toBe(3);
    const { content } = await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" });
    expect(parseCalendar(content).events[0]).toMatchObject({ uid: `${meeting.id}@concord`, sequence: 3, summary: expect.stringContaining("Fifth consultation") });
    const mine = (await db().select().from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id))).filter((m) => m.kind !== "invitation");
    expect(mine.filter((m) => m.kind === "reschedule")).toHaveLength(4);
    expect(mine.filter((m) => m.kind === "update")).toHaveLength(8);
    expect(mine.map((m) => parseCalendar(m.attachmentContent!).events[0].sequence).sort()).toEqual([1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it("cancels with METHOD:CANCEL, STATUS:CANCELLED and a higher SEQUENCE", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    const cancelled = await cancelMeeting({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, version: String(meeting.version), reason: "The host postponed the session." } });
    expect(cancelled.sequence).toBe(1);
    const { content } = await getInviteFile({ actor: cast.delegate.actor, meetingId: meeting.id, locale: "en" });
    const file = parseCalendar(content);
    expect(file.method).toBe("CANCEL");
    expect(file.events[0]).toMatchObject({ status: "CANCELLED", sequence: 1, uid: `${meeting.id}@concord` });
    const messages = await db().select().from(outboxMessages).where(eq(outboxMessages.kind, "cancellation"));
    expect(messages.filter((m) => m.meetingId === meeting.id)).toHaveLength(4);
    expect(parseCalendar(messages[0].attachmentContent!).method).toBe("CANCEL");
  });

  it("puts the reason the confirmation asked for into every cancellation mail, its calendar file and the audit", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    const input = { meetingId: meeting.id, version: String(meeting.version) };
    await cancelMeeting({ actor: cast.secretariat.actor, now: NOW, input: { ...input, reason: "The host postponed the session." } });
    const messages = (await db().select().from(outboxMessages).where(eq(outboxMessages.kind, "cancellation"))).filter((m) => m.meetingId === meeting.id);
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) {
      expect(m.text).toContain("The host postponed the session.");
      const event = parseCalendar(m.attachmentContent!).events[0];
      expect(event.description).toContain("The host postponed the session.");
    }
    expect(messages.some((m) => m.text.includes("Reason for the cancellation: The host postponed the session."))).toBe(true);
    const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.action, "meeting.cancelled"));
    expect(audit.after).toMatchObject({ reason: "The host postponed the session." });
  });

  it("refuses a stale save with 409 data: the version now saved and who saved it", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({ actor: cast.secretariat.actor, input: base(cast), now: NOW });
    await updateMeeting({ actor: cast.secretariat.actor, now: NOW, input: { ...base(cast, { venue: "Tokyo" }), meetingId: meeting.id, version: "1" } });
    const error = await updateMeeting({ actor: cast.secretariat.actor, now: NOW, input: { ...base(cast, { venue: "Seoul" }), meetingId: meeting.id, version: "1" } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current).toMatchObject({ venue: "Tokyo", version: 2 });
    expect(error.changedBy).toMatchObject({ id: cast.secretariat.user.id });
  });

  it("carries titles with commas, semicolons, emoji, Japanese and Korean into the file intact (a title is one line)", async () => {
    const cast = await createCast();
    await expect(scheduled(cast, { title: "Review\r\nnext steps" })).rejects.toBeInstanceOf(ValidationError);
    const title = "Review, plan; next\tsteps 🙂 日本語の議題 한국어 안건 \\ end";
    const meeting = await scheduled(cast, { title });
    for (const locale of ["en", "ja", "ko"] as const) {
      const { content } = await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale });
      expect(parseCalendar(content).events[0].summary).toContain(title);
      for (const line of content.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    }
  });

  it("marks a meeting held only after it started, and audits every step", async () => {
    const cast = await createCast();
    const meeting = await scheduled(cast);
    await expect(markMeetingHeld({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, version: String(meeting.version) } })).rejects.toBeInstanceOf(ValidationError);
    const held = await markMeetingHeld({ actor: cast.secretariat.actor, now: new Date("2027-03-09T17:00:00Z"), input: { meetingId: meeting.id, version: String(meeting.version), reason: "The host postponed the session." } });
    expect(held.status).toBe("held");
    const trail = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, meeting.id));
    expect(trail.map((e) => e.action)).toEqual(["meeting.create", "meeting.invite", "meeting.held"]);
  });

  it("lets members answer only their own invitation", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({ actor: cast.secretariat.actor, input: base(cast), now: NOW });
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.JP.id] } });
    // The US delegate was not invited (only JP and the secretariat were).
    await expect(respondToInvitation({ actor: cast.delegate.actor, input: { meetingId: meeting.id, response: "accepted" } })).rejects.toBeInstanceOf(ValidationError);
    await expect(respondToInvitation({ actor: cast.outsider.actor, input: { meetingId: meeting.id, response: "accepted" } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getInviteFile({ actor: cast.outsider.actor, meetingId: meeting.id, locale: "en" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
