import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sessions } from "#db/schema";
import { expectConsoleError } from "#tests/setup/console";
import { createCast, createMember, PASSWORD } from "#tests/factories";
import { connectMinutes, paragraphsOf, type MinutesClient } from "#tests/support/collab-client";
import { db } from "~/lib/db.server";
import { sessionCookieFor } from "~/lib/session.server";
import { watchAgenda } from "~/models/agenda/live.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { createOutcome } from "~/models/outcomes/outcomes.server";
import { loadDoc } from "~/models/minutes/store.server";
import { changePassword } from "~/models/people/accounts.server";
import { getUser } from "~/models/people/current-user.server";
import { changeMember, deactivateMember } from "~/models/people/members.server";
import { isRevoked, openConnectionCount, revokeSession } from "~/models/people/revocation.server";
import { createSession, deleteSession } from "~/models/people/sessions.server";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { listenForCollab } from "../support/collab-server";

/**
 * Revocation reaches open connections: with the real Hocuspocus provider against the real
 * upgrade handler, text typed after sign-out, deactivation, demotion, a password change or
 * the session's expiry is neither applied nor stored; the agenda event stream ends too.
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let url: string;
let cast: Awaited<ReturnType<typeof createCast>>;
let meetingId: string;
const clients: MinutesClient[] = [];

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: `${year}-03-10`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  url = collab.url;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await shutdownCollab();
  await collab.close();
});

async function sessionOf(userId: string) {
  const token = await createSession(db(), userId, "vitest");
  return { token, cookie: (await sessionCookieFor(token)).split(";")[0] };
}

/** A provider that has synced and had one paragraph stored, plus a promise of its next disconnect. */
async function editor(cookie: string, text: string) {
  const c = connectMinutes({ url, cookie, meetingId });
  clients.push(c);
  await c.whenSynced();
  c.appendParagraph(text);
  await c.whenAcknowledged();
  const disconnected = new Promise<void>((resolve) => c.socket.on("disconnect", () => resolve()));
  return { c, disconnected };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the server holds: the live document and what storage would give back after a restart. */
async function serverText() {
  const live = await withDocument(meetingId, (doc) => paragraphsOf(doc));
  const stored = paragraphsOf(await loadDoc(meetingId));
  return { live, stored };
}

async function expectRefused(c: MinutesClient, text: string, { refusedAgain = true } = {}) {
  // Hocuspocus logs each refused reconnection (the provider retries every 200 ms).
  if (refusedAgain) expectConsoleError(50);
  c.appendParagraph(text);
  // Give the provider time to reconnect and try to send it (it retries every 200 ms).
  await sleep(1500);
  const { live, stored } = await serverText();
  expect(live).not.toContain(text);
  expect(stored).not.toContain(text);
  if (refusedAgain) c.close();
}

describe("an open minutes connection loses its rights", () => {
  it("when its session signs out", async () => {
    const { token, cookie } = await sessionOf(cast.delegate.user.id);
    const { c, disconnected } = await editor(cookie, "typed before signing out");
    expect(openConnectionCount(cast.delegate.user.id)).toBeGreaterThan(0);
    await deleteSession(token);
    // Closed at once, in this process: nothing of that session is registered any more.
    expect(openConnectionCount(cast.delegate.user.id)).toBe(0);
    await disconnected;
    await expectRefused(c, "typed after signing out");
    expect((await serverText()).stored).toContain("typed before signing out");
  });

  it("when the membership is deactivated", async () => {
    const member = await createMember(cast.body, "delegate", "JP");
    const { cookie } = await sessionOf(member.user.id);
    const { c, disconnected } = await editor(cookie, "typed before deactivation");
    await deactivateMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: member.membership.id, reason: "Left the delegation" } });
    await disconnected;
    await expectRefused(c, "typed after deactivation");
  });

  it("when a delegate is demoted to official: reconnected read-only", async () => {
    const member = await createMember(cast.body, "delegate", "KR");
    const { cookie } = await sessionOf(member.user.id);
    const { c, disconnected } = await editor(cookie, "typed as delegate");
    await changeMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: member.membership.id, role: "official", delegationId: cast.body.delegations.KR.id } });
    await disconnected;
    // The provider reconnects and syncs again, now as a reader.
    const until = Date.now() + 15_000;
    while (!c.provider.isSynced && Date.now() < until) await sleep(20);
    expect(c.provider.isSynced).toBe(true);
    // Connected again as a reader; what it still sends as an official is refused and the
    // connection cut (a reader's editor sends nothing: issue 10, collab-faults.test.ts).
    expect(openConnectionCount(member.user.id)).toBe(1);
    await expectRefused(c, "typed as official");
  });

  it("when the password is changed elsewhere: other sessions close, the changing one stays", async () => {
    const member = await createMember(cast.body, "delegate", "US");
    const other = await sessionOf(member.user.id);
    const { c, disconnected } = await editor(other.cookie, "typed on the other device");
    const current = await sessionOf(member.user.id);
    const kept = await editor(current.cookie, "typed on this device");
    const me = await getUser(new Request("http://localhost/", { headers: { cookie: current.cookie } }));
    await changePassword({ actor: member.actor, sessionId: me!.sessionId, input: { currentPassword: PASSWORD, newPassword: "a new long passphrase", confirmPassword: "a new long passphrase" } });
    await disconnected;
    await expectRefused(c, "typed on the other device afterwards");
    kept.c.appendParagraph("still typing here");
    await kept.c.whenAcknowledged();
    expect((await serverText()).stored).toContain("still typing here");
  });

  it("when the session expires while the editor is open", async () => {
    const { token, cookie } = await sessionOf(cast.head.user.id);
    const { sha256 } = await import("~/lib/hash");
    // The session ends two seconds from now; the connection's own timer closes it then.
    await db().update(sessions).set({ expiresAt: new Date(Date.now() + 2000) }).where(eq(sessions.id, sha256(token)));
    const { c, disconnected } = await editor(cookie, "typed before expiry");
    await disconnected;
    await expectRefused(c, "typed after expiry");
  });
});

