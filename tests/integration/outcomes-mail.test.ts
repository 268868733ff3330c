import { eq, inArray } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodies, outboxMessages, users } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { connectMinutes, type MinutesClient } from "#tests/support/collab-client";
import { paragraphWith } from "#tests/support/outcome-doc";
import { startSmtp } from "#tests/support/smtp";
import { db } from "~/lib/db.server";
import { ConflictError } from "~/lib/errors";
import { setOutboxDeliverer, deliverDueMessages } from "~/models/core/outbox.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { clearOutcome, createOutcome, getOutcomePage, requestClearance } from "~/models/outcomes/outcomes.server";
import { breakSilence, runDueSilences, startSilence } from "~/models/outcomes/silence.server";
import { shutdownCollab } from "~/server/collab.server";
import { listenForCollab } from "../support/collab-server";

/**
 * Every step of an outcome document's adoption reaches the heads by mail — through the
 * outbox, queued with the step and delivered after its commit, to a real SMTP server — each
 * in the head's own language: the secretariat's request to clear, each capital's clearance,
 * the silence procedure started, broken and ended early, and the adoption.
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let url: string;
let cast: Awaited<ReturnType<typeof createCast>>;
let heads: Record<"US" | "JP" | "KR", Awaited<ReturnType<typeof createMember>>>;
let meetingId: string;
let smtp: Awaited<ReturnType<typeof startSmtp>>;
let transport: nodemailer.Transporter;
const clients: MinutesClient[] = [];
let nudges = 0;

beforeAll(async () => {
  cast = await createCast();
  await db().update(bodies).set({ symbolPrefix: "TCCM" }).where(eq(bodies.id, cast.body.body.id));
  heads = { US: cast.head, JP: await createMember(cast.body, "head", "JP"), KR: await createMember(cast.body, "head", "KR") };
  await db().update(users).set({ locale: "ja" }).where(eq(users.id, heads.JP.user.id));
  await db().update(users).set({ locale: "ko" }).where(eq(users.id, heads.KR.user.id));
  await db().update(users).set({ locale: "en" }).where(inArray(users.id, [heads.US.user.id, cast.secretariat.user.id]));
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "6", date: `${new Date().getUTCFullYear() + 1}-04-10`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  url = collab.url;
  smtp = await startSmtp();
  transport = nodemailer.createTransport(smtp.url);
  // Verbs nudge delivery after their commit (counted here; the test delivers itself, in order).
  setOutboxDeliverer(async () => void nudges++);
});

afterAll(async () => {
  setOutboxDeliverer(null);
  for (const c of clients) c.close();
  await shutdownCollab();
  await collab.close();
  transport.close();
  await smtp.close();
});

async function draft(title: string) {
  const doc = await createOutcome({ actor: cast.delegate.actor, input: { meetingId, title, kind: "joint_statement", marking: "TLP:AMBER" } });
  const writer = connectMinutes({ url, cookie: await cookieFor(heads.JP.user.id), meetingId: "", documentName: `outcome:${doc.id}` });
  clients.push(writer);
  await writer.whenSynced();
  paragraphWith(writer.doc, "The participants condemned the theft of virtual assets.");
  await writer.whenAcknowledged();
  writer.close();
  return doc;
}

const hashOf = async (documentId: string) => (await getOutcomePage({ actor: cast.secretariat.actor, documentId })).hash;

/** Delivers what is queued to the real SMTP server, then the messages whose subject contains `needle`. */
async function received(needle: string | RegExp, count: number) {
  await deliverDueMessages({ transport, from: "concord@example.org", limit: 100 });
  const until = Date.now() + 15_000;
  for (;;) {
    const found = smtp.received.filter((m) => (typeof needle === "string" ? m.subject?.includes(needle) : needle.test(m.subject ?? "")));
    if (found.length >= count) return found;
    if (Date.now() > until) throw new Error(`only ${found.length} of ${count} mails with “${needle}”: ${smtp.received.map((m) => m.subject).join(" | ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
const to = (mail: { to?: Array<{ address?: string }> }) => mail.to?.[0]?.address;

describe("outcome documents by mail", () => {
  it("asks the heads that have not cleared to clear, in their language, with the text's fingerprint; a stale request sends nothing", async () => {
    const doc = await draft("Mailed statement");
    const hash = await hashOf(doc.id);
    const queued = async () => (await db().select().from(outboxMessages).where(eq(outboxMessages.kind, "outcome.clearanceRequested"))).length;
    const before = await queued();
    await expect(requestClearance({ actor: cast.secretariat.actor, input: { documentId: doc.id, hash: "not-the-hash" } })).rejects.toBeInstanceOf(ConflictError);
    await expect(requestClearance({ actor: heads.US.actor, input: { documentId: doc.id, hash } })).rejects.toMatchObject({ name: "ForbiddenError" });
    expect(await queued()).toBe(before);

    const nudged = nudges;
    await clearOutcome({ actor: heads.US.actor, input: { documentId: doc.id, kind: "cleared", hash } });
    expect(nudges, "delivery is nudged after the commit").toBeGreaterThan(nudged);
    // The US cleared: its head and the secretariat hear of it only from that mail, not from the request.
    const cleared = await received("US", 3);
    expect(cleared.map(to).sort()).toEqual([heads.JP.user.email, heads.KR.user.email, cast.secretariat.user.email].sort());
    expect(cleared.find((m) => to(m) === heads.JP.user.email)!.subject).toContain("了承");

    await requestClearance({ actor: cast.secretariat.actor, input: { documentId: doc.id, hash } });
    const asked = await received("Mailed statement", 5);
    const requests = asked.filter((m) => /Please clear|了承のお願い|승인 요청/.test(m.subject ?? ""));
    expect(requests.map(to).sort()).toEqual([heads.JP.user.email, heads.KR.user.email].sort());
    const ja = requests.find((m) => to(m) === heads.JP.user.email)!;
    expect(ja.subject).toBe("了承のお願い：TCCM/6/OD.1 Mailed statement");
    expect(ja.text).toContain(hash.slice(0, 12));
    expect(ja.text).toContain(`/outcomes/${doc.id}`);
    expect(ja.text).toContain("TLP:AMBER");
    expect(requests.find((m) => to(m) === heads.KR.user.email)!.subject).toBe("승인 요청: TCCM/6/OD.1 Mailed statement");
  });

  it("mails the silence procedure started (every capital's time), broken (with the reason) and ended early by clearance", async () => {
    const doc = await draft("Silent statement");
    const year = new Date().getUTCFullYear() + 1;
    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: `${year}-05-01`, time: "12:00", timeZone: "Asia/Tokyo" } });
    const started = await received("Silent statement", 4);
    expect(started.map(to).sort()).toEqual([heads.US.user.email, heads.JP.user.email, heads.KR.user.email, cast.secretariat.user.email].sort());
    const en = started.find((m) => to(m) === heads.US.user.email)!;
    expect(en.subject).toBe(`Silence procedure: TCCM/6/OD.${doc.number} Silent statement`);
    expect(en.text).toMatch(/Washington: .*\n.*Tokyo: .*\n.*Seoul: /);
    expect(started.find((m) => to(m) === heads.JP.user.email)!.text).toContain("東京");

    await breakSilence({ actor: heads.KR.actor, input: { documentId: doc.id, reason: "Capital needs another day" } });
    const broken = (await received("Silent statement", 7)).filter((m) => /broken|破られ|깨짐/.test(m.subject ?? ""));
    // The KR head broke it; everyone else is told, in their language.
    expect(broken.map(to).sort()).toEqual([heads.US.user.email, heads.JP.user.email, cast.secretariat.user.email].sort());
    expect(broken.find((m) => to(m) === heads.US.user.email)!.text).toContain("Capital needs another day");

    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: `${year}-05-02`, time: "12:00", timeZone: "Asia/Tokyo" } });
    for (const h of Object.values(heads)) await clearOutcome({ actor: h.actor, input: { documentId: doc.id, kind: "cleared", hash: await hashOf(doc.id) } });
    const ended = await received(/(ended|終了|종료).*Silent statement/, 4);
    expect(ended.find((m) => to(m) === heads.US.user.email)!.subject).toBe(`Silence procedure ended, adopted: TCCM/6/OD.${doc.number} Silent statement`);
    expect(ended.find((m) => to(m) === heads.JP.user.email)!.subject).toBe(`サイレンス手続終了・採択：TCCM/6/OD.${doc.number} Silent statement`);
    // Ending early is the adoption: no second "Adopted" mail for the same step.
    expect(smtp.received.filter((m) => m.subject === `Adopted: TCCM/6/OD.${doc.number} Silent statement`)).toHaveLength(0);
  });

  it("mails the adoption at the deadline once, to every head in their language", async () => {
    const doc = await draft("Deadline statement");
    const deadline = new Date(Date.now() + 2 * 86_400_000);
    const [date, time] = deadline.toISOString().slice(0, 16).split("T");
    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date, time, timeZone: "UTC" } });
    const later = new Date(deadline.getTime() + 60_000);
    expect((await runDueSilences({ now: later })).adopted).toContain(doc.id);
    expect((await runDueSilences({ now: later })).adopted).not.toContain(doc.id);
    const adopted = await received("Deadline statement", 8);
    const subjects = adopted.filter((m) => /Adopted|採択|채택/.test(m.subject ?? "") && !/ended|終了|종료/.test(m.subject ?? ""));
    expect(subjects.map(to).sort()).toEqual([heads.US.user.email, heads.JP.user.email, heads.KR.user.email, cast.secretariat.user.email].sort());
  });
});
