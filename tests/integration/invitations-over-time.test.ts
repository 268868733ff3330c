import { and, eq } from "drizzle-orm";
import ICAL from "ical.js";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { feedTokens, meetings, outboxMessages, users } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { parseCalendar, parseWithPython, pythonAvailable } from "#tests/support/ical";
import { context, get, respond } from "#tests/support/requests";
import { startSmtp } from "#tests/support/smtp";
import { db } from "~/lib/db.server";
import { replyAddress } from "~/lib/env.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { createFeedToken, getFeedByToken, getInviteFile, getYearFile } from "~/models/meetings/calendar.server";
import { respondToInvitation, sendInvitations } from "~/models/meetings/invitations.server";
import { cancelMeeting, createMeeting, updateMeeting } from "~/models/meetings/meetings.server";
import { getMeetingPage } from "~/models/meetings/meeting-page.server";
import { deliverDueMessages } from "~/models/core/outbox.server";
import { deactivateMember, reactivateMember } from "~/models/people/members.server";
import { loader as feedLoader } from "~/routes/feeds.$file";

const NOW = new Date("2027-01-10T12:00:00Z");
type Cast = Awaited<ReturnType<typeof createCast>>;
type Fields = Record<string, string>;

const fields = (cast: Cast, overrides: Fields = {}): Fields => ({
  ordinal: "9",
  date: "2027-03-09",
  time: "09:00",
  endTime: "11:00",
  timeZone: "America/New_York",
  format: "virtual",
  link: "https://meet.example.org/9",
  ...overrides,
  bodyId: cast.body.body.id,
});

async function announced(cast: Cast, overrides: Fields = {}) {
  const meeting = await createMeeting({ actor: cast.secretariat.actor, now: NOW, input: fields(cast, overrides) });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  return current(meeting.id);
}
const current = async (id: string) => (await db().select().from(meetings).where(eq(meetings.id, id)))[0];
const edit = async (cast: Cast, id: string, overrides: Fields) => {
  const before = await current(id);
  return updateMeeting({ actor: cast.secretariat.actor, now: NOW, input: { ...fields(cast, overrides), meetingId: id, version: String(before.version) } });
};
const messages = (meetingId: string, kind?: string) =>
  db()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.meetingId, meetingId), kind ? eq(outboxMessages.kind, kind) : undefined));
const tokenOf = (url: string) => /\/feeds\/([^/]+)\.ics$/.exec(url)![1];

/** Both parsers read the file; the attendee's answer as each of them sees it. */
function answerIn(content: string, email: string) {
  const ours = parseCalendar(content).events[0].attendees.find((a) => a.email === email);
  if (pythonAvailable) {
    const theirs = parseWithPython(content)!.events[0].attendees.find((a) => a.email === email);
    expect(theirs?.partstat).toBe(ours?.partstat);
    expect(theirs?.rsvp).toBe(ours?.rsvp ? "TRUE" : "FALSE");
  }
  return ours;
}

