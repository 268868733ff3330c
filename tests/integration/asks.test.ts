import { and, eq, inArray } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, users } from "#db/schema";
import { createCast, createMember, type TestBody } from "#tests/factories";
import { startSmtp } from "#tests/support/smtp";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { createAction } from "~/models/actions/actions.server";
import { concur, getAgenda, proposeItem } from "~/models/agenda/agenda.server";
import { deliverDueMessages } from "~/models/core/outbox.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { approveMinutes, circulateMinutes } from "~/models/minutes/minutes.server";
import { setNotificationSetting } from "~/models/notifications/setting.server";
import { notificationKeys, sendAsks } from "~/models/notifications/sweep.server";
import { shutdownCollab } from "~/server/collab.server";

// 07:00 in Washington, 21:00 in Tokyo and Seoul.
const NOW = new Date("2027-01-10T12:00:00Z");
const HOUR = 60 * 60_000;

let smtp: Awaited<ReturnType<typeof startSmtp>>;
let transport: nodemailer.Transporter;
beforeAll(async () => {
  smtp = await startSmtp();
  transport = nodemailer.createTransport(smtp.url);
});
afterAll(async () => {
  transport.close();
  await smtp.close();
  await shutdownCollab();
});

async function meetingOf(body: TestBody, secretariat: Actor, date = "2027-03-09") {
  return createMeeting({
    actor: secretariat,
    now: new Date("2026-10-01T00:00:00Z"),
    input: { bodyId: body.body.id, ordinal: "5", hostDelegationId: body.delegations.US.id, date, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/x" },
  });
}

/** Sends what the outbox holds to the real SMTP server and returns what each address received. */
async function deliver() {
  for (;;) {
    const { sent, failed } = await deliverDueMessages({ transport, from: "concord@example.org", limit: 100, now: new Date(Date.now() + 365 * 24 * HOUR) });
    expect(failed).toBe(0);
    if (sent === 0) break;
  }
  return (address: string) => smtp.received.filter((m) => m.to?.some((t) => t.address === address));
}

async function askMessagesTo(userId: string) {
  return db().select().from(outboxMessages).where(and(eq(outboxMessages.userId, userId), inArray(outboxMessages.kind, ["asks.digest", "asks.several", "asks.concurRequested", "asks.concurVoided", "asks.approvalRequested", "asks.actionOverdue", "asks.actionDue", "asks.meetingSoon", "asks.lockReady", "asks.adoptReady", "asks.approvalLate"])));
}

describe("asks and reminders by e-mail", () => {
  it("asks each head once for their concurrence, in their own language, through the outbox and SMTP", async () => {
    const cast = await createCast();
    const jp = await createMember(cast.body, "head", "JP");
    const kr = await createMember(cast.body, "head", "KR");
    await db().update(users).set({ locale: "ko" }).where(eq(users.id, kr.user.id));
    const meeting = await meetingOf(cast.body, cast.secretariat.actor);
    await getAgenda({ actor: cast.secretariat.actor, meetingId: meeting.id });

    await sendAsks({ now: NOW });
    const to = await deliver();
    const [us] = to(cast.head.user.email);
    expect(us.subject).toContain("Your concurrence is requested with the agenda of the 5th meeting");
    expect(us.text).toContain(`/meetings/${meeting.id}/agenda`);
    expect(us.text).toContain("/settings");
    // Japanese by the delegation's language; Korean by the person's own choice.
    expect(to(jp.user.email)[0].subject).toContain("議題への同意をお願いします");
    expect(to(kr.user.email)[0].subject).toContain("의제에 대한 동의를 요청드립니다");
    // A delegate has nothing to concur with.
    expect(to(cast.delegate.user.email)).toEqual([]);

    // The next sweep has nothing new to say.
    await sendAsks({ now: new Date(NOW.getTime() + 60_000) });
    expect(await askMessagesTo(cast.head.user.id)).toHaveLength(1);
  });

  it("tells a head once that a change voided their concurrence", async () => {
    const cast = await createCast();
    const meeting = await meetingOf(cast.body, cast.secretariat.actor);
    const { hash } = await getAgenda({ actor: cast.head.actor, meetingId: meeting.id });
    await concur({ actor: cast.head.actor, input: { meetingId: meeting.id, hash } });
    await sendAsks({ now: NOW });
    expect(await askMessagesTo(cast.head.user.id)).toEqual([]);

    await proposeItem({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "A late proposal", description: "", kind: "discussion", minutes: "10", leadDelegationId: cast.body.delegations.US.id, marking: "TLP:GREEN" } });
    await sendAsks({ now: NOW });
    await sendAsks({ now: new Date(NOW.getTime() + 60_000) });
    const mails = await askMessagesTo(cast.head.user.id);
    expect(mails.map((m) => m.kind)).toEqual(["asks.concurVoided"]);
    expect(mails[0].subject).toContain("was voided by a change");
  });

  it("asks heads for their approval when minutes are circulated, and the secretariat to adopt once all approved", async () => {
    const cast = await createCast(["US"]);
    const meeting = await meetingOf(cast.body, cast.secretariat.actor, "2026-11-20");
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    // Just circulated (the step takes the real clock, the meeting was held before it): asked, not yet late.
    const now = new Date();
    await sendAsks({ now });
    const [ask] = await askMessagesTo(cast.head.user.id);
    expect(ask.kind).toBe("asks.approvalRequested");
    expect(ask.text).toContain(`/meetings/${meeting.id}/minutes`);
    await approveMinutes({ actor: cast.head.actor, input: { meetingId: meeting.id } });
    await sendAsks({ now });
    expect((await askMessagesTo(cast.secretariat.user.id)).map((m) => m.kind)).toEqual(["asks.adoptReady"]);
  });

  it("sends a request that is already late as the reminder alone, not the same thing twice", async () => {
    const cast = await createCast(["US"]);
    const meeting = await meetingOf(cast.body, cast.secretariat.actor, "2026-11-20");
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    await sendAsks({ now: new Date(Date.now() + 15 * 24 * HOUR) });
    const mails = await askMessagesTo(cast.head.user.id);
    expect(mails.map((m) => m.kind)).toEqual(["asks.approvalLate"]);
    expect(mails[0].text).not.toContain("Your approval is requested");
    expect(await notificationKeys(cast.head.user.id, "minutes.")).toEqual([`minutes.approve:${meeting.id}:0`, `minutes.late:${meeting.id}:0`]);
  });

  it("sends a daily digest once after 08:00 in the person's zone, listing everything waiting", async () => {
    const cast = await createCast();
    await setNotificationSetting({ actor: cast.head.actor, input: { notifications: "daily" } });
    const meeting = await meetingOf(cast.body, cast.secretariat.actor);
    await getAgenda({ actor: cast.secretariat.actor, meetingId: meeting.id });
    await createAction({ actor: cast.secretariat.actor, now: new Date("2026-12-01T00:00:00Z"), input: { bodyId: cast.body.body.id, title: "Share the wallet list", detail: "", ownerDelegationId: cast.body.delegations.US.id, dueKind: "date", dueDate: "2027-01-05", marking: "TLP:GREEN" } });

    await sendAsks({ now: NOW }); // 07:00 in Washington: not yet.
    expect(await askMessagesTo(cast.head.user.id)).toEqual([]);
    await sendAsks({ now: new Date(NOW.getTime() + HOUR) }); // 08:00
    await sendAsks({ now: new Date(NOW.getTime() + 2 * HOUR) });
    const [digest, ...rest] = await askMessagesTo(cast.head.user.id);
    expect(rest).toEqual([]);
    expect(digest.kind).toBe("asks.digest");
    expect(digest.subject).toBe(`What waits for you in ${cast.body.body.nameEn} today (2)`);
    expect(digest.text).toContain("Your concurrence is requested with the agenda of the 5th meeting");
    expect(digest.text).toContain("“Share the wallet list” was due on Jan 5, 2027 and is overdue");
    // The next day brings the next digest.
    await sendAsks({ now: new Date(NOW.getTime() + 25 * HOUR) });
    expect(await askMessagesTo(cast.head.user.id)).toHaveLength(2);
  });

  it("sends nothing to a person who turned it off, and switching back replays nothing old", async () => {
    const cast = await createCast();
    await setNotificationSetting({ actor: cast.head.actor, input: { notifications: "off" } });
    const meeting = await meetingOf(cast.body, cast.secretariat.actor);
    await getAgenda({ actor: cast.secretariat.actor, meetingId: meeting.id });
    await sendAsks({ now: NOW });
    expect(await askMessagesTo(cast.head.user.id)).toEqual([]);
    expect(await notificationKeys(cast.head.user.id)).toEqual([`agenda.concur:${meeting.id}`]);
    await setNotificationSetting({ actor: cast.head.actor, input: { notifications: "immediate" } });
    await sendAsks({ now: NOW });
    expect(await askMessagesTo(cast.head.user.id)).toEqual([]);
  });

  it("reminds the delegation of a meeting a day before and of an overdue action item", async () => {
    const cast = await createCast();
    const meeting = await meetingOf(cast.body, cast.secretariat.actor, "2027-01-11");
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id] } });
    await createAction({ actor: cast.secretariat.actor, now: new Date("2026-12-01T00:00:00Z"), input: { bodyId: cast.body.body.id, title: "Trace the mixer", detail: "", ownerDelegationId: cast.body.delegations.US.id, dueKind: "date", dueDate: "2027-01-04", marking: "TLP:GREEN" } });
    // The meeting starts at 09:00 in Washington on the 11th: 14:00 UTC, 26 hours after NOW.
    await sendAsks({ now: NOW });
    expect((await askMessagesTo(cast.delegate.user.id)).map((m) => m.kind)).toEqual(["asks.actionOverdue"]);
    await sendAsks({ now: new Date(NOW.getTime() + 3 * HOUR) });
    const mails = await askMessagesTo(cast.delegate.user.id);
    expect(mails.map((m) => m.kind)).toEqual(["asks.actionOverdue", "asks.meetingSoon"]);
    expect(mails[1].subject).toMatch(/^Reminder: the 5th meeting starts Jan 11, 2027, 9:00\s?AM \(America\/New York\)/);
  });

  it("runs one sweep at a time in a process, and a sweep that comes late to an ask finds it dealt with", async () => {
    const cast = await createCast();
    const meeting = await meetingOf(cast.body, cast.secretariat.actor);
    await getAgenda({ actor: cast.secretariat.actor, meetingId: meeting.id });
    // A sweep outlasting its interval: the next calls join it instead of racing on the connection.
    const [a, b, c] = await Promise.all([sendAsks({ now: NOW }), sendAsks({ now: NOW }), sendAsks({ now: NOW })]);
    expect(a).toBeGreaterThan(0);
    expect([b, c]).toEqual([a, a]);
    // Another instance sweeping the same moment afterwards: the log's key has it already.
    expect(await sendAsks({ now: NOW })).toBe(0);
    expect(await askMessagesTo(cast.head.user.id)).toHaveLength(1);
  });

  it("keeps the setting a person's own, validated and audited", async () => {
    const cast = await createCast();
    await expect(setNotificationSetting({ actor: cast.head.actor, input: { notifications: "hourly" } })).rejects.toMatchObject({ fieldErrors: { notifications: [{ key: "errors:validation.choice" }] } });
    await setNotificationSetting({ actor: cast.head.actor, input: { notifications: "daily" } });
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.actorId, cast.head.user.id), eq(auditEvents.action, "user.notifications")));
    expect(events.map((e) => [e.before, e.after])).toEqual([[{ notifications: "immediate" }, { notifications: "daily" }]]);
  });
});
