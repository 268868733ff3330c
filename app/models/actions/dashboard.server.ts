import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { actionItemAssignees, actionItems, actionStatuses, markings, meetings, users, type ActionStatus } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { parseInput } from "~/lib/validation";
import { addDays, todayIn } from "~/lib/zoned.server";
import { audiencesFor } from "~/models/core/audience.server";
import { actionRecord } from "./audience.server";
import { authorize } from "~/models/core/access.server";
import { getProfile } from "~/models/people/accounts.server";
import { carriedThrough, isClosed, type ActionItem } from "~/models/actions/actions.server";

export const dueWindows = ["overdue", "week", "month", "none"] as const;

/** The dashboard's filters, exactly as they appear in the URL so a view can be bookmarked and shared. */
export const filtersSchema = z.object({
  delegation: z.string().max(64).optional().or(z.literal("").transform(() => undefined)),
  status: z.enum([...actionStatuses, "active", "all"]).optional().or(z.literal("").transform(() => undefined)),
  assignee: z.string().max(64).optional().or(z.literal("").transform(() => undefined)),
  meeting: z.string().max(64).optional().or(z.literal("").transform(() => undefined)),
  due: z.enum(dueWindows).optional().or(z.literal("").transform(() => undefined)),
  marking: z.enum(markings).optional().or(z.literal("").transform(() => undefined)),
  mine: z.enum(["1"]).optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
});
export type ActionFilters = z.output<typeof filtersSchema>;

export interface ActionRow {
  id: string;
  ref: number;
  title: string;
  ownerDelegationId: string;
  status: ActionStatus;
  priority: ActionItem["priority"];
  marking: ActionItem["marking"];
  dueKind: ActionItem["dueKind"];
  dueOn: string | null;
  originMeetingId: string | null;
  assignees: Array<{ id: string; name: string }>;
  overdue: boolean;
  carried: number;
  createdAt: Date;
  closedAt: Date | null;
}

const PAGE_SIZE = 100;
const priorityRank = { high: 0, normal: 1, low: 2 } as const;

/**
 * Overdue first (longest overdue first), then due soonest, then undated; closed items last.
 * The order people walk a backlog in.
 */
function compare(a: ActionRow, b: ActionRow) {
  const group = (r: ActionRow) => (isClosed(r.status) ? 3 : r.overdue ? 0 : r.dueOn ? 1 : 2);
  return (
    group(a) - group(b) ||
    (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999") ||
    priorityRank[a.priority] - priorityRank[b.priority] ||
    a.ref - b.ref
  );
}

/** Every item of the body that matches the filters, in dashboard order, with the numbers above it. */
export async function listActions({ actor, bodyId, input, now = new Date() }: { actor: Actor; bodyId: string; input: unknown; now?: Date }) {
  const member = await authorize(db(), actor, bodyId, "body.read");
  const filters = parseInput(filtersSchema, input);
  const zone = (await getProfile(actor.id))?.effectiveTimeZone ?? "UTC";
  const today = todayIn(zone, now);

  const conditions: SQL[] = [eq(actionItems.bodyId, bodyId)];
  if (filters.delegation) conditions.push(eq(actionItems.ownerDelegationId, filters.delegation));
  if (filters.status === "active" || filters.status === undefined) conditions.push(inArray(actionItems.status, ["open", "in_progress"]));
  else if (filters.status !== "all") conditions.push(eq(actionItems.status, filters.status));
  if (filters.meeting) conditions.push(eq(actionItems.originMeetingId, filters.meeting));
  if (filters.marking) conditions.push(eq(actionItems.marking, filters.marking));
  const assignee = filters.mine ? actor.id : filters.assignee;
  if (assignee) {
    const mine = db().select({ id: actionItemAssignees.itemId }).from(actionItemAssignees).where(eq(actionItemAssignees.userId, assignee));
    conditions.push(inArray(actionItems.id, mine));
  }

  const items = await db()
    .select({
      id: actionItems.id,
      ref: actionItems.ref,
      title: actionItems.title,
      ownerDelegationId: actionItems.ownerDelegationId,
      status: actionItems.status,
      priority: actionItems.priority,
      marking: actionItems.marking,
      dueKind: actionItems.dueKind,
      dueOn: actionItems.dueOn,
      originMeetingId: actionItems.originMeetingId,
      createdAt: actionItems.createdAt,
      closedAt: actionItems.closedAt,
      createdBy: actionItems.createdBy,
    })
    .from(actionItems)
    .where(and(...conditions))
    .then(async (found) => {
      // The TLP rule, against the meeting each item came from: the dashboard and its CSV show only what the reader may read.
      const audience = await audiencesFor(db(), member, found.map((i) => i.originMeetingId));
      return found.filter((i) => audience(i.originMeetingId).may(actionRecord(i)));
    });
  const bodyMeetings = await db()
    .select({ id: meetings.id, startsAt: meetings.startsAt, status: meetings.status })
    .from(meetings)
    .where(eq(meetings.bodyId, bodyId))
    .orderBy(asc(meetings.startsAt));
  const horizon = filters.due === "week" ? addDays(today, 7) : filters.due === "month" ? addDays(today, 30) : null;
  let rows: ActionRow[] = items.map((item) => ({
    id: item.id,
    ref: item.ref,
    title: item.title,
    ownerDelegationId: item.ownerDelegationId,
    status: item.status,
    priority: item.priority,
    marking: item.marking,
    dueKind: item.dueKind,
    dueOn: item.dueOn,
    originMeetingId: item.originMeetingId,
    assignees: [] as Array<{ id: string; name: string }>,
    overdue: !isClosed(item.status) && item.dueOn !== null && item.dueOn < today,
    carried: carriedThrough(item, bodyMeetings, now),
    createdAt: item.createdAt,
    closedAt: item.closedAt,
  }));
  if (filters.due === "overdue") rows = rows.filter((r) => r.overdue);
  else if (horizon) rows = rows.filter((r) => r.dueOn !== null && r.dueOn >= today && r.dueOn <= horizon);
  else if (filters.due === "none") rows = rows.filter((r) => r.dueOn === null);
  rows.sort(compare);

  const start = (filters.page - 1) * PAGE_SIZE;
  const page = rows.slice(start, start + PAGE_SIZE);
  await withAssignees(page);
  return {
    filters,
    today,
    total: rows.length,
    rows: page,
    hasMore: rows.length > start + PAGE_SIZE,
    /** Every matching row, for exports: assignees are read only when asked for. */
    all: async () => withAssignees(rows),
  };
}

/** Fills in the assignees of the given rows (only those: a page is 100 of possibly thousands). */
async function withAssignees(rows: ActionRow[]): Promise<ActionRow[]> {
  const ids = rows.map((r) => r.id);
  const byItem = new Map<string, Array<{ id: string; name: string }>>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await db()
      .select({ itemId: actionItemAssignees.itemId, id: users.id, name: users.name })
      .from(actionItemAssignees)
      .innerJoin(users, eq(users.id, actionItemAssignees.userId))
      .where(inArray(actionItemAssignees.itemId, ids.slice(i, i + 500)));
    for (const a of found) byItem.set(a.itemId, [...(byItem.get(a.itemId) ?? []), { id: a.id, name: a.name }]);
  }
  for (const r of rows) r.assignees = (byItem.get(r.id) ?? []).sort((a, b) => a.name.localeCompare(b.name));
  return rows;
}

