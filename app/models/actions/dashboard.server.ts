import { and, count, eq, gte, inArray, isNotNull, isNull, lt, lte, notInArray, or, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { actionItemAssignees, actionItems, actionStatuses, bodies, markings, users, type ActionStatus, type Marking } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, inTransaction } from "~/lib/db.server";
import { LIST_TITLE_READ } from "~/lib/list-text";
import { memoized } from "~/lib/request-scope.server";
import { parseInput } from "~/lib/validation";
import { VersionedCache } from "~/lib/versioned-cache";
import { addDays, todayIn } from "~/lib/zoned.server";
import { audiencesFor } from "~/models/core/audience.server";
import { actionRecord } from "./audience.server";
import { authorize, memberBody, type Membership } from "~/models/core/access.server";
import { meetingsOfBody } from "~/models/core/scope.server";
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
  /**
   * On a page's rows, the title's first LIST_TITLE_READ characters: all a list shows of it
   * (ADR 050). Reading 10,000-character titles whole cost more than the rest of the statement.
   * Exports (`all()`) read it whole.
   */
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

/**
 * Items per page of the dashboard: a screenful or two of a backlog walked overdue-first, and a
 * page whose markup and data stay small at any body size (ADR 050; it was 100).
 */
export const PAGE_SIZE = 50;
const ANOTHER_DELEGATION = "(a delegation other than the reader's)";

/**
 * The TLP rule for this reader as facts: `mayRead` (app/lib/markings.ts) stays the one statement
 * of the rule; it is asked for every marking against every meeting's audience (and for records
 * with no meeting), and the answers say, per marking, which origins anyone in the reader's
 * position may read and which only the owner delegation's members (AMBER+STRICT). A record is
 * seen by its creator too. `conditionOf` makes them the WHERE clause, so paging and counting
 * happen in SQL over exactly the rows the reader may see (ADR 034); the facts are also the part
 * of a kept answer's key that says who reads (ADR 055).
 */
interface ReaderVisibility {
  userId: string;
  own: string | null;
  meetingCount: number;
  parts: Array<{ marking: Marking; origin: "none" | "meetings"; always: string[]; owners: string[] }>;
}

function visibleToReader(member: Membership, bodyId: string): Promise<ReaderVisibility> {
  // The list and the counts of one page ask the same question: the answers are found once per
  // request (some 800 `mayRead` answers at 40 meetings), and forgotten with the memo on a write.
  return memoized(`actions.visibleToReader:${bodyId}:${member.userId}`, () => visibilityOf(member, bodyId));
}

async function visibilityOf(member: Membership, bodyId: string): Promise<ReaderVisibility> {
  // The body's meetings come with this reader's audience facts: one statement (ADR 044).
  const ids = (await meetingsOfBody(db(), bodyId, member.userId)).map((m) => m.id);
  const audience = await audiencesFor(db(), member, ids);
  const own = member.delegationId;
  const parts: ReaderVisibility["parts"] = [];
  for (const marking of markings) {
    for (const [origin, list] of [["none", [null]] as const, ["meetings", ids] as const]) {
      const always: string[] = [];
      const owners: string[] = [];
      for (const id of list) {
        const may = audience(id);
        if (may.may(actionRecord({ marking, ownerDelegationId: ANOTHER_DELEGATION }))) always.push(id ?? "");
        else if (own && may.may(actionRecord({ marking, ownerDelegationId: own }))) owners.push(id ?? "");
      }
      if (always.length || owners.length) parts.push({ marking, origin, always, owners });
    }
  }
  return { userId: member.userId, own, meetingCount: ids.length, parts };
}