describe("answers follow the meeting", () => {
  it("reset to NEEDS-ACTION with RSVP=TRUE when the time changes, and the outbox says why", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await respondToInvitation({ actor: cast.head.actor, now: NOW, input: { meetingId: meeting.id, response: "accepted" } });
    expect(answerIn((await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" })).content, cast.head.user.email)).toMatchObject({ partstat: "ACCEPTED", rsvp: false });

    const moved = await edit(cast, meeting.id, { time: "10:00", endTime: "12:00" });
    expect(moved.sequence).toBe(1);
    const file = (await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" })).content;
    expect(parseCalendar(file).events[0].sequence).toBe(1);
    expect(answerIn(file, cast.head.user.email)).toMatchObject({ partstat: "NEEDS-ACTION", rsvp: true });
    expect((await getMeetingPage({ actor: cast.head.actor, meetingId: meeting.id })).mine).toMatchObject({ response: "none" });
    const mail = (await messages(meeting.id, "reschedule")).find((m) => m.userId === cast.head.user.id)!;
    expect(mail.subject).toMatch(/^New time: /);
    expect(mail.text).toContain("please answer again");
    expect(answerIn(mail.attachmentContent!, cast.head.user.email)).toMatchObject({ partstat: "NEEDS-ACTION", rsvp: true });
  });

  it("also reset when only the length changes", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await respondToInvitation({ actor: cast.head.actor, now: NOW, input: { meetingId: meeting.id, response: "declined" } });
    await edit(cast, meeting.id, { endTime: "12:00" });
    expect((await getMeetingPage({ actor: cast.head.actor, meetingId: meeting.id })).mine).toMatchObject({ response: "none" });
  });

  it("survive a change of title, format, venue or link, which still re-sends", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await respondToInvitation({ actor: cast.head.actor, now: NOW, input: { meetingId: meeting.id, response: "accepted" } });
    await edit(cast, meeting.id, { title: "Ninth consultation" });
    await edit(cast, meeting.id, { title: "Ninth consultation", format: "hybrid", venue: "Seoul, MOFA" });
    const after = await edit(cast, meeting.id, { title: "Ninth consultation", format: "hybrid", venue: "Seoul, MOFA", link: "https://meet.example.org/9b" });
    expect(after.sequence).toBe(3);
    expect(await messages(meeting.id, "update")).toHaveLength(12);
    expect(await messages(meeting.id, "reschedule")).toHaveLength(0);
    const file = (await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" })).content;
    expect(answerIn(file, cast.head.user.email)).toMatchObject({ partstat: "ACCEPTED", rsvp: false });
    expect(parseCalendar(file).events[0].summary).toContain("Ninth consultation");
  });
});

describe("who gets what", () => {
  it("neither mails nor lists a deactivated member, who gets a CANCEL, and whose feed stays dead after reactivation", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    const feed = await createFeedToken({ actor: cast.delegate.actor });
    await deactivateMember({ actor: cast.secretariat.actor, now: NOW, input: { bodyId: cast.body.body.id, membershipId: cast.delegate.membership.id, reason: "Moved to another post." } });

    const [removal] = await messages(meeting.id, "removal");
    expect(removal).toMatchObject({ toEmail: cast.delegate.user.email, attachmentName: "cancel.ics" });
    const cancel = parseCalendar(removal.attachmentContent!);
    expect(cancel.method).toBe("CANCEL");
    expect(cancel.events[0]).toMatchObject({ uid: `${meeting.id}@concord`, status: "CANCELLED" });
    expect(cancel.events[0].attendees.map((a) => a.email)).toEqual([cast.delegate.user.email]);
    if (pythonAvailable) expect(parseWithPython(removal.attachmentContent!)!.method).toBe("CANCEL");

    await edit(cast, meeting.id, { venue: "Tokyo", format: "hybrid" });
    const updates = await messages(meeting.id, "update");
    expect(updates.map((m) => m.toEmail)).not.toContain(cast.delegate.user.email);
    expect(updates).toHaveLength(3);
    const file = (await getInviteFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en" })).content;
    expect(parseCalendar(file).events[0].attendees.map((a) => a.email)).not.toContain(cast.delegate.user.email);
    expect((await getMeetingPage({ actor: cast.head.actor, meetingId: meeting.id })).invitees.map((i) => i.userId)).not.toContain(cast.delegate.user.id);

    await reactivateMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: cast.delegate.membership.id } });
    await expect(getFeedByToken(tokenOf(feed))).rejects.toBeInstanceOf(NotFoundError);
    const [token] = await db().select().from(feedTokens).where(eq(feedTokens.userId, cast.delegate.user.id));
    expect(token.revokedAt).not.toBeNull();
  });

  it("never lets a draft reach a calendar: no invite.ics, and SEQUENCE starts at publication", async () => {
    const cast = await createCast();
    const draft = await createMeeting({ actor: cast.secretariat.actor, now: NOW, input: fields(cast) });
    await expect(getInviteFile({ actor: cast.head.actor, meetingId: draft.id, locale: "en" })).rejects.toBeInstanceOf(NotFoundError);
    expect((await getMeetingPage({ actor: cast.head.actor, meetingId: draft.id })).announced).toBe(false);
    await edit(cast, draft.id, { time: "10:00", endTime: "12:00" });
    await edit(cast, draft.id, { time: "11:00", endTime: "13:00", title: "Renamed" });
    expect(await messages(draft.id)).toHaveLength(0);
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: draft.id, delegationIds: [cast.body.delegations.US.id] } });
    const file = parseCalendar((await getInviteFile({ actor: cast.head.actor, meetingId: draft.id, locale: "en" })).content);
    expect(file.events[0]).toMatchObject({ sequence: 0, status: "CONFIRMED" });
    expect(file.events[0].organizer?.email).toBe(replyAddress());
  });

  it("asks before sending a virtual meeting that has no link", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({ actor: cast.secretariat.actor, now: NOW, input: fields(cast, { link: "" }) });
    const send = (extra: Fields) => sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id], ...extra } });
    const error = await send({}).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.fieldErrors.confirmNoLink[0].key).toBe("meetings:errors.noLink");
    expect(await messages(meeting.id)).toHaveLength(0);
    await expect(send({ confirmNoLink: "on" })).resolves.toMatchObject({ invited: 4 });
  });
});

