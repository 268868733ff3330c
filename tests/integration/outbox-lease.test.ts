import { eq } from "drizzle-orm";
import nodemailer from "nodemailer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outboxMessages } from "#db/schema";
import { createBody } from "#tests/factories";
import { startSmtp } from "#tests/support/smtp";
import { db } from "~/lib/db.server";
import { deliverDueMessages, LEASE_MS, queueMessages } from "~/models/core/outbox.server";

/**
 * Several instances run the outbox at once (ADR 022): each message is sent exactly once,
 * a deliverer that died mid-send is taken over only once its lease has run out.
 */
describe("outbox delivery across instances", () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let bodyId: string;
  const NOW = new Date("2031-05-01T09:00:00Z");
  // Two instances: two transports, two deliverers, one database.
  const transports = () => [nodemailer.createTransport(smtp.url), nodemailer.createTransport(smtp.url)];

  beforeAll(async () => {
    smtp = await startSmtp();
    bodyId = (await createBody()).body.id;
  });
  afterAll(async () => {
    await smtp.close();
  });

  const queue = (subjects: string[]) =>
    queueMessages(
      db(),
      subjects.map((subject) => ({ bodyId, kind: "test", toEmail: "delegate@example.org", toName: "Delegate", subject, text: subject })),
      NOW,
    );
  const receivedSubjects = (prefix: string) => smtp.received.map((m) => m.subject ?? "").filter((s) => s.startsWith(prefix));

  it("sends each message once when two deliverers race for the same messages", async () => {
    const subjects = Array.from({ length: 12 }, (_, i) => `race ${i}`);
    await queue(subjects);
    const [a, b] = transports();
    const results = await Promise.all([
      deliverDueMessages({ transport: a, from: "concord@example.org", now: NOW, limit: 50 }),
      deliverDueMessages({ transport: b, from: "concord@example.org", now: NOW, limit: 50 }),
    ]);
    expect(results[0].sent + results[1].sent).toBe(12);
    expect(receivedSubjects("race ").sort()).toEqual([...subjects].sort());
    const rows = await db().select().from(outboxMessages).where(eq(outboxMessages.kind, "test"));
    expect(rows.every((r) => r.state === "sent" && r.leaseOwner === null)).toBe(true);
  });

  it("leaves a message claimed by a deliverer that died until its lease runs out, then sends it once", async () => {
    await queue(["orphan"]);
    const [row] = await db().select().from(outboxMessages).where(eq(outboxMessages.subject, "orphan"));
    // A deliverer claimed it and died before recording the outcome.
    await db()
      .update(outboxMessages)
      .set({ state: "sending", leaseOwner: "a-dead-instance", leaseExpiresAt: new Date(NOW.getTime() + LEASE_MS) })
      .where(eq(outboxMessages.id, row.id));
    const [a, b] = transports();
    expect(await deliverDueMessages({ transport: a, from: "concord@example.org", now: new Date(NOW.getTime() + LEASE_MS - 1000) })).toEqual({ sent: 0, failed: 0 });
    expect(receivedSubjects("orphan")).toHaveLength(0);

    // Its lease has run out: two instances notice at the same moment; one of them sends it.
    const later = new Date(NOW.getTime() + LEASE_MS + 1000);
    const results = await Promise.all([
      deliverDueMessages({ transport: a, from: "concord@example.org", now: later }),
      deliverDueMessages({ transport: b, from: "concord@example.org", now: later }),
    ]);
    expect(results[0].sent + results[1].sent).toBe(1);
    expect(receivedSubjects("orphan")).toHaveLength(1);
  });

  it("does not let a deliverer whose lease was taken over record its outcome", async () => {
    await queue(["overtaken"]);
    const [row] = await db().select().from(outboxMessages).where(eq(outboxMessages.subject, "overtaken"));
    const slow = nodemailer.createTransport(smtp.url);
    // The first deliverer's send takes so long that its lease runs out and another takes over.
    let takeover: Promise<unknown> | undefined;
    slow.sendMail = (async () => {
      const [fast] = transports();
      takeover = deliverDueMessages({ transport: fast, from: "concord@example.org", now: new Date(NOW.getTime() + 2 * LEASE_MS) });
      await takeover;
      throw new Error("connection reset after the lease ran out");
    }) as typeof slow.sendMail;
    await deliverDueMessages({ transport: slow, from: "concord@example.org", now: NOW });
    await takeover;
    const [after] = await db().select().from(outboxMessages).where(eq(outboxMessages.id, row.id));
    // The late failure does not put the delivered message back in the queue.
    expect(after.state).toBe("sent");
    expect(receivedSubjects("overtaken")).toHaveLength(1);
  });
});