/** The reader's visibility as a SQL condition: built only when a statement is run. */
function conditionOf(visibility: ReaderVisibility): SQL {
  const where = (origin: "none" | "meetings", found: string[]) =>
    origin === "none" ? isNull(actionItems.originMeetingId) : found.length === visibility.meetingCount ? isNotNull(actionItems.originMeetingId) : inArray(actionItems.originMeetingId, found);
  const anyone: SQL[] = [];
  const ownersOnly: SQL[] = [];
  for (const { marking, origin, always, owners } of visibility.parts) {
    if (always.length) anyone.push(and(eq(actionItems.marking, marking), where(origin, always))!);
    if (owners.length) ownersOnly.push(and(eq(actionItems.marking, marking), where(origin, owners))!);
  }
  const parts: SQL[] = [eq(actionItems.createdBy, visibility.userId), ...anyone];
  if (visibility.own && ownersOnly.length) parts.push(and(eq(actionItems.ownerDelegationId, visibility.own), or(...ownersOnly))!);
  return or(...parts)!;
}

/**
 * Overdue first (longest overdue first), then due soonest, then undated; closed items last;
 * then by priority and number. The order people walk a backlog in, as SQL.
 */
function dashboardOrder(today: string): SQL[] {
  const closed = inArray(actionItems.status, ["done", "dropped"]);
  return [
    sql`case when ${closed} then 3 when ${actionItems.dueOn} < ${today} then 0 when ${actionItems.dueOn} is not null then 1 else 2 end`,
    sql`coalesce(${actionItems.dueOn}, '9999')`,
    sql`case ${actionItems.priority} when 'high' then 0 when 'normal' then 1 else 2 end`,
    sql`${actionItems.ref}`,
  ];
}

const rowColumns = {
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
};

/** The body's data version, as a column of a dashboard statement: read in the same snapshot as its rows. */
const versionOf = (bodyId: string) => sql<number>`(select ${bodies.actionsVersion} from ${bodies} where ${bodies.id} = ${bodyId})`;

/**
 * Pages and counts read at a data version of their body, per reader's facts, filters and day
 * (ADR 055): up to 500 of each per instance (a page of 50 rows with titles cut to 201 characters
 * is about 20 KB).
 */
const pages = new VersionedCache<PageRow[]>(500);
const groups = new VersionedCache<GroupRow[]>(500);

/**
 * A statement's answer at the body's current data version: kept from an earlier request when
 * nothing it reads has been written since, else read now. The version here is the one this
 * request's memberships read saw (the primary); inside a transaction nothing is kept or given.
 */
async function kept<T>(cache: VersionedCache<T>, actor: Actor, bodyId: string, key: unknown[], read: () => Promise<{ version: number | undefined; value: T }>): Promise<T> {
  const mine = inTransaction() ? null : await memberBody(actor, { id: bodyId });
  if (!mine) return (await read()).value;
  return cache.get(key, mine.body.actionsVersion, read);
}

interface PageRow extends Omit<ActionRow, "overdue" | "carried"> {
  total: number;
}

interface GroupRow {
  owner: string;
  status: ActionStatus;
  created: number;
  closed: number | null;
  n: number;
  overdue: number;
  version: number;
}

