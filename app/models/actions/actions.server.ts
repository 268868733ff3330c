import { and, asc, eq, inArray, max } from "drizzle-orm";
import { z } from "zod";
import {
  actionItemAssignees,
  actionItemEvents,
  actionItems,
  agendaItems,
  actionStatuses,
  delegations,
  markings,
  meetings,
  memberships,
  priorities,
  users,
  type ActionStatus,
} from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { sanitizeRichText } from "~/lib/rich-text.server";
import { LIMITS, parseInput, scopeId, formConstraints, optionalId } from "~/lib/validation";
import { todayIn } from "~/lib/zoned.server";
import { audienceFor } from "~/models/core/audience.server";
import { actionRecord } from "./audience.server";
import { assertCan, assertMember, authorize, type Membership } from "~/models/core/access.server";
import { getProfile } from "~/models/people/accounts.server";
import { meetingDay, nextMeetingAfter, refreshDueDates } from "~/models/actions/due.server";
import { whyNotSetActionStatus } from "~/lib/permissions";
import { withTransaction } from "~/lib/transaction.server";
import { recordAudit } from "~/models/core/audit.server";
import { whoChanged } from "~/models/core/names.server";
import { announceChipsChanged } from "~/models/minutes/live.server";

export type ActionItem = typeof actionItems.$inferSelect;

const CLOSED: ActionStatus[] = ["done", "dropped"];
export const isClosed = (status: ActionStatus) => CLOSED.includes(status);

/** An item with the viewer's membership of its body; outsiders get NotFound. */
export async function getItemForMember(tx: DbOrTx, actor: Actor, itemId: string): Promise<{ item: ActionItem; member: Membership }> {
  const [item] = await tx.select().from(actionItems).where(eq(actionItems.id, itemId)).limit(1);
  if (!item) throw new NotFoundError("action item");
  const member = await assertMember(tx, actor, item.bodyId);
  // Outside the item's TLP audience it does not exist for this reader.
  if (!(await audienceFor(tx, member, item.originMeetingId)).may(actionRecord(item))) throw new NotFoundError("action item");
  return { item, member };
}

// ---------- input ----------

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => [...new Set((Array.isArray(v) ? v : v ? [v] : []).filter(Boolean))])
  .pipe(z.array(z.string().max(64)).max(20, { message: "actions:errors.tooManyAssignees" }));

const fieldsSchema = z
  .object({
    title: z.string().trim().min(1).max(LIMITS.title),
    detail: z.string().max(LIMITS.text).default(""),
    ownerDelegationId: z.string().min(1).max(64),
    assigneeIds: ids,
    dueKind: z.enum(["date", "next_meeting"]),
    dueDate: z.iso.date({ message: "errors:validation.date" }).optional().or(z.literal("").transform(() => undefined)),
    priority: z.enum(priorities).default("normal"),
    marking: z.enum(markings),
    originMeetingId: optionalId(),
    originAgendaItemId: optionalId(),
  })
  .refine((v) => v.dueKind !== "date" || v.dueDate, { path: ["dueDate"], message: "errors:validation.required" });

type Fields = z.output<typeof fieldsSchema>;

/** The item form's limits, for the browser. */
export const actionConstraints = formConstraints(fieldsSchema);

/** Owner, assignees and origin must all belong to this body; anything else is a field error. */
async function checkReferences(tx: DbOrTx, bodyId: string, data: Fields) {
  const [owner] = await tx
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(eq(delegations.id, data.ownerDelegationId), eq(delegations.bodyId, bodyId)));
  if (!owner) throw ValidationError.field("ownerDelegationId", "errors:validation.choice");
  if (data.assigneeIds.length) {
    const found = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.bodyId, bodyId), eq(memberships.active, true), inArray(memberships.userId, data.assigneeIds)));
    if (found.length !== data.assigneeIds.length) throw ValidationError.field("assigneeIds", "actions:errors.assigneeNotMember");
  }
  if (data.originMeetingId) {
    const [origin] = await tx
      .select({ id: meetings.id })
      .from(meetings)
      .where(and(eq(meetings.id, data.originMeetingId), eq(meetings.bodyId, bodyId)));
    if (!origin) throw ValidationError.field("originMeetingId", "errors:validation.choice");
  }
  if (data.originAgendaItemId) {
    const [item] = await tx
      .select({ id: agendaItems.id })
      .from(agendaItems)
      .where(and(eq(agendaItems.id, data.originAgendaItemId), eq(agendaItems.bodyId, bodyId), data.originMeetingId ? eq(agendaItems.meetingId, data.originMeetingId) : undefined));
    if (!item) throw ValidationError.field("originAgendaItemId", "errors:validation.choice");
  }
}