describe("e-mails", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });

  it("carry one calendar: the method's text/calendar alternative and one attachment named after it", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    await cancelMeeting({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, version: String(meeting.version), reason: "The host capital is closed by a typhoon; a new date follows." } });
    const transport = nodemailer.createTransport(smtp.url);
    while ((await deliverDueMessages({ transport, from: "Concord <concord@example.org>", replyTo: replyAddress(), now: new Date("2100-01-01"), limit: 500 })).sent > 0);
    transport.close();
    const mine = smtp.received.filter((m) => m.to?.some((t) => t.address === cast.head.user.email));
    expect(mine).toHaveLength(2);
    for (const [mail, method, name] of [
      [mine.find((m) => /^Invitation/.test(m.subject ?? ""))!, "REQUEST", "request.ics"],
      [mine.find((m) => /^Cancelled/.test(m.subject ?? ""))!, "CANCEL", "cancel.ics"],
    ] as const) {
      expect(mail.replyTo?.[0]).toMatchObject({ address: replyAddress() });
      const calendars = mail.attachments.filter((a) => /calendar|ics/.test(a.mimeType));
      expect(calendars.map((a) => [a.mimeType, a.filename ?? null, a.method ?? null])).toEqual([
        ["text/calendar", null, method],
        ["application/ics", name, null],
      ]);
      expect(mail.attachments).toHaveLength(2);
      for (const part of calendars) {
        const text = typeof part.content === "string" ? part.content : new TextDecoder().decode(part.content);
        expect(parseCalendar(text).method).toBe(method);
        if (pythonAvailable) expect(parseWithPython(text)!.method).toBe(method);
      }
    }
    const cancelled = mine.find((m) => /^Cancelled/.test(m.subject ?? ""))!;
    expect(cancelled.text).toContain("typhoon");
    const part = cancelled.attachments.find((a) => a.mimeType === "text/calendar")!;
    const root = new ICAL.Component(ICAL.parse(typeof part.content === "string" ? part.content : new TextDecoder().decode(part.content)));
    const vevent = root.getFirstSubcomponent("vevent")!;
    expect(vevent.getFirstPropertyValue("comment")).toBe("The host capital is closed by a typhoon; a new date follows.");
    expect(String(vevent.getFirstPropertyValue("description"))).toContain("typhoon");
  });

  it("label the capitals by city with their zone names and mark '+1 day' where a meeting crosses midnight", async () => {
    const cast = await createCast();
    const late = await announced(cast, { time: "23:00", endTime: "02:30" });
    expect(late.durationMinutes).toBe(210);
    const [mail] = (await messages(late.id, "invitation")).filter((m) => m.userId === cast.head.user.id);
    const lines = mail.text.split("\n");
    const line = (city: string) => lines.find((l) => l.includes(`(${city})`))!;
    expect(line("Washington")).toMatch(/23:00–02:30 \(\+1 day\) EST$/);
    expect(line("Tokyo")).toMatch(/13:00–16:30 JST$/);
    expect(line("Seoul")).toMatch(/13:00–16:30 KST$/);
    expect(mail.text).not.toMatch(/GMT\+9|New York/);
    const description = parseCalendar(mail.attachmentContent!).events[0].description!;
    expect(description).toContain("(+1 day)");

    const tokyo = await announced(cast, { date: "2027-07-08", time: "23:00", endTime: "01:00", timeZone: "Asia/Tokyo" });
    const [ja] = (await messages(tokyo.id, "invitation")).filter((m) => m.userId === cast.head.user.id);
    expect(ja.text.split("\n").find((l) => l.includes("(Tokyo)"))).toMatch(/23:00–01:00 \(\+1 day\) JST$/);
    expect(ja.text.split("\n").find((l) => l.includes("(Washington)"))).toMatch(/10:00–12:00 EDT$/);
  });
});

