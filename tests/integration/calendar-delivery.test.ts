import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { parseCalendar, parseWithPython, pythonAvailable } from "#tests/support/ical";
import { startSmtp } from "#tests/support/smtp";
import { db } from "~/lib/db.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { createFeedToken, getFeedByToken, getYearFile, revokeFeedToken } from "~/models/meetings/calendar.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { cancelMeeting, createMeeting } from "~/models/meetings/meetings.server";
import { addMember, deactivateMember } from "~/models/people/members.server";
import { deliverDueMessages, listOutbox, RETRY_DELAYS_MS } from "~/models/core/outbox.server";

const NOW = new Date("2027-01-10T12:00:00Z");
type Cast = Awaited<ReturnType<typeof createCast>>;

async function announce(cast: Cast, date: string, extra: Record<string, string> = {}) {
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "1", date, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/x", ...extra },
  });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  return meeting;
}

const tokenOf = (url: string) => /\/feeds\/([^/]+)\.ics$/.exec(url)![1];

describe("calendar feeds", () => {
  it("show every announced meeting of every body of the person, cancelled ones as cancelled", async () => {
    const cast = await createCast();
    const first = await announce(cast, "2027-03-09");
    const second = await announce(cast, "2027-06-09");
    await createMeeting({ actor: cast.secretariat.actor, now: NOW, input: { bodyId: cast.body.body.id, ordinal: "3", date: "2027-09-09", time: "09:00", endTime: "10:00", timeZone: "Asia/Tokyo", format: "in_person" } });
    await cancelMeeting({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: second.id, version: "2", reason: "The host postponed the session." } });
    // The head also belongs to the other body, which has a meeting of its own.
    await addMember({ actor: cast.outsider.actor, input: { bodyId: cast.other.body.id, name: "x", email: cast.head.user.email, role: "official", delegationId: cast.other.delegations.US.id } });
    const otherMeeting = await createMeeting({ actor: cast.outsider.actor, now: NOW, input: { bodyId: cast.other.body.id, ordinal: "1", date: "2027-04-01", time: "10:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "in_person" } });
    await sendInvitations({ actor: cast.outsider.actor, now: NOW, input: { meetingId: otherMeeting.id, delegationIds: [cast.other.delegations.US.id] } });

    const url = await createFeedToken({ actor: cast.head.actor });
    const feed = parseCalendar((await getFeedByToken(tokenOf(url))).content);
    expect(feed.method).toBe("PUBLISH");
    const byUid = new Map(feed.events.map((e) => [e.uid, e]));
    expect([...byUid.keys()].sort()).toEqual([first.id, second.id, otherMeeting.id].map((id) => `${id}@concord`).sort());
    expect(byUid.get(`${second.id}@concord`)).toMatchObject({ status: "CANCELLED", sequence: 1 });
    expect(byUid.get(`${first.id}@concord`)?.start?.toISOString()).toBe("2027-03-09T14:00:00.000Z");
    if (pythonAvailable) {
      const python = parseWithPython((await getFeedByToken(tokenOf(url))).content)!;
      expect(python.events.map((e) => e.uid).sort()).toEqual([...byUid.keys()].sort());
    }
  });

  it("stop working when rotated or revoked, and are unknown to anyone guessing", async () => {
    const cast = await createCast();
    const first = await createFeedToken({ actor: cast.delegate.actor });
    const second = await createFeedToken({ actor: cast.delegate.actor });
    await expect(getFeedByToken(tokenOf(first))).rejects.toBeInstanceOf(NotFoundError);
    await expect(getFeedByToken(tokenOf(second)).then((f) => f.content)).resolves.toContain("BEGIN:VCALENDAR");
    await revokeFeedToken({ actor: cast.delegate.actor });
    await expect(getFeedByToken(tokenOf(second))).rejects.toBeInstanceOf(NotFoundError);
    await expect(getFeedByToken("A".repeat(43))).rejects.toBeInstanceOf(NotFoundError);
  });

  it("give the secretariat a body feed that dies with their seat", async () => {
    const cast = await createCast();
    await announce(cast, "2027-03-09");
    await expect(createFeedToken({ actor: cast.head.actor, bodyId: cast.body.body.id })).rejects.toBeInstanceOf(ForbiddenError);
    const url = await createFeedToken({ actor: cast.secretariat.actor, bodyId: cast.body.body.id });
    expect(parseCalendar((await getFeedByToken(tokenOf(url))).content).events).toHaveLength(1);
    const successor = await createMember(cast.body, "secretariat");
    await deactivateMember({ actor: successor.actor, input: { bodyId: cast.body.body.id, membershipId: cast.secretariat.membership.id, reason: "Left the secretariat." } });
    await expect(getFeedByToken(tokenOf(url))).rejects.toBeInstanceOf(NotFoundError);
  });

  it("export a year of the body's meetings for the secretariat only", async () => {
    const cast = await createCast();
    await announce(cast, "2027-03-09");
    await announce(cast, "2028-03-09");
    const file = await getYearFile({ actor: cast.secretariat.actor, bodyId: cast.body.body.id, year: 2027, locale: "ja" });
    expect(parseCalendar(file.content).events).toHaveLength(1);
    await expect(getYearFile({ actor: cast.delegate.actor, bodyId: cast.body.body.id, year: 2027, locale: "en" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("delivering the outbox by SMTP", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  beforeAll(async () => {
    smtp = await startSmtp();
  });
  afterAll(async () => {
    await smtp.close();
  });
  // Messages queued by earlier tests are delivered first, so each test sees only its own.
  beforeEach(async () => {
    const transport = nodemailer.createTransport(smtp.url);
    while ((await deliverDueMessages({ transport, from: "concord@example.org", now: new Date("2100-01-01"), limit: 500 })).sent > 0);
    transport.close();
  });

  it("delivers each invitation with its calendar file, in the invitee's language", async () => {
    const cast = await createCast();
    const meeting = await announce(cast, "2027-03-09", { title: "Fifth; consultation, 日本語" });
    const transport = nodemailer.createTransport(smtp.url);
    const before = smtp.received.length;
    const result = await deliverDueMessages({ transport, from: "Concord <concord@example.org>", now: NOW });
    expect(result).toEqual({ sent: 4, failed: 0 });
    const mails = smtp.received.slice(before);
    expect(mails.map((m) => m.to?.[0]?.address).sort()).toEqual(
      [cast.secretariat, cast.head, cast.delegate, cast.official].map((p) => p.user.email).sort(),
    );
    const mail = mails[0];
    expect(mail.subject).toContain("Invitation");
    const ics = mail.attachments.find((a) => a.mimeType.startsWith("text/calendar"));
    expect(ics).toBeTruthy();
    const content = typeof ics!.content === "string" ? ics!.content : new TextDecoder().decode(ics!.content);
    const parsed = parseCalendar(content);
    expect(parsed.method).toBe("REQUEST");
    expect(parsed.events[0]).toMatchObject({ uid: `${meeting.id}@concord`, summary: expect.stringContaining("Fifth; consultation, 日本語") });
    const states = await db().select({ state: outboxMessages.state }).from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id));
    expect(states.every((s) => s.state === "sent")).toBe(true);
    transport.close();
  });

  it("retries after a refusal and records each message's state", async () => {
    const cast = await createCast();
    const meeting = await announce(cast, "2027-04-09");
    const transport = nodemailer.createTransport(smtp.url);
    smtp.refuseNext(4);
    const first = await deliverDueMessages({ transport, from: "concord@example.org", now: NOW });
    expect(first).toEqual({ sent: 0, failed: 4 });
    const { messages } = await listOutbox({ actor: cast.secretariat.actor, bodyId: cast.body.body.id });
    expect(messages.every((m) => m.state === "queued" && m.attempts === 1 && m.lastError?.includes("451"))).toBe(true);
    // Not due yet: nothing is sent before the retry delay.
    expect(await deliverDueMessages({ transport, from: "concord@example.org", now: NOW })).toEqual({ sent: 0, failed: 0 });
    const later = new Date(NOW.getTime() + RETRY_DELAYS_MS[0] + 1000);
    expect(await deliverDueMessages({ transport, from: "concord@example.org", now: later })).toEqual({ sent: 4, failed: 0 });
    const states = await db().select({ state: outboxMessages.state, attempts: outboxMessages.attempts }).from(outboxMessages).where(eq(outboxMessages.meetingId, meeting.id));
    expect(states.every((s) => s.state === "sent" && s.attempts === 2)).toBe(true);
    transport.close();
  });

  it("marks a message failed after the last retry", async () => {
    const cast = await createCast();
    await announce(cast, "2027-05-09");
    const dead = nodemailer.createTransport({ host: "127.0.0.1", port: 1, connectionTimeout: 500 });
    let now = NOW;
    for (let attempt = 0; attempt <= RETRY_DELAYS_MS.length; attempt++) {
      await deliverDueMessages({ transport: dead, from: "concord@example.org", now });
      now = new Date(now.getTime() + 24 * 3600_000);
    }
    const { messages, counts } = await listOutbox({ actor: cast.secretariat.actor, bodyId: cast.body.body.id });
    expect(counts.failed).toBe(4);
    expect(messages[0].attempts).toBe(RETRY_DELAYS_MS.length + 1);
  });
});
