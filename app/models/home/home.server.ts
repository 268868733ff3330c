import { asc, inArray } from "drizzle-orm";
import { meetings } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { listedTitle } from "~/lib/list-text";
import { can } from "~/lib/permissions";
import { parseInput } from "~/lib/validation";
import { addDays, todayIn } from "~/lib/zoned.server";
import { meetingsOfBodies, type Meeting } from "~/models/core/scope.server";
import { filtersSchema, listActions } from "~/models/actions/dashboard.server";
import { actionsDueAcross, type ActionWaiting } from "~/models/actions/waiting.server";
import { agendasWithItems, type AgendaRead } from "~/models/agenda/agenda.server";
import { agendasAwaitingConcurrence, agendasReadyToLock } from "~/models/agenda/waiting.server";
import { nextAmong } from "~/models/meetings/meetings.server";
import { unansweredInvitations } from "~/models/meetings/waiting.server";
import { minutesAwaitingApproval, minutesOutForApproval, minutesReadyToAdopt, type OutForApproval } from "~/models/minutes/waiting.server";
import { getProfile } from "~/models/people/accounts.server";
import { listBodiesForUser, listDelegations, type BodySummary, type Delegation } from "~/models/people/bodies.server";

/** How far ahead "due soon" looks. */
const DUE_SOON_DAYS = 14;

export type WaitingEntry =
  | { kind: "agenda.concur"; meeting: Meeting; state: "pending" | "stale"; ready: boolean; hash: string; signedAt: Date | null }
  | { kind: "agenda.lock"; meeting: Meeting }
  | { kind: "minutes.approve"; meeting: Meeting; state: "pending" | "stale"; round: number; since: Date | null; signedAt: Date | null }
  | { kind: "minutes.adopt"; meeting: Meeting }
  | { kind: "invitation"; meeting: Meeting }
  | { kind: "action"; item: ActionWaiting };

export interface BodyOverview {
  body: BodySummary;
  delegations: Delegation[];
  next: Meeting | null;
  waiting: WaitingEntry[];
}

/** What the start page read for all of the reader's bodies at once, one statement each (ADR 048). */
interface ReadAcross {
  agendas: Map<string, AgendaRead>;
  minutes: OutForApproval[];
  due: Map<string, ActionWaiting[]>;
}

/** The body's meetings that are still ahead (not held, not over, not cancelled). */
const aheadOf = (all: readonly Meeting[], now: Date) => all.filter((m) => m.status !== "cancelled" && m.status !== "held" && m.startsAt.getTime() + m.durationMinutes * 60_000 > now.getTime());

/**
 * What waits for one member in one body: concurrences and approvals for a head, locking and
 * adopting for the secretariat, invitations to answer, and their own and their delegation's
 * overdue and due-soon action items.
 */
async function waitingIn(actor: Actor, body: BodySummary, all: readonly Meeting[], read: ReadAcross, now: Date): Promise<WaitingEntry[]> {
  const member = { role: body.role, delegationId: body.delegationId };
  const byId = new Map(all.filter((m) => m.status !== "cancelled").map((m) => [m.id, m]));
  const ahead = aheadOf(all, now);
  const entries: WaitingEntry[] = [];

  if (body.delegationId && can(member, "agenda.concur", { delegationId: body.delegationId })) {
    for (const a of await agendasAwaitingConcurrence(db(), ahead, { userId: actor.id, role: body.role, delegationId: body.delegationId }, read.agendas)) entries.push({ kind: "agenda.concur", meeting: byId.get(a.meetingId)!, state: a.state, ready: a.ready, hash: a.hash, signedAt: a.signedAt });
  }
  if (body.delegationId && can(member, "minutes.approve", { delegationId: body.delegationId })) {
    for (const m of await minutesAwaitingApproval(db(), body.id, body.delegationId, read.minutes)) entries.push({ kind: "minutes.approve", meeting: byId.get(m.meetingId)!, state: m.state, round: m.round, since: m.since, signedAt: m.signedAt });
  }
  if (can(member, "agenda.lock")) {
    for (const id of await agendasReadyToLock(db(), ahead, read.agendas)) entries.push({ kind: "agenda.lock", meeting: byId.get(id)! });
  }
  if (can(member, "minutes.manage")) {
    for (const id of await minutesReadyToAdopt(db(), body.id, read.minutes)) entries.push({ kind: "minutes.adopt", meeting: byId.get(id)! });
  }
  for (const id of await unansweredInvitations(db(), actor.id, ahead)) entries.push({ kind: "invitation", meeting: byId.get(id)! });
  for (const item of read.due.get(body.id) ?? []) entries.push({ kind: "action", item });
  return entries.filter((e) => e.kind === "action" || e.meeting);
}