describe("feeds", () => {
  async function feedRequest(token: string, headers: Record<string, string> = {}) {
    return respond(() => feedLoader({ request: get(`/feeds/${token}.ics`, undefined, headers), params: { file: `${token}.ics` }, context }));
  }

  it("answer 304 while nothing changed, and a new ETag once something did", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    const token = tokenOf(await createFeedToken({ actor: cast.head.actor }));
    const first = await feedRequest(token);
    expect(first.status).toBe(200);
    const etag = first.headers.get("ETag")!;
    const lastModified = first.headers.get("Last-Modified")!;
    const body = await first.text();
    const again = await feedRequest(token);
    expect(await again.text()).toBe(body);
    expect((await feedRequest(token, { "If-None-Match": etag })).status).toBe(304);
    expect((await feedRequest(token, { "If-Modified-Since": lastModified })).status).toBe(304);
    await edit(cast, meeting.id, { venue: "Washington, Department of State", format: "hybrid" });
    const changed = await feedRequest(token, { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
  });

  it("carry refresh hints and the member's language; invitations carry neither calendar name nor TTL", async () => {
    const cast = await createCast();
    const meeting = await announced(cast);
    const tanaka = await createMember(cast.body, "head", "JP");
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.JP.id] } });
    const feed = (await getFeedByToken(tokenOf(await createFeedToken({ actor: tanaka.actor })))).content;
    const root = new ICAL.Component(ICAL.parse(feed));
    expect(root.getFirstProperty("refresh-interval")?.toICALString()).toBe("REFRESH-INTERVAL;VALUE=DURATION:PT1H");
    expect(root.getFirstPropertyValue("x-published-ttl")).toBe("PT1H");
    expect(parseCalendar(feed).events[0].summary).toContain("第9回会合");
    expect(parseCalendar(feed).events[0].description).toContain("東京");
    const invite = (await getInviteFile({ actor: tanaka.actor, meetingId: meeting.id, locale: "ja" })).content;
    expect(invite).not.toMatch(/X-PUBLISHED-TTL|X-WR-CALNAME|REFRESH-INTERVAL/);
    if (pythonAvailable) expect(parseWithPython(feed)!.events).toHaveLength(1);
  });

  it("write the link as CONFERENCE and URL, and a reminder only for who asked for one", async () => {
    const cast = await createCast();
    await announced(cast);
    await db().update(users).set({ reminderMinutes: 15 }).where(eq(users.id, cast.head.user.id));
    const withAlarm = new ICAL.Component(ICAL.parse((await getFeedByToken(tokenOf(await createFeedToken({ actor: cast.head.actor })))).content));
    const vevent = withAlarm.getFirstSubcomponent("vevent")!;
    expect(vevent.getFirstPropertyValue("url")).toBe("https://meet.example.org/9");
    const conference = vevent.getFirstProperty("conference")!;
    expect(conference.getFirstValue()).toBe("https://meet.example.org/9");
    expect(conference.getParameter("feature")).toBe("VIDEO");
    const alarm = vevent.getFirstSubcomponent("valarm")!;
    expect(String(alarm.getFirstPropertyValue("trigger"))).toBe("-PT15M");
    const without = new ICAL.Component(ICAL.parse((await getFeedByToken(tokenOf(await createFeedToken({ actor: cast.delegate.actor })))).content));
    expect(without.getFirstSubcomponent("vevent")!.getFirstSubcomponent("valarm")).toBeNull();
  });

  it("give each year the meetings of its own quarters: 31 December in New York stays in that year", async () => {
    const cast = await createCast();
    const eve = await announced(cast, { date: "2027-12-31", time: "20:00", endTime: "21:00", format: "in_person", link: "" });
    expect(eve.startsAt.toISOString()).toBe("2028-01-01T01:00:00.000Z");
    expect(eve.quarter).toBe("2027-Q4");
    const uids = async (year: number) => parseCalendar((await getYearFile({ actor: cast.secretariat.actor, bodyId: cast.body.body.id, year, locale: "en" })).content).events.map((e) => e.uid);
    expect(await uids(2027)).toContain(`${eve.id}@concord`);
    expect(await uids(2028)).not.toContain(`${eve.id}@concord`);
  });
});