/** Counts per delegation and status over the whole body, and the trend after each held meeting. */
export async function actionCounts({ actor, bodyId, now = new Date() }: { actor: Actor; bodyId: string; now?: Date }) {
  const member = await authorize(db(), actor, bodyId, "body.read");
  const zone = (await getProfile(actor.id))?.effectiveTimeZone ?? "UTC";
  const today = todayIn(zone, now);
  // Grouped also by what the TLP rule looks at (marking, meeting, whether the reader raised it),
  // so the numbers count only items inside the reader's audience, like the list below them.
  const mine = sql<number>`case when ${actionItems.createdBy} = ${actor.id} then 1 else 0 end`;
  const grouped = await db()
    .select({
      owner: actionItems.ownerDelegationId,
      status: actionItems.status,
      marking: actionItems.marking,
      meetingId: actionItems.originMeetingId,
      mine,
      n: sql<number>`count(*)`,
      overdue: sql<number>`sum(case when ${actionItems.dueOn} < ${today} then 1 else 0 end)`,
    })
    .from(actionItems)
    .where(eq(actionItems.bodyId, bodyId))
    .groupBy(actionItems.ownerDelegationId, actionItems.status, actionItems.marking, actionItems.originMeetingId, mine);
  const lifetimes = await db()
    .select({ owner: actionItems.ownerDelegationId, createdAt: actionItems.createdAt, closedAt: actionItems.closedAt, marking: actionItems.marking, meetingId: actionItems.originMeetingId, createdBy: actionItems.createdBy })
    .from(actionItems)
    .where(eq(actionItems.bodyId, bodyId));
  const audience = await audiencesFor(db(), member, lifetimes.map((i) => i.meetingId));
  const visible = (i: { owner: string; marking: string; meetingId: string | null; createdBy: string | null }) =>
    audience(i.meetingId).may(actionRecord({ marking: i.marking as ActionRow["marking"], ownerDelegationId: i.owner, createdBy: i.createdBy }));
  const counts: Record<string, Record<ActionStatus | "overdue", number>> = {};
  for (const g of grouped) {
    if (!visible({ ...g, createdBy: Number(g.mine) ? actor.id : null })) continue;
    const row = (counts[g.owner] ??= { open: 0, in_progress: 0, done: 0, dropped: 0, overdue: 0 });
    row[g.status] += Number(g.n);
    if (!isClosed(g.status)) row.overdue += Number(g.overdue ?? 0);
  }

  // Is the backlog shrinking? Open and closed items per delegation at the end of each held meeting.
  const held = await db()
    .select({ id: meetings.id, ordinal: meetings.ordinal, title: meetings.title, startsAt: meetings.startsAt, durationMinutes: meetings.durationMinutes })
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), eq(meetings.status, "held")))
    .orderBy(asc(meetings.startsAt));
  const seen = lifetimes.filter(visible);
  const trend = held.map((m) => {
    const end = m.startsAt.getTime() + m.durationMinutes * 60_000;
    const perDelegation: Record<string, { open: number; closed: number }> = {};
    for (const item of seen) {
      if (item.createdAt.getTime() > end) continue;
      const cell = (perDelegation[item.owner] ??= { open: 0, closed: 0 });
      if (item.closedAt && item.closedAt.getTime() <= end) cell.closed++;
      else cell.open++;
    }
    return { meetingId: m.id, ordinal: m.ordinal, title: m.title, perDelegation };
  });
  return { counts, trend, today };
}