/**
 * The start page across bodies: each body's next meeting and what waits for the person there.
 * Each kind of thing that may wait is read for every body in one statement (the bodies'
 * meetings, their open agendas, minutes out for approval, action items due), so the page runs
 * the same number of statements however many bodies the person belongs to (ADR 048).
 */
export async function getHome({ actor, now = new Date(), onlyBodyId }: { actor: Actor; now?: Date; onlyBodyId?: string }) {
  const profile = await getProfile(actor.id);
  const zone = profile?.effectiveTimeZone ?? "UTC";
  const today = todayIn(zone, now);
  const bodies = (await listBodiesForUser(actor.id)).filter((b) => !onlyBodyId || b.id === onlyBodyId);
  const meetingsBy = await meetingsOfBodies(db(), bodies.map((b) => b.id), actor.id);
  const member = (b: BodySummary) => ({ role: b.role, delegationId: b.delegationId });
  const mayConcur = (b: BodySummary) => !!b.delegationId && can(member(b), "agenda.concur", { delegationId: b.delegationId });
  const mayApprove = (b: BodySummary) => !!b.delegationId && can(member(b), "minutes.approve", { delegationId: b.delegationId });
  const agendaMeetings = bodies.filter((b) => mayConcur(b) || can(member(b), "agenda.lock")).flatMap((b) => aheadOf(meetingsBy.get(b.id) ?? [], now).map((m) => m.id));
  const read: ReadAcross = {
    agendas: await agendasWithItems(db(), agendaMeetings),
    minutes: await minutesOutForApproval(db(), bodies.filter((b) => mayApprove(b) || can(member(b), "minutes.manage")).map((b) => b.id)),
    due: await actionsDueAcross(db(), { userId: actor.id, today, horizon: addDays(today, DUE_SOON_DAYS), bodies: bodies.map((b) => ({ bodyId: b.id, role: b.role, delegationId: b.delegationId })) }),
  };
  const overviews: BodyOverview[] = [];
  for (const body of bodies) {
    const all = meetingsBy.get(body.id) ?? [];
    const [delegations, waiting] = await Promise.all([listDelegations(db(), body.id), waitingIn(actor, body, all, read, now)]);
    overviews.push({ body, delegations, next: nextAmong(all, now), waiting });
  }
  return { bodies: overviews, viewerZone: zone, today };
}

/** The meetings of several bodies at once, for the cross-body list (newest first). */
export async function listMeetingsAcross({ actor, bodySlug }: { actor: Actor; bodySlug?: string | null }) {
  const bodies = (await listBodiesForUser(actor.id)).filter((b) => !bodySlug || b.slug === bodySlug);
  const ids = bodies.map((b) => b.id);
  const rows = ids.length ? await db().select().from(meetings).where(inArray(meetings.bodyId, ids)).orderBy(asc(meetings.startsAt)) : [];
  const delegations = new Map<string, Delegation[]>();
  for (const b of bodies) delegations.set(b.id, await listDelegations(db(), b.id));
  const profile = await getProfile(actor.id);
  return { bodies, meetings: rows, delegations, viewerZone: profile?.effectiveTimeZone ?? "UTC" };
}

/**
 * What a page shows of an entry: the meeting by its name, never the whole row; an action item's
 * title as a list shows it (shortened past LIST_TITLE_MAX, ADR 050).
 */
export function waitingView(entry: WaitingEntry) {
  if (entry.kind === "action") {
    return { kind: entry.kind, item: { ...entry.item, ...listedTitle(entry.item.title) } };
  }
  const meeting = { id: entry.meeting.id, ordinal: entry.meeting.ordinal, title: entry.meeting.title };
  return { ...entry, meeting };
}

/**
 * The action items of several bodies, each body's list filtered as its own dashboard would
 * filter it (status, due, mine), for the cross-body view. `body` narrows to one body.
 */
export async function listActionsAcross({ actor, input }: { actor: Actor; input: Record<string, string> }) {
  const { body: bodySlug, ...filters } = input;
  const bodies = (await listBodiesForUser(actor.id)).filter((b) => !bodySlug || b.slug === bodySlug);
  const lists = [];
  for (const body of bodies) {
    const [list, delegations] = await Promise.all([listActions({ actor, bodyId: body.id, input: filters }), listDelegations(db(), body.id)]);
    lists.push({ body, delegations, ...list });
  }
  return { bodySlug: bodySlug ?? null, lists, filters: parseInput(filtersSchema, filters) };
}
