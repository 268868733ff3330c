import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Transporter } from "nodemailer";
import { meetings, outboxMessages } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { withTransaction } from "~/lib/transaction.server";
import { authorize } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";

export type OutboxMessage = typeof outboxMessages.$inferSelect;
export type NewMessage = Omit<typeof outboxMessages.$inferInsert, "id" | "state" | "attempts" | "nextAttemptAt" | "createdAt">;

/** What a message's attachment is rendered from at delivery (see `attachmentSource`). */
export type AttachmentSource = NonNullable<OutboxMessage["attachmentSource"]>;
/** Renders an attachment at delivery, outside any transaction; provided by app/server. */
export type RenderAttachment = (source: AttachmentSource) => Promise<Buffer>;

/** Attempts before a message is marked failed, and the wait before each retry. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];
const PAGE_SIZE = 50;
/**
 * How long a deliverer holds a message it claimed. Longer than the longest send (the SMTP
 * transport's timeouts, mail.server.ts, plus rendering); a deliverer that dies mid-send
 * leaves the message to be taken over once its lease has run out.
 */
export const LEASE_MS = 10 * 60_000;

/** Due: queued and its time has come, or claimed by a deliverer whose lease has run out. */
function isDue(now: Date) {
  return or(
    and(eq(outboxMessages.state, "queued"), lte(outboxMessages.nextAttemptAt, now)),
    and(eq(outboxMessages.state, "sending"), lte(outboxMessages.leaseExpiresAt, now)),
    // Claimed before leases existed (migration 0008): stale after the same time.
    and(eq(outboxMessages.state, "sending"), isNull(outboxMessages.leaseExpiresAt), lte(outboxMessages.nextAttemptAt, new Date(now.getTime() - LEASE_MS))),
  );
}

let deliverer: (() => Promise<unknown>) | null = null;
let running: Promise<unknown> | null = null;
let again = false;

/** The process wiring registers how to deliver (or null to stop); verbs nudge it after their commit. */
export function setOutboxDeliverer(deliver: (() => Promise<unknown>) | null): void {
  deliverer = deliver;
}

/**
 * Asks for a delivery run now instead of at the next interval, so that an invitation leaves
 * within a second of the commit. Runs never overlap; a nudge during a run schedules one more.
 * Never call it inside a transaction: use `afterCommit(nudgeOutbox)`.
 */
export function nudgeOutbox(): void {
  if (!deliverer) return;
  if (running) {
    again = true;
    return;
  }
  const deliver = deliverer;
  running = deliver()
    .catch((error) => console.warn("outbox delivery failed", error))
    .finally(() => {
      running = null;
      if (again) {
        again = false;
        nudgeOutbox();
      }
    });
}

/** Queued in the same transaction as the change that caused them: no change without its messages. */
export async function queueMessages(tx: DbOrTx, messages: NewMessage[], now = new Date()): Promise<void> {
  if (messages.length === 0) return;
  await tx.insert(outboxMessages).values(messages.map((m) => ({ ...m, state: "queued" as const, attempts: 0, nextAttemptAt: now })));
}

export async function listOutbox({ actor, bodyId, page = 1 }: { actor: Actor; bodyId: string; page?: number }) {
  await authorize(db(), actor, bodyId, "outbox.read");
  const rows = await db()
    .select({
      id: outboxMessages.id,
      kind: outboxMessages.kind,
      toEmail: outboxMessages.toEmail,
      toName: outboxMessages.toName,
      subject: outboxMessages.subject,
      state: outboxMessages.state,
      attempts: outboxMessages.attempts,
      lastError: outboxMessages.lastError,
      nextAttemptAt: outboxMessages.nextAttemptAt,
      sentAt: outboxMessages.sentAt,
      createdAt: outboxMessages.createdAt,
      attachmentName: outboxMessages.attachmentName,
      meetingId: outboxMessages.meetingId,
      meetingOrdinal: meetings.ordinal,
      meetingTitle: meetings.title,
    })
    .from(outboxMessages)
    .leftJoin(meetings, eq(meetings.id, outboxMessages.meetingId))
    .where(eq(outboxMessages.bodyId, bodyId))
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(PAGE_SIZE + 1)
    .offset((Math.max(1, page) - 1) * PAGE_SIZE);
  const counts = await db()
    .select({ state: outboxMessages.state, n: sql<number>`count(*)` })
    .from(outboxMessages)
    .where(eq(outboxMessages.bodyId, bodyId))
    .groupBy(outboxMessages.state);
  return {
    messages: rows.slice(0, PAGE_SIZE),
    hasMore: rows.length > PAGE_SIZE,
    counts: Object.fromEntries(counts.map((c) => [c.state, Number(c.n)])) as Partial<Record<OutboxMessage["state"], number>>,
  };
}