/** One page of the body's items that match the filters, in dashboard order, with the number of all of them. */
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
  const horizon = filters.due === "week" ? addDays(today, 7) : filters.due === "month" ? addDays(today, 30) : null;
  if (filters.due === "overdue") conditions.push(notInArray(actionItems.status, ["done", "dropped"]), lt(actionItems.dueOn, today));
  else if (horizon) conditions.push(gte(actionItems.dueOn, today), lte(actionItems.dueOn, horizon));
  else if (filters.due === "none") conditions.push(isNull(actionItems.dueOn));
  // The TLP rule, against the meeting each item came from: the dashboard and its CSV show only what the reader may read.
  const visibility = await visibleToReader(member, bodyId);
  const where = () => and(...conditions, conditionOf(visibility));

  const start = (filters.page - 1) * PAGE_SIZE;
  const order = dashboardOrder(today);
  const readPage = async () => {
    // The page, the number of all matching rows (a window count) and each row's assignees in
    // one statement (ADR 040); a page past the end has no row to carry the count. The inner
    // select orders and counts every matching item from the dashboard's covering index alone;
    // only the page's rows are then read whole, with their assignees (ADR 046). Before, every
    // matching row went through the sort whole, titles and assignees included. The body's data
    // version comes with the rows, read by the same statement (ADR 055).
    const ordered = db()
      .select({ id: actionItems.id, total: sql<number>`count(*) over ()`.as("total"), ...Object.fromEntries(order.map((o, i) => [`k${i}`, sql`${o}`.as(`k${i}`)])) })
      .from(actionItems)
      .where(where())
      .orderBy(...order)
      .limit(PAGE_SIZE)
      .offset(start)
      .as("ordered");
    const keys = order.map((_, i) => sql.raw(`"ordered"."k${i}"`));
    const rows = await db()
      .select({ ...rowColumns, title: sql<string>`substr(${actionItems.title}, 1, ${LIST_TITLE_READ})`, total: ordered.total, assigneesJson: assigneesOfRow, version: versionOf(bodyId) })
      .from(ordered)
      .innerJoin(actionItems, eq(actionItems.id, ordered.id))
      .orderBy(...keys);
    // Kept as the rows the page maps: assignees parsed and in order once, not on every request.
    const value = rows.map(({ assigneesJson, version: _version, ...row }) => ({ ...row, assignees: parseAssignees(assigneesJson) }));
    return { version: rows.length ? Number(rows[0].version) : undefined, value };
  };
  // Between two writes to the body's items every reader with the same facts and filters gets
  // the same page: it is kept until the body's data version moves (ADR 055).
  const page = await kept(pages, actor, bodyId, ["page", bodyId, actor.id, visibility, filters, today], readPage);
  const total = page.length ? Number(page[0].total) : start === 0 ? 0 : (await db().select({ total: count() }).from(actionItems).where(where()))[0].total;
  const bodyMeetings = await meetingsOfBody(db(), bodyId, actor.id);
  const toRow = (item: Omit<ActionRow, "overdue" | "carried">): ActionRow => ({
    ...item,
    overdue: !isClosed(item.status) && item.dueOn !== null && item.dueOn < today,
    carried: carriedThrough(item, bodyMeetings, now),
  });
  return {
    filters,
    today,
    total,
    rows: page.map(({ total: _total, ...item }) => toRow(item)),
    hasMore: total > start + PAGE_SIZE,
    /** Every matching row in the same order, for exports; assignees are read only when asked for. */
    all: async () => withAssignees((await db().select(rowColumns).from(actionItems).where(where()).orderBy(...dashboardOrder(today))).map((r) => toRow({ ...r, assignees: [] }))),
  };
}

/** A row's assignees as JSON, read with the row (the page's statement). */
const assigneesOfRow = sql<string>`(select json_group_array(json_object('id', u.id, 'name', u.name)) from action_item_assignees a join users u on u.id = a.user_id where a.item_id = "action_items"."id")`;

/** Assignees by name, as `localeCompare` orders them, with one collator instead of one per comparison. */
const collator = new Intl.Collator();
const byName = (a: { name: string }, b: { name: string }) => collator.compare(a.name, b.name);

function parseAssignees(json: string | null): Array<{ id: string; name: string }> {
  const list = json ? (JSON.parse(json) as Array<{ id: string; name: string }>) : [];
  return list.sort(byName);
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
  for (const r of rows) r.assignees = (byItem.get(r.id) ?? []).sort(byName);
  return rows;
}

/** Each meeting end or a later one's, whichever is later: non-decreasing, so it can be searched by halves. */
function runningMax(ends: number[]): number[] {
  let max = -Infinity;
  return ends.map((end) => (max = Math.max(max, end)));
}

/**
 * The first index i in [lo, hi) with `at <= ends[i]` (`hi` when there is none) as nested CASEs
 * that halve the range: about log2(meetings) comparisons per item instead of one per meeting.
 * `ends` must not decrease (`runningMax`); the first i with at ≤ runningMax(ends)[i] is the
 * first i with at ≤ ends[i], so the answer is the one a CASE over every end in order gives.
 */
function bucketTree(at: SQL, ends: number[], lo: number, hi: number): SQL<number> {
  if (lo === hi) return sql<number>`${lo}`;
  const mid = (lo + hi) >> 1;
  return sql<number>`case when ${at} <= ${ends[mid]} then ${bucketTree(at, ends, lo, mid)} else ${bucketTree(at, ends, mid + 1, hi)} end`;
}