/** The columns the form sets directly (the due date is resolved separately). */
function columnsOf(data: Fields, detail: string) {
  return {
    title: data.title,
    detail,
    ownerDelegationId: data.ownerDelegationId,
    dueKind: data.dueKind,
    priority: data.priority,
    marking: data.marking,
    originMeetingId: data.originMeetingId,
    originAgendaItemId: data.originAgendaItemId,
  };
}

/** Where "due" lands: the date asked for, or the local date of the next meeting after the origin. */
async function resolveDue(tx: DbOrTx, bodyId: string, data: Fields, createdAt: Date) {
  if (data.dueKind === "date") return { dueDate: data.dueDate!, dueOn: data.dueDate!, dueMeetingId: null };
  let after = createdAt;
  if (data.originMeetingId) {
    const [origin] = await tx.select({ startsAt: meetings.startsAt }).from(meetings).where(eq(meetings.id, data.originMeetingId));
    if (origin) after = origin.startsAt;
  }
  const next = await nextMeetingAfter(tx, bodyId, after);
  return { dueDate: null, dueOn: next ? meetingDay(next) : null, dueMeetingId: next?.id ?? null };
}

function snapshot(item: ActionItem, assigneeIds: string[]) {
  return {
    title: item.title,
    detail: item.detail,
    ownerDelegationId: item.ownerDelegationId,
    assigneeIds: [...assigneeIds].sort(),
    dueKind: item.dueKind,
    dueDate: item.dueDate,
    priority: item.priority,
    marking: item.marking,
    originMeetingId: item.originMeetingId,
    originAgendaItemId: item.originAgendaItemId,
    status: item.status,
  };
}

function diff(before: Record<string, unknown>, after: Record<string, unknown>) {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}

async function assigneesOf(tx: DbOrTx, itemId: string) {
  return (await tx.select({ userId: actionItemAssignees.userId }).from(actionItemAssignees).where(eq(actionItemAssignees.itemId, itemId))).map((a) => a.userId);
}

/** Refuses a save made against an older version, handing back what is there now. */
async function assertVersion(tx: DbOrTx, item: ActionItem, version: number) {
  if (item.version === version) return;
  throw new ConflictError({ ...snapshot(item, await assigneesOf(tx, item.id)), version: item.version }, await whoChanged(tx, item.updatedBy), item.updatedAt);
}

// ---------- writing ----------

