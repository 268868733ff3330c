import { and, asc, eq, gt, inArray, ne } from "drizzle-orm";
import { actionItemEvents, actionItems, meetings } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { localParts } from "~/lib/meeting-time.server";

/** The first meeting of the body that will take place after an instant (cancelled ones do not count). */
export async function nextMeetingAfter(tx: DbOrTx, bodyId: string, after: Date) {
  const [meeting] = await tx
    .select({ id: meetings.id, startsAt: meetings.startsAt, timeZone: meetings.timeZone })
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), ne(meetings.status, "cancelled"), gt(meetings.startsAt, after)))
    .orderBy(asc(meetings.startsAt))
    .limit(1);
  return meeting ?? null;
}

/** The local date a meeting happens on, where it was set: what "due by that meeting" means. */
export const meetingDay = (m: { startsAt: Date; timeZone: string }) => localParts(m.startsAt, m.timeZone).date;

/**
 * When "by the next meeting" is counted from: the last meeting the item was reviewed at and
 * carried over from, else the meeting that raised it, else its creation.
 */
export async function dueAnchor(tx: DbOrTx, item: { id: string; originMeetingId: string | null; createdAt: Date }, starts: Map<string, Date>): Promise<Date> {
  const reviews = await tx
    .select({ meetingId: actionItemEvents.meetingId })
    .from(actionItemEvents)
    .where(and(eq(actionItemEvents.itemId, item.id), eq(actionItemEvents.kind, "review")));
  const times = reviews.map((r) => (r.meetingId ? starts.get(r.meetingId)?.getTime() : undefined)).filter((t): t is number => t !== undefined);
  const origin = item.originMeetingId ? starts.get(item.originMeetingId)?.getTime() : undefined;
  const latest = Math.max(...times, origin ?? -Infinity);
  return Number.isFinite(latest) ? new Date(latest) : item.createdAt;
}

/**
 * Items due "by the next meeting" follow that meeting: when it moves, is cancelled, a new
 * meeting comes first, or the item is reviewed and carried over, their due date follows.
 * Called in the same transaction as any change to the body's meetings or the item.
 */
export async function refreshDueDates(tx: DbOrTx, bodyId: string): Promise<void> {
  const items = await tx
    .select({ id: actionItems.id, originMeetingId: actionItems.originMeetingId, createdAt: actionItems.createdAt, dueOn: actionItems.dueOn, dueMeetingId: actionItems.dueMeetingId })
    .from(actionItems)
    .where(and(eq(actionItems.bodyId, bodyId), eq(actionItems.dueKind, "next_meeting"), inArray(actionItems.status, ["open", "in_progress"])));
  if (items.length === 0) return;
  const starts = new Map(
    (await tx.select({ id: meetings.id, startsAt: meetings.startsAt }).from(meetings).where(eq(meetings.bodyId, bodyId))).map((m) => [m.id, m.startsAt]),
  );
  for (const item of items) {
    const after = await dueAnchor(tx, item, starts);
    const next = await nextMeetingAfter(tx, bodyId, after);
    const dueOn = next ? meetingDay(next) : null;
    if (dueOn !== item.dueOn || (next?.id ?? null) !== item.dueMeetingId) {
      await tx.update(actionItems).set({ dueOn, dueMeetingId: next?.id ?? null }).where(eq(actionItems.id, item.id));
    }
  }
}