/** Counts per delegation and status over the whole body, and the trend after each held meeting. */
export async function actionCounts({ actor, bodyId, now = new Date() }: { actor: Actor; bodyId: string; now?: Date }) {
  const member = await authorize(db(), actor, bodyId, "body.read");
  const zone = (await getProfile(actor.id))?.effectiveTimeZone ?? "UTC";
  const today = todayIn(zone, now);
  // The numbers count only items inside the reader's audience, like the list below them.
  const visibility = await visibleToReader(member, bodyId);

  // Is the backlog shrinking? Open and closed items per delegation at the end of each held
  // meeting. Each item is counted in SQL by the first meeting end it precedes, once for its
  // creation and once for its closing (an item closed before it was created counts as closed
  // when created); the running sums per meeting follow (ADR 034). The same groups, split by
  // status too, give the counts per delegation and status: one statement for both (ADR 044).
  const held = (await meetingsOfBody(db(), bodyId, actor.id)).filter((m) => m.status === "held");
  const ends = held.map((m) => m.startsAt.getTime() + m.durationMinutes * 60_000);
  const readGroups = async () => {
    const bucketOf = (at: SQL) => (ends.length ? bucketTree(at, runningMax(ends), 0, ends.length) : sql<number>`0`);
    const closedAt = sql`max(${actionItems.createdAt}, ${actionItems.closedAt})`;
    const rows = await db()
      .select({
        owner: actionItems.ownerDelegationId,
        status: actionItems.status,
        created: bucketOf(sql`${actionItems.createdAt}`),
        closed: sql<number | null>`case when ${actionItems.closedAt} is null then null else ${bucketOf(closedAt)} end`,
        n: sql<number>`count(*)`,
        overdue: sql<number>`sum(case when ${actionItems.dueOn} < ${today} then 1 else 0 end)`,
        version: sql<number>`${versionOf(bodyId)}`,
      })
      .from(actionItems)
      .where(and(eq(actionItems.bodyId, bodyId), conditionOf(visibility)))
      .groupBy(sql`1`, sql`2`, sql`3`, sql`4`);
    return { version: rows.length ? Number(rows[0].version) : undefined, value: rows };
  };
  // Kept until the body's data version moves, like the page (ADR 055): the buckets depend on the
  // held meetings' ends and the overdue count on the day, both in the key.
  const grouped = await kept(groups, actor, bodyId, ["groups", bodyId, visibility, today, ends], readGroups);
  const counts: Record<string, Record<ActionStatus | "overdue", number>> = {};
  const running: Record<string, { created: number[]; closed: number[] }> = {};
  for (const g of grouped) {
    const row = (counts[g.owner] ??= { open: 0, in_progress: 0, done: 0, dropped: 0, overdue: 0 });
    row[g.status] += Number(g.n);
    if (!isClosed(g.status)) row.overdue += Number(g.overdue ?? 0);
    if (!ends.length) continue;
    const cell = (running[g.owner] ??= { created: Array(ends.length + 1).fill(0), closed: Array(ends.length + 1).fill(0) });
    cell.created[Number(g.created)] += Number(g.n);
    if (g.closed !== null) cell.closed[Number(g.closed)] += Number(g.n);
  }
  const sums = Object.fromEntries(Object.keys(running).map((owner) => [owner, { created: 0, closed: 0 }]));
  const trend = held.map((m, i) => {
    const perDelegation: Record<string, { open: number; closed: number }> = {};
    for (const [owner, cell] of Object.entries(running)) {
      sums[owner].created += cell.created[i];
      sums[owner].closed += cell.closed[i];
      if (sums[owner].created > 0) perDelegation[owner] = { open: sums[owner].created - sums[owner].closed, closed: sums[owner].closed };
    }
    return { meetingId: m.id, ordinal: m.ordinal, title: m.title, perDelegation };
  });
  return { counts, trend, today };
}