/** The secretariat sends a failed message again. */
export async function retryMessage({ actor, input }: { actor: Actor; input: { bodyId: string; messageId: string } }) {
  await authorize(db(), actor, input.bodyId, "outbox.read");
  await withTransaction(async (tx) => {
    const [message] = await tx
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.id, input.messageId), eq(outboxMessages.bodyId, input.bodyId)));
    if (!message) throw new NotFoundError("message");
    if (message.state !== "failed") return;
    await tx.update(outboxMessages).set({ state: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null }).where(eq(outboxMessages.id, message.id));
    await recordAudit(tx, { bodyId: input.bodyId, actorId: actor.id, action: "outbox.retry", entityType: "outbox_message", entityId: message.id, before: { state: "failed" }, after: { state: "queued" } });
  });
}

/**
 * Delivers what is due, exactly once however many instances run this at the same time
 * (ADR 022). Each message is claimed with a lease in one conditional UPDATE (queued or
 * lease run out → sending, owned by this run until now + LEASE_MS); only the run whose claim
 * matched sends it, and it records the outcome only while it still holds the lease. A
 * failure schedules the next attempt, and after the last one the message is marked failed
 * with the server's answer.
 */
export async function deliverDueMessages({
  transport,
  from,
  replyTo,
  now = new Date(),
  limit = 20,
  renderAttachment,
}: {
  transport: Transporter;
  from: string;
  /** Where answers go: the address Concord reads replies at (calendar clients use ORGANIZER). */
  replyTo?: string;
  now?: Date;
  limit?: number;
  renderAttachment?: RenderAttachment;
}) {
  const owner = randomUUID();
  const due = await db().select().from(outboxMessages).where(isDue(now)).orderBy(asc(outboxMessages.nextAttemptAt)).limit(limit);
  let sent = 0;
  let failed = 0;
  // Several recipients of one circulation share one rendering per language.
  const rendered = new Map<string, Promise<Buffer>>();
  const render = (source: AttachmentSource) => {
    if (!renderAttachment) return Promise.reject(new Error(`no renderer for ${source.kind} attachments`));
    const key = JSON.stringify(source);
    if (!rendered.has(key)) rendered.set(key, renderAttachment(source));
    return rendered.get(key)!;
  };
  for (const message of due) {
    const claimed = await db()
      .update(outboxMessages)
      .set({ state: "sending", leaseOwner: owner, leaseExpiresAt: new Date(now.getTime() + LEASE_MS) })
      .where(and(eq(outboxMessages.id, message.id), isDue(now)))
      .returning({ id: outboxMessages.id });
    // Another deliverer claimed it between our read and our claim.
    if (claimed.length === 0) continue;
    const holding = and(eq(outboxMessages.id, message.id), eq(outboxMessages.leaseOwner, owner));
    try {
      const content = message.attachmentSource ? (await render(message.attachmentSource)).toString("base64") : message.attachmentContent;
      const encoding = message.attachmentSource ? "base64" : message.attachmentEncoding;
      await transport.sendMail({
        from,
        ...(replyTo ? { replyTo } : {}),
        to: { name: message.toName, address: message.toEmail },
        subject: message.subject,
        text: message.text,
        ...mailParts(message, content, encoding),
      });
      const recorded = await db()
        .update(outboxMessages)
        .set({ state: "sent", sentAt: new Date(), attempts: message.attempts + 1, lastError: null, leaseOwner: null, leaseExpiresAt: null })
        .where(holding)
        .returning({ id: outboxMessages.id });
      if (recorded.length === 0) console.warn(`outbox message ${message.id} was sent after its lease ran out`);
      sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      const delay = RETRY_DELAYS_MS[attempts - 1];
      await db()
        .update(outboxMessages)
        .set({
          state: delay === undefined ? "failed" : "queued",
          attempts,
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
          nextAttemptAt: new Date(now.getTime() + (delay ?? 0)),
          leaseOwner: null,
          leaseExpiresAt: null,
        })
        .where(holding);
      failed++;
    }
  }
  return { sent, failed };
}

/**
 * One calendar per e-mail. A calendar message is the text/calendar part with its method, as
 * the alternative to the text that Outlook and Gmail read, plus exactly one attachment named
 * after the method (request.ics, cancel.ics…) for clients that only look at attachments.
 * nodemailer's `icalEvent` is not used: it adds a third copy (application/ics) of its own.
 * Any other attachment goes as it is.
 */
function mailParts(message: OutboxMessage, content: string | null, encoding: string | null) {
  if (!content) return { attachments: [] };
  const calendar = message.attachmentType?.startsWith("text/calendar");
  if (!calendar) {
    return {
      attachments: [
        {
          filename: message.attachmentName ?? "attachment",
          content,
          encoding: encoding ?? undefined,
          contentType: message.attachmentType ?? undefined,
        },
      ],
    };
  }
  const method = /method=([A-Z]+)/i.exec(message.attachmentType ?? "")?.[1]?.toUpperCase() ?? "REQUEST";
  return {
    alternatives: [{ contentType: `text/calendar; charset=utf-8; method=${method}`, content }],
    attachments: [{ filename: message.attachmentName ?? `${method.toLowerCase()}.ics`, content, contentType: "application/ics" }],
  };
}