/** A new item, open. Delegates, heads and the secretariat create; the due date may not be past. */
export async function createAction({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<ActionItem> {
  const bodyId = scopeId(input, "bodyId");
  await authorize(db(), actor, bodyId, "actions.create");
  const data = parseInput(fieldsSchema, input);
  const zone = (await getProfile(actor.id))?.effectiveTimeZone ?? "UTC";
  if (data.dueKind === "date" && data.dueDate! < todayIn(zone, now)) throw ValidationError.field("dueDate", "actions:errors.dueInPast");
  const detail = sanitizeRichText(data.detail);
  return withTransaction(async (tx, afterCommit) => {
    await authorize(tx, actor, bodyId, "actions.create");
    await checkReferences(tx, bodyId, data);
    const [top] = await tx.select({ n: max(actionItems.ref) }).from(actionItems).where(eq(actionItems.bodyId, bodyId));
    const due = await resolveDue(tx, bodyId, data, now);
    const [item] = await tx
      .insert(actionItems)
      .values({
        bodyId,
        ref: Number(top?.n ?? 0) + 1,
        ...columnsOf(data, detail),
        ...due,
        createdBy: actor.id,
        updatedBy: actor.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (data.assigneeIds.length) await tx.insert(actionItemAssignees).values(data.assigneeIds.map((userId) => ({ itemId: item.id, userId })));
    await tx.insert(actionItemEvents).values({
      itemId: item.id,
      actorId: actor.id,
      kind: "created",
      meetingId: data.originMeetingId,
      statusAfter: "open",
      at: now,
    });
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "action.create", entityType: "action_item", entityId: item.id, after: snapshot(item, data.assigneeIds) });
    afterCommit(() => announceChipsChanged(item.originMeetingId));
    return item;
  });
}

const versionSchema = z.object({ version: z.coerce.number().int().min(1) });

/** Changes the item's content. Officials cannot; they update status and progress instead. */
export async function editAction({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<ActionItem> {
  const itemId = scopeId(input, "itemId");
  const { member } = await getItemForMember(db(), actor, itemId);
  assertCan(member, "actions.edit");
  const data = parseInput(fieldsSchema.and(versionSchema), input);
  const detail = sanitizeRichText(data.detail);
  return withTransaction(async (tx, afterCommit) => {
    const { item: before } = await getItemForMember(tx, actor, itemId);
    await assertVersion(tx, before, data.version);
    await checkReferences(tx, before.bodyId, data);
    const beforeAssignees = await assigneesOf(tx, itemId);
    const due = await resolveDue(tx, before.bodyId, data, before.createdAt);
    // A new due date may not be in the past, but an old one that has passed may stay.
    if (data.dueKind === "date" && data.dueDate !== before.dueDate) {
      const zone = (await getProfile(actor.id))?.effectiveTimeZone ?? "UTC";
      if (data.dueDate! < todayIn(zone, now)) throw ValidationError.field("dueDate", "actions:errors.dueInPast");
    }
    const [after] = await tx
      .update(actionItems)
      .set({
        ...columnsOf(data, detail),
        ...due,
        version: before.version + 1,
        updatedBy: actor.id,
        updatedAt: now,
      })
      .where(eq(actionItems.id, itemId))
      .returning();
    await tx.delete(actionItemAssignees).where(eq(actionItemAssignees.itemId, itemId));
    if (data.assigneeIds.length) await tx.insert(actionItemAssignees).values(data.assigneeIds.map((userId) => ({ itemId, userId })));
    const changes = diff(snapshot(before, beforeAssignees), snapshot(after, data.assigneeIds));
    if (Object.keys(changes).length) {
      await tx.insert(actionItemEvents).values({ itemId, actorId: actor.id, kind: "edited", changes, statusAfter: after.status, at: now });
    }
    await recordAudit(tx, {
      bodyId: before.bodyId,
      actorId: actor.id,
      action: "action.edit",
      entityType: "action_item",
      entityId: itemId,
      before: snapshot(before, beforeAssignees),
      after: snapshot(after, data.assigneeIds),
    });
    // A chip in the minutes shows the title as it is now, to those who may read it (ADR 042).
    afterCommit(() => {
      announceChipsChanged(after.originMeetingId);
      if (before.originMeetingId !== after.originMeetingId) announceChipsChanged(before.originMeetingId);
    });
    return after;
  });
}

const progressSchema = z.object({
  version: z.coerce.number().int().min(1),
  status: z.enum(actionStatuses),
  note: z.string().trim().max(5000).optional().transform((v) => v || null),
  meetingId: optionalId(),
});
export const progressConstraints = formConstraints(progressSchema);

/**
 * Status and a progress note: what officials may do for their own delegation's items (and
 * editors for any). Dropping an item, or reviving a dropped one, is for delegates, heads and
 * the secretariat. Given a meeting, the entry is the item's review at that meeting.
 */
export async function updateProgress({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<ActionItem> {
  const itemId = scopeId(input, "itemId");
  const { item: current, member } = await getItemForMember(db(), actor, itemId);
  assertCan(member, "actions.update", { delegationId: current.ownerDelegationId });
  const data = parseInput(progressSchema, input);
  return withTransaction(async (tx, afterCommit) => {
    const { item: before, member: m } = await getItemForMember(tx, actor, itemId);
    assertCan(m, "actions.update", { delegationId: before.ownerDelegationId });
    await assertVersion(tx, before, data.version);
    const refused = whyNotSetActionStatus(m, before.status, data.status);
    if (refused) throw new ForbiddenError(refused);
    if (data.meetingId) {
      const [meeting] = await tx
        .select({ id: meetings.id, status: meetings.status })
        .from(meetings)
        .where(and(eq(meetings.id, data.meetingId), eq(meetings.bodyId, before.bodyId)));
      if (!meeting || meeting.status === "cancelled") throw ValidationError.field("meetingId", "errors:validation.choice");
    }
    if (data.status === before.status && !data.note && !data.meetingId) throw ValidationError.field("note", "actions:errors.nothingToRecord");
    const closing = isClosed(data.status) && !isClosed(before.status);
    const reopening = !isClosed(data.status) && isClosed(before.status);
    const [after] = await tx
      .update(actionItems)
      .set({
        status: data.status,
        closedAt: closing ? now : reopening ? null : before.closedAt,
        version: before.version + 1,
        updatedBy: actor.id,
        updatedAt: now,
      })
      .where(eq(actionItems.id, itemId))
      .returning();
    await tx.insert(actionItemEvents).values({
      itemId,
      actorId: actor.id,
      kind: data.meetingId ? "review" : data.status !== before.status ? "status" : "note",
      meetingId: data.meetingId,
      changes: data.status !== before.status ? { status: { from: before.status, to: data.status } } : null,
      note: data.note,
      statusAfter: data.status,
      at: now,
    });
    // A review at a meeting carries an open item over: "by the next meeting" now means the one after.
    if (data.meetingId) await refreshDueDates(tx, before.bodyId);
    await recordAudit(tx, {
      bodyId: before.bodyId,
      actorId: actor.id,
      action: data.meetingId ? "action.review" : "action.progress",
      entityType: "action_item",
      entityId: itemId,
      before: { status: before.status },
      after: { status: data.status, note: data.note, meetingId: data.meetingId },
    });
    afterCommit(() => announceChipsChanged(after.originMeetingId));
    return after;
  });
}

// ---------- reading one ----------

export interface TimelineEntry {
  id: number;
  kind: (typeof actionItemEvents.$inferSelect)["kind"];
  at: Date;
  actorName: string | null;
  meetingId: string | null;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  note: string | null;
  statusAfter: ActionStatus;
}

/** The item, its assignees and its whole history, for a member of the body. */
export async function getActionPage({ actor, itemId }: { actor: Actor; itemId: string }) {
  const { item, member } = await getItemForMember(db(), actor, itemId);
  const assignees = await db()
    .select({ id: users.id, name: users.name })
    .from(actionItemAssignees)
    .innerJoin(users, eq(users.id, actionItemAssignees.userId))
    .where(eq(actionItemAssignees.itemId, itemId))
    .orderBy(asc(users.name));
  const timeline: TimelineEntry[] = await db()
    .select({
      id: actionItemEvents.id,
      kind: actionItemEvents.kind,
      at: actionItemEvents.at,
      actorName: users.name,
      meetingId: actionItemEvents.meetingId,
      changes: actionItemEvents.changes,
      note: actionItemEvents.note,
      statusAfter: actionItemEvents.statusAfter,
    })
    .from(actionItemEvents)
    .leftJoin(users, eq(users.id, actionItemEvents.actorId))
    .where(eq(actionItemEvents.itemId, itemId))
    .orderBy(asc(actionItemEvents.at), asc(actionItemEvents.id));
  const bodyMeetings = await db()
    .select({ id: meetings.id, ordinal: meetings.ordinal, title: meetings.title, startsAt: meetings.startsAt, timeZone: meetings.timeZone, status: meetings.status })
    .from(meetings)
    .where(eq(meetings.bodyId, item.bodyId))
    .orderBy(asc(meetings.startsAt));
  return { item, member, assignees, timeline, meetings: bodyMeetings, carried: carriedThrough(item, bodyMeetings) };
}

/**
 * How many meetings the item has been carried through: held meetings after the one that
 * raised it (or after it was created) while it stayed open.
 */
export function carriedThrough(
  item: Pick<ActionItem, "originMeetingId" | "createdAt" | "closedAt">,
  list: ReadonlyArray<{ id: string; startsAt: Date; status: string }>,
  now = new Date(),
): number {
  const origin = list.find((m) => m.id === item.originMeetingId);
  const from = origin ? origin.startsAt.getTime() : item.createdAt.getTime();
  const until = (item.closedAt ?? now).getTime();
  return list.filter((m) => m.status === "held" && m.startsAt.getTime() > from && m.startsAt.getTime() <= until).length;
}
