import { and, eq, lte } from "drizzle-orm";
import { z } from "zod";
import { delegations, outcomeDocuments, outcomeSilences } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { ValidationError } from "~/lib/errors";
import { isTimeZone } from "~/lib/time-zones";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { Temporal } from "~/lib/zoned.server";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { getOutcomeForMember, outcomeSymbol } from "~/models/outcomes/access.server";
import { reconnectOutcomeEditors } from "~/models/outcomes/live.server";
import { queueOutcomeMessages } from "~/models/outcomes/mail.server";
import { announceOutcomeChange } from "~/models/outcomes/events.server";
import { adoptInTransaction } from "~/models/outcomes/outcomes.server";
import { readLiveText } from "~/models/outcomes/state.server";
import { bodies, meetings } from "#db/schema";

/**
 * The silence procedure (ADR 018): the secretariat puts a text with no open bracket under
 * silence until a deadline; any head may break silence with a reason; if nobody does, the
 * server adopts the text at the deadline, durably and once.
 */

const startSchema = z.object({
  date: z.iso.date({ message: "errors:validation.format" }),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/, "errors:validation.format"),
  timeZone: z.string().refine(isTimeZone, "errors:validation.timeZone"),
});

/** The instant a wall-clock time names in a zone; a time that does not exist there (a DST gap) is an error. */
export function deadlineInstant(date: string, time: string, timeZone: string): Date {
  const plain = Temporal.PlainDateTime.from(`${date}T${time.length === 5 ? `${time}:00` : time}`);
  try {
    return new Date(plain.toZonedDateTime(timeZone, { disambiguation: "reject" }).epochMilliseconds);
  } catch {
    throw ValidationError.field("time", "outcomes:errors.deadlineGap", { zone: timeZone });
  }
}

export async function startSilence({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, body, meeting } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  if (document.status !== "negotiating") throw ValidationError.field("", "outcomes:errors.notNegotiating");
  const fields = parseInput(startSchema, input);
  const deadline = deadlineInstant(fields.date, fields.time, fields.timeZone);
  if (deadline.getTime() <= now.getTime()) throw ValidationError.field("date", "outcomes:errors.deadlinePast");
  const live = await readLiveText(documentId);
  if (live.brackets.length) throw ValidationError.field("", "outcomes:errors.openBrackets", { count: live.brackets.length });
  const symbol = outcomeSymbol(body, meeting, document);
  await withTransaction(async (tx, afterCommit) => {
    const changed = await tx.update(outcomeDocuments).set({ status: "silence", contentHash: live.hash, version: document.version + 1 }).where(and(eq(outcomeDocuments.id, documentId), eq(outcomeDocuments.status, "negotiating"))).returning({ id: outcomeDocuments.id });
    if (!changed.length) throw ValidationError.field("", "outcomes:errors.notNegotiating");
    const [silence] = await tx.insert(outcomeSilences).values({ documentId, contentHash: live.hash, deadline, timeZone: fields.timeZone, startedBy: actor.id, startedAt: now }).returning();
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.silence.start", entityType: "outcome_document", entityId: documentId, after: { silenceId: silence.id, deadline: deadline.toISOString(), timeZone: fields.timeZone, hash: live.hash } });
    await queueOutcomeMessages(tx, afterCommit, document, symbol, "silenceStarted", { deadline, hash: live.hash });
    afterCommit(() => reconnectOutcomeEditors(documentId));
  });
  announceOutcomeChange(documentId, actor, "silence.start");
}

const breakSchema = z.object({ reason: z.string().trim().min(1).max(2000) });

/** A head breaks silence with a reason: the procedure ends and negotiation reopens. */
export async function breakSilence({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, body, meeting, delegations: list } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.clear", { delegationId: member.delegationId });
  if (document.status !== "silence") throw ValidationError.field("", "outcomes:errors.noSilence");
  const { reason } = parseInput(breakSchema, input);
  const symbol = outcomeSymbol(body, meeting, document);
  const code = list.find((d) => d.id === member.delegationId)?.code ?? "";
  await withTransaction(async (tx, afterCommit) => {
    // Guarded by status: a deadline that fired a moment earlier wins, and this is refused.
    const broken = await tx
      .update(outcomeSilences)
      .set({ status: "broken", brokenBy: actor.id, brokenDelegationId: member.delegationId, reason, endedAt: now })
      .where(and(eq(outcomeSilences.documentId, documentId), eq(outcomeSilences.status, "running")))
      .returning({ id: outcomeSilences.id });
    if (!broken.length) throw ValidationError.field("", "outcomes:errors.noSilence");
    await tx.update(outcomeDocuments).set({ status: "negotiating", version: document.version + 1 }).where(eq(outcomeDocuments.id, documentId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.silence.break", entityType: "outcome_document", entityId: documentId, before: { status: "silence" }, after: { status: "negotiating", reason, delegationId: member.delegationId } });
    await queueOutcomeMessages(tx, afterCommit, document, symbol, "silenceBroken", { reason, delegation: code, exceptUserId: actor.id });
    afterCommit(() => reconnectOutcomeEditors(documentId));
  });
  announceOutcomeChange(documentId, actor, "silence.break");
}

/**
 * The deadline job. Each silence past its deadline is adopted in one transaction whose first
 * statement is the claim: `status = 'running' → 'adopted'`. The adoption, its audit event and
 * its messages commit together or not at all, so a crash at any point leaves it either done
 * (never repeated) or still running, and the next run on any instance — the restarted one at
 * start-up — adopts it at once. Two instances racing both try; the write lock orders them and
 * the second finds nothing to claim (ADR 018).
 */
export async function runDueSilences({ now = new Date() }: { now?: Date } = {}): Promise<{ adopted: string[] }> {
  const due = await db()
    .select({ id: outcomeSilences.id })
    .from(outcomeSilences)
    .where(and(eq(outcomeSilences.status, "running"), lte(outcomeSilences.deadline, now)))
    .limit(20);
  const adopted: string[] = [];
  for (const { id } of due) {
    const done = await withTransaction(async (tx, afterCommit) => {
      const ended = await tx
        .update(outcomeSilences)
        .set({ status: "adopted", endedAt: now })
        .where(and(eq(outcomeSilences.id, id), eq(outcomeSilences.status, "running")))
        .returning();
      if (!ended.length) return null;
      const silence = ended[0];
      const [document] = await tx.select().from(outcomeDocuments).where(eq(outcomeDocuments.id, silence.documentId));
      if (!document || document.status !== "silence") return null;
      const [meeting] = await tx.select().from(meetings).where(eq(meetings.id, document.meetingId));
      const [body] = await tx.select().from(bodies).where(eq(bodies.id, document.bodyId));
      await adoptInTransaction(tx, afterCommit, document, silence.contentHash, "silence", now, null, outcomeSymbol(body, meeting, document));
      afterCommit(() => reconnectOutcomeEditors(document.id));
      afterCommit(() => announceOutcomeChange(document.id, null, "adopt"));
      return document.id;
    });
    if (done) adopted.push(done);
  }
  return { adopted };
}

/** Each capital's wall-clock time of a deadline, for pages and messages. */
export async function capitalsOf(bodyId: string) {
  return db().select({ code: delegations.code, timeZone: delegations.timeZone }).from(delegations).where(eq(delegations.bodyId, bodyId));
}