describe("an open outcome document connection", () => {
  it("closes when its session signs out", async () => {
    const documentId = (await createOutcome({ actor: cast.delegate.actor, input: { meetingId, title: "Joint statement", kind: "joint_statement" } })).id;
    const { token, cookie } = await sessionOf(cast.head.user.id);
    const c = connectMinutes({ url, cookie, meetingId: "", documentName: `outcome:${documentId}` });
    clients.push(c);
    await c.whenSynced();
    expect(openConnectionCount(cast.head.user.id)).toBeGreaterThan(0);
    const disconnected = new Promise<void>((resolve) => c.socket.on("disconnect", () => resolve()));
    expectConsoleError(50); // each refused reconnection is logged
    await deleteSession(token);
    expect(openConnectionCount(cast.head.user.id)).toBe(0);
    await disconnected;
    c.close();
  });
});

describe("a revoked connection's next message is refused", () => {
  it("even when it was authorised just before the revocation and registered after it", () => {
    const authorizedAt = Date.now() - 10;
    revokeSession("session-in-flight");
    expect(isRevoked({ userId: "u", sessionId: "session-in-flight", authorizedAt, expiresAt: Date.now() + 60_000 })).toBe(true);
    expect(isRevoked({ userId: "u", sessionId: "session-in-flight", authorizedAt: Date.now() + 10, expiresAt: Date.now() + 60_000 })).toBe(false);
    expect(isRevoked({ userId: "u", sessionId: "another", authorizedAt, expiresAt: Date.now() - 1 })).toBe(true);
  });
});

describe("the agenda event stream", () => {
  async function openStream(cookie: string) {
    const user = await getUser(new Request("http://localhost/", { headers: { cookie } }));
    const stream = await watchAgenda({ actor: user!, meetingId, signal: new AbortController().signal });
    const reader = stream.getReader();
    await reader.read(); // the retry line
    return reader;
  }

  it("ends when its session signs out", async () => {
    const { token, cookie } = await sessionOf(cast.official.user.id);
    const reader = await openStream(cookie);
    await deleteSession(token);
    expect((await reader.read()).done).toBe(true);
  });

  it("ends when the membership is deactivated", async () => {
    const member = await createMember(cast.body, "official", "JP");
    const { cookie } = await sessionOf(member.user.id);
    const reader = await openStream(cookie);
    await deactivateMember({ actor: cast.secretariat.actor, input: { bodyId: cast.body.body.id, membershipId: member.membership.id, reason: "Left the delegation" } });
    expect((await reader.read()).done).toBe(true);
  });
});
