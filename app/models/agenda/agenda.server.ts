import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { generateKeyBetween } from "fractional-indexing";
import { z } from "zod";
import {
  agendaConcurrences,
  agendaItems,
  agendaKinds,
  agendaStatuses,
  agendas,
  bodies,
  delegations,
  memberships,
  standingItems,
  users,
} from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { agendaChannel, publish, type AgendaEvent } from "~/lib/events.server";
import { sha256 } from "~/lib/hash";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { whyAgendaClosed } from "~/lib/permissions";
import { sanitizeRichText } from "~/lib/rich-text.server";
import { AGENDA_MARKINGS, fitsAudienceOf, MINUTES_MARKING, type MarkedRecord } from "~/lib/markings";
import { withTransaction } from "~/lib/transaction.server";
import { LIMITS, optionalText, parseInput, scopeId, formConstraints, optionalId } from "~/lib/validation";
import { activeMembersOf, assertCan, type Membership } from "~/models/core/access.server";
import { audienceFor, audienceOfOther, type Audience } from "~/models/core/audience.server";
import { recordAudit } from "~/models/core/audit.server";
import { agendaItemsChanged } from "~/models/agenda/changes.server";
import { nudgeOutbox } from "~/models/core/outbox.server";
import { reissueAfterAgendaChange } from "~/models/meetings/reissue.server";
import { isActiveMember, whoChanged } from "~/models/core/names.server";
import { signOffStates, type SignOffState } from "~/models/core/sign-off.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";

export type AgendaItem = typeof agendaItems.$inferSelect;
export type Agenda = typeof agendas.$inferSelect;

/** The stored title of the items every agenda carries, in the body's working language; pages and exports translate them by `special`. */
const specialTitle = (special: "minutes_adoption" | "action_review", language: Locale) => getT(language)(`agenda:special.${special}`);

// ---------- creation ----------

/**
 * A meeting's agenda, created on first need: the two items every agenda carries (adopting
 * the previous minutes, reviewing action items) and the body's standing items after them.
 */
export async function ensureAgenda(tx: DbOrTx, meeting: Meeting): Promise<Agenda> {
  const [existing] = await tx.select().from(agendas).where(eq(agendas.meetingId, meeting.id));
  if (existing) return existing;
  const [body] = await tx.select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const template = await tx.select().from(standingItems).where(eq(standingItems.bodyId, meeting.bodyId)).orderBy(asc(standingItems.position));
  const [agenda] = await tx.insert(agendas).values({ meetingId: meeting.id, bodyId: meeting.bodyId }).onConflictDoNothing().returning();
  if (!agenda) return (await tx.select().from(agendas).where(eq(agendas.meetingId, meeting.id)))[0];
  let position: string | null = null;
  const next = () => (position = generateKeyBetween(position, null));
  const rows = [
    { title: specialTitle("minutes_adoption", body.workingLanguage), kind: "decision" as const, special: "minutes_adoption" as const, minutes: 5, marking: "TLP:GREEN" as const },
    // A standing item saved AMBER+STRICT before the form refused it becomes TLP:RED, the narrowest
    // audience an agenda item can have (019-tlp-audiences): never wider than it was meant.
    ...template.map((s) => ({ title: s.title, description: s.description, kind: s.kind, special: null, minutes: s.minutes, marking: s.marking === "TLP:AMBER+STRICT" ? ("TLP:RED" as const) : s.marking })),
    { title: specialTitle("action_review", body.workingLanguage), kind: "standing" as const, special: "action_review" as const, minutes: 15, marking: body.defaultMarking as AgendaItem["marking"] },
  ];
  await tx.insert(agendaItems).values(
    rows.map((r) => ({ ...r, meetingId: meeting.id, bodyId: meeting.bodyId, position: next(), status: "agreed" as const })),
  );
  return agenda;
}

// ---------- reading ----------

export async function findAgenda(tx: DbOrTx, meetingId: string): Promise<Agenda | null> {
  const [agenda] = await tx.select().from(agendas).where(eq(agendas.meetingId, meetingId));
  return agenda ?? null;
}

export async function listAgendaItems(tx: DbOrTx, meetingId: string): Promise<AgendaItem[]> {
  return tx.select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position));
}

/**
 * What heads concur with: the agenda's content in order, plus how many times it has been
 * reopened, so any change (or a reopening) gives a different hash.
 */
export function agendaHash(agenda: Pick<Agenda, "revision">, items: AgendaItem[]): string {
  const content = items.map((i) => [i.id, i.title, i.description, i.kind, i.leadDelegationId, i.presenterId, i.minutes, i.marking, i.status]);
  return sha256(JSON.stringify([agenda.revision, content])).slice(0, 16);
}

/**
 * The agenda items a meeting's minutes open with, one section each: an item above the minutes'
 * audience (TLP:RED) keeps its place and minutes but not its title, so the shared document
 * never holds words for a smaller audience than its own (`MINUTES_MARKING`).
 */
export async function agendaForMinutes(tx: DbOrTx, meetingId: string, t: ReturnType<typeof getT>): Promise<AgendaItem[]> {
  const items = (await listAgendaItems(tx, meetingId)).filter((i) => i.status !== "withdrawn");
  return items.map((i) =>
    fitsAudienceOf(MINUTES_MARKING, i.marking) ? i : { ...i, title: t("agenda:restrictedSection", { marking: i.marking, minutes: i.minutes }), description: "", presenterId: null },
  );
}

export type ConcurrenceState = SignOffState;

/**
 * An item outside the reader's TLP audience keeps its place, kind, marking and minutes (so the
 * clock adds up) and loses everything else: pages, exports and concurrence see a placeholder.
 */
export function asSeenBy(audience: Audience, item: AgendaItem): AgendaItem & { restricted: boolean } {
  if (audience.may(agendaRecord(item))) return { ...item, restricted: false };
  return { ...item, title: "", description: "", presenterId: null, leadDelegationId: null, restricted: true };
}

/**
 * What one head concurs with: the agenda as they see it, placeholders included. A change to
 * the words of an item they cannot read does not touch what they agreed to; a change to its
 * minutes, kind or marking does. For a reader who sees every item it is `agendaHash`.
 */
export function seenHash(agenda: Pick<Agenda, "revision">, items: AgendaItem[], audience: Audience): string {
  return agendaHash(
    agenda,
    items.map((i) => {
      const { restricted: _restricted, ...seen } = asSeenBy(audience, i);
      return seen;
    }),
  );
}

/**
 * Each member delegation: concurred with this exact agenda, with an earlier one, or not yet.
 * A concurrence is current while the agenda, as the head who gave it sees it now, still has
 * the hash they agreed to.
 */
export async function concurrenceStates(tx: DbOrTx, meeting: Pick<Meeting, "id" | "bodyId">, agenda: Pick<Agenda, "revision">, items: AgendaItem[], read?: ConcurrenceRow[]): Promise<ConcurrenceState[]> {
  const rows: ConcurrenceRow[] =
    read ??
    (await tx
      .select({ delegationId: agendaConcurrences.delegationId, userId: agendaConcurrences.userId, hash: agendaConcurrences.agendaHash, at: agendaConcurrences.at, by: users.name })
      .from(agendaConcurrences)
      .leftJoin(users, eq(users.id, agendaConcurrences.userId))
      .where(eq(agendaConcurrences.meetingId, meeting.id)));
  const full = agendaHash(agenda, items);
  const seen = new Map<string, string>();
  for (const r of rows) {
    const key = `${r.userId}:${r.delegationId}`;
    if (seen.has(key)) continue;
    // A head's concurrence, seen with a head's audience; a deleted account's with the whole agenda.
    const head = r.userId ? { userId: r.userId, role: "head" as const, delegationId: r.delegationId } : null;
    seen.set(key, head ? seenHash(agenda, items, r.facts ? audienceOfOther(head, r.facts) : await audienceFor(tx, head, meeting.id)) : full);
  }
  return signOffStates(tx, meeting.bodyId, rows, (s) => s.hash === seen.get(`${(s as (typeof rows)[number]).userId}:${s.delegationId}`));
}

export interface AgendaReadiness {
  ready: boolean;
  /** Minutes planned (items not withdrawn) and by how many they exceed the meeting. */
  planned: number;
  overBy: number;
  /** Items still "proposed": someone must agree or withdraw them first. */
  unsettled: Array<{ id: string; title: string }>;
}

/**
 * Whether the agenda could be locked as it stands: it fits the meeting and every item is agreed
 * or withdrawn. Heads concur only with such an agenda, so locking changes nothing they agreed to.
 */
export function agendaReadiness(meeting: Pick<Meeting, "durationMinutes">, items: AgendaItem[]): AgendaReadiness {
  const planned = items.filter((i) => i.status !== "withdrawn").reduce((sum, i) => sum + i.minutes, 0);
  const overBy = Math.max(0, planned - meeting.durationMinutes);
  const unsettled = items.filter((i) => i.status === "proposed").map((i) => ({ id: i.id, title: i.title }));
  return { ready: overBy === 0 && unsettled.length === 0, planned, overBy, unsettled };
}

function assertReady(readiness: AgendaReadiness) {
  if (readiness.overBy > 0) throw ValidationError.field("", "agenda:errors.overrun", { minutes: readiness.overBy });
  if (readiness.unsettled.length > 0) throw ValidationError.field("", "agenda:errors.unsettled", { count: readiness.unsettled.length });
}

interface ConcurrenceRow {
  delegationId: string;
  userId: string | null;
  hash: string;
  at: Date;
  by: string | null;
  /** The head's audience facts, read with the agenda (absent when read on their own). */
  facts?: Parameters<typeof audienceOfOther>[1];
}

export interface AgendaRead {
  agenda: Agenda;
  items: AgendaItem[];
  concurrences: ConcurrenceRow[];
}

/**
 * Meetings' agendas, each with its items in order and its concurrences, in one statement
 * (ADR 044). Content, so it reads where the request reads (the replica when it is fresh enough,
 * the open transaction inside one, ADR 030). The concurrences carry each head's audience facts
 * (their invitation), which decide what that head saw; they stay with the concurrence and never
 * enter the request memo, which holds only facts read from the primary for access decisions.
 * Meetings without an agenda are absent from the map.
 */
export async function agendasWithItems(tx: DbOrTx, meetingIds: string[]): Promise<Map<string, AgendaRead>> {
  const found = new Map<string, AgendaRead>();
  if (meetingIds.length === 0) return found;
  const rows = await tx
    .select({
      agenda: agendas,
      item: agendaItems,
      concurrences: sql<string>`(select json_group_array(json_object('delegationId', c.delegation_id, 'userId', c.user_id, 'hash', c.agenda_hash, 'at', c.at, 'by', u.name, 'mine', (select count(*) from invitations i where i.meeting_id = c.meeting_id and i.user_id = c.user_id))) from agenda_concurrences c left join users u on u.id = c.user_id where c.meeting_id = "agendas"."meeting_id")`,
      invitations: sql<number>`(select count(*) from invitations i where i.meeting_id = "agendas"."meeting_id")`,
      list: sql<string | null>`(select p.user_ids from participant_lists p where p.meeting_id = "agendas"."meeting_id")`,
    })
    .from(agendas)
    .leftJoin(agendaItems, eq(agendaItems.meetingId, agendas.meetingId))
    .where(inArray(agendas.meetingId, meetingIds))
    .orderBy(asc(agendas.meetingId), asc(agendaItems.position));
  for (const row of rows) {
    const meetingId = row.agenda.meetingId;
    let read = found.get(meetingId);
    if (!read) {
      const parsed = JSON.parse(row.concurrences) as Array<Omit<ConcurrenceRow, "at" | "facts"> & { at: number; mine: number }>;
      read = {
        agenda: row.agenda,
        items: [],
        concurrences: parsed.map(({ mine, at, ...c }) => ({ ...c, at: new Date(at), facts: { id: meetingId, invitations: row.invitations, mine, list: row.list } })),
      };
      found.set(meetingId, read);
    }
    if (row.item) read.items.push(row.item);
  }
  return found;
}

async function agendaWithItems(tx: DbOrTx, meetingId: string): Promise<AgendaRead | null> {
  return (await agendasWithItems(tx, [meetingId])).get(meetingId) ?? null;
}

/** The agenda of a meeting as a member sees it. */
export async function getAgenda({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  // Every meeting gets its agenda when it is created; only a record from before agendas
  // existed lacks one (and start-up repairs those), so reading takes no write lock.
  let read = await agendaWithItems(db(), meetingId);
  if (!read) {
    await withTransaction((tx) => ensureAgenda(tx, meeting));
    read = (await agendaWithItems(db(), meetingId))!;
  }
  const { agenda, items } = read;
  // The hash this reader would concur with: the agenda as they see it.
  const hash = seenHash(agenda, items, await audienceFor(db(), member, meetingId));
  const concurrences = await concurrenceStates(db(), meeting, agenda, items, read.concurrences);
  return { meeting, member, agenda, items, hash, concurrences, readiness: agendaReadiness(meeting, items) };
}

// ---------- writing ----------

const fieldsSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.title),
  description: z.string().max(LIMITS.text).default(""),
  kind: z.enum(agendaKinds),
  leadDelegationId: optionalId(),
  presenterId: optionalId(),
  minutes: z.coerce.number().int().min(0).max(600),
  // Agenda items are shared by every delegation: AMBER+STRICT belongs to papers and action items.
  marking: z.enum(AGENDA_MARKINGS as unknown as [AgendaItem["marking"], ...AgendaItem["marking"][]]),
});

/** An agenda item as the TLP rule sees it: its marking, and who proposed it. */
export const agendaRecord = (i: Pick<AgendaItem, "marking" | "proposedBy" | "leadDelegationId">): MarkedRecord => ({
  marking: i.marking,
  delegationIds: [i.leadDelegationId],
  createdBy: i.proposedBy,
});

/** The item form's limits, for the browser. */
export const agendaItemConstraints = formConstraints(fieldsSchema);

/** Checks and writes inside one transaction: the agenda must be open, and the actor an editor. */
async function forChange(tx: DbOrTx, actor: Actor, meetingId: string) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  assertCan(member, "agenda.edit");
  const agenda = await ensureAgenda(tx, meeting);
  const closed = whyAgendaClosed(agenda, meeting);
  if (closed) throw new ForbiddenError(closed);
  return { meeting, member, agenda };
}

async function checkPeople(tx: DbOrTx, bodyId: string, data: { leadDelegationId: string | null; presenterId: string | null }) {
  if (data.leadDelegationId) {
    const [d] = await tx.select({ id: delegations.id }).from(delegations).where(and(eq(delegations.id, data.leadDelegationId), eq(delegations.bodyId, bodyId)));
    if (!d) throw ValidationError.field("leadDelegationId", "errors:validation.choice");
  }
  if (data.presenterId) {
    if (!(await isActiveMember(tx, bodyId, data.presenterId))) throw ValidationError.field("presenterId", "agenda:errors.presenterNotMember");
  }
}

/** Records that the agenda changed: a new version, an audit entry, and word to every open page. */
async function touch(tx: DbOrTx, actor: Actor, agenda: Agenda, entry: { action: string; entityId: string; before?: Record<string, unknown> | null; after?: Record<string, unknown> | null }) {
  const [updated] = await tx
    .update(agendas)
    .set({ version: agenda.version + 1, updatedBy: actor.id })
    .where(eq(agendas.meetingId, agenda.meetingId))
    .returning();
  await recordAudit(tx, { bodyId: agenda.bodyId, actorId: actor.id, entityType: "agenda_item", ...entry });
  // Calendars carry the shareable (CLEAR/GREEN) agenda titles: a change there re-issues the invitation.
  await reissueAfterAgendaChange(tx, { meetingId: agenda.meetingId, actorId: actor.id });
  return updated;
}

/** Runs after the commit: live readers on every instance hear of the change (a page that misses it catches up on the next), and any re-issued invitation leaves. */
function announce(actor: Actor, agenda: Agenda, what: string, record?: MarkedRecord) {
  // The record's marking decides who hears more than "something changed" (live.server.ts, noticeFor).
  void publish<AgendaEvent>(agendaChannel(agenda.meetingId), { version: agenda.version, by: { id: actor.id, name: actor.name }, what, ...(record ? { record } : {}) });
  nudgeOutbox();
  // The items changed: the live minutes' section headings follow (after commit, like this call).
  if (what === "propose" || what === "update" || what === "move") return agendaItemsChanged(agenda.meetingId);
}

const auditable = (i: AgendaItem) => ({
  title: i.title,
  kind: i.kind,
  leadDelegationId: i.leadDelegationId,
  presenterId: i.presenterId,
  minutes: i.minutes,
  marking: i.marking,
  status: i.status,
  position: i.position,
});

/** Any delegate, head or the secretariat proposes an item; it goes to the end of the agenda. */
export async function proposeItem({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  await forChange(db(), actor, meetingId);
  const data = parseInput(fieldsSchema, input);
  const description = sanitizeRichText(data.description);
  const { item } = await withTransaction(async (tx, afterCommit) => {
    const { meeting, agenda } = await forChange(tx, actor, meetingId);
    await checkPeople(tx, meeting.bodyId, data);
    // New items go before the review of action items when it closes the agenda, as it usually does.
    const [last, previous] = await tx
      .select({ position: agendaItems.position, special: agendaItems.special })
      .from(agendaItems)
      .where(eq(agendaItems.meetingId, meetingId))
      .orderBy(desc(agendaItems.position))
      .limit(2);
    const position =
      last?.special === "action_review" ? generateKeyBetween(previous?.position ?? null, last.position) : generateKeyBetween(last?.position ?? null, null);
    const [item] = await tx
      .insert(agendaItems)
      .values({ ...data, description, meetingId, bodyId: meeting.bodyId, position, proposedBy: actor.id, updatedBy: actor.id })
      .returning();
    const updated = await touch(tx, actor, agenda, { action: "agenda.item.propose", entityId: item.id, after: auditable(item) });
    afterCommit(() => announce(actor, updated, "propose", agendaRecord(item)));
    return { item, agenda: updated };
  });
  return item;
}

const updateSchema = fieldsSchema.extend({
  version: z.coerce.number().int().min(1),
  status: z.enum(agendaStatuses),
});

/**
 * Saves an item. A save against an older version is refused with the version now saved and
 * who saved it, so the person can merge rather than overwrite.
 */
export async function updateItem({ actor, input }: { actor: Actor; input: unknown }) {
  const itemId = scopeId(input, "itemId");
  const [found] = await db().select({ meetingId: agendaItems.meetingId }).from(agendaItems).where(eq(agendaItems.id, itemId));
  if (!found) throw ValidationError.field("", "agenda:errors.itemGone");
  await forChange(db(), actor, found.meetingId);
  const data = parseInput(updateSchema, input);
  const description = sanitizeRichText(data.description);
  const { item } = await withTransaction(async (tx, afterCommit) => {
    const { meeting, member, agenda } = await forChange(tx, actor, found.meetingId);
    const [before] = await tx.select().from(agendaItems).where(eq(agendaItems.id, itemId));
    if (!before) throw ValidationError.field("", "agenda:errors.itemGone");
    // Outside the item's TLP audience it is a placeholder: nobody edits what they cannot read.
    if (!(await audienceFor(tx, member, meeting.id)).may(agendaRecord(before))) throw new NotFoundError("agenda item");
    if (before.version !== data.version) {
      throw new ConflictError({ ...auditable(before), description: before.description, version: before.version, id: before.id }, await whoChanged(tx, before.updatedBy), before.updatedAt);
    }
    if (before.special && data.status === "withdrawn") throw ValidationError.field("status", "agenda:errors.specialStays");
    await checkPeople(tx, meeting.bodyId, data);
    const [item] = await tx
      .update(agendaItems)
      .set({ ...data, description, version: before.version + 1, updatedBy: actor.id })
      .where(eq(agendaItems.id, itemId))
      .returning();
    const updated = await touch(tx, actor, agenda, { action: "agenda.item.update", entityId: itemId, before: auditable(before), after: auditable(item) });
    afterCommit(() => announce(actor, updated, "update", agendaRecord(item)));
    return { item, agenda: updated };
  });
  return item;
}

const moveSchema = z.object({
  afterId: optionalId(),
  beforeId: optionalId(),
});

/**
 * Moves an item between two neighbours by giving it a key between theirs: only the moved
 * row changes. Neighbours from another meeting are refused; if two people drop items into the
 * same gap at once, the second is told to look again rather than getting a duplicate key.
 */
export async function moveItem({ actor, input }: { actor: Actor; input: unknown }) {
  const itemId = scopeId(input, "itemId");
  const [found] = await db().select({ meetingId: agendaItems.meetingId }).from(agendaItems).where(eq(agendaItems.id, itemId));
  if (!found) throw ValidationError.field("", "agenda:errors.itemGone");
  await forChange(db(), actor, found.meetingId);
  const { afterId, beforeId } = parseInput(moveSchema, input);
  try {
    await withTransaction(async (tx, afterCommit) => {
      const { agenda } = await forChange(tx, actor, found.meetingId);
      const ids = [afterId, beforeId].filter((v): v is string => !!v);
      const neighbours = ids.length ? await tx.select().from(agendaItems).where(inArray(agendaItems.id, ids)) : [];
      if (neighbours.length !== ids.length || neighbours.some((n) => n.meetingId !== found.meetingId)) {
        throw ValidationError.field("", "agenda:errors.otherMeeting");
      }
      const after = neighbours.find((n) => n.id === afterId) ?? null;
      const before = neighbours.find((n) => n.id === beforeId) ?? null;
      if (after && before && after.position >= before.position) throw ValidationError.field("", "agenda:errors.staleOrder");
      const [item] = await tx.select().from(agendaItems).where(eq(agendaItems.id, itemId));
      const position = generateKeyBetween(after?.position ?? null, before?.position ?? null);
      await tx.update(agendaItems).set({ position, updatedBy: actor.id }).where(eq(agendaItems.id, itemId));
      const updated = await touch(tx, actor, agenda, { action: "agenda.item.move", entityId: itemId, before: { position: item.position }, after: { position } });
      afterCommit(() => announce(actor, updated, "move", agendaRecord(item)));
    });
  } catch (error) {
    if (String((error as Error)?.message ?? "").includes("UNIQUE") || String((error as { cause?: Error })?.cause?.message ?? "").includes("UNIQUE")) {
      throw ValidationError.field("", "agenda:errors.positionTaken");
    }
    throw error;
  }
}

// ---------- concurrence and lock ----------

const concurSchema = z.object({ hash: z.string().min(1).max(64) });

/** A head concurs, for their own delegation, with the agenda exactly as they saw it. */
export async function concur({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "agenda.concur", { delegationId: member.delegationId });
  const { hash } = parseInput(concurSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    const { meeting, member: m } = await getMeetingForMember(tx, actor, meetingId);
    const agenda = await ensureAgenda(tx, meeting);
    if (agenda.lockedAt) throw new ForbiddenError({ key: "agenda:errors.locked" });
    const items = await listAgendaItems(tx, meetingId);
    // Heads concur with the agenda as they see it (placeholders included), not with words they cannot read.
    const current = seenHash(agenda, items, await audienceFor(tx, m, meetingId));
    if (current !== hash) throw new ConflictError({ hash: current, version: agenda.version }, await whoChanged(tx, agenda.updatedBy), agenda.updatedAt);
    assertReady(agendaReadiness(meeting, items));
    const [row] = await tx
      .insert(agendaConcurrences)
      .values({ meetingId, delegationId: m.delegationId!, userId: actor.id, agendaHash: hash, agendaVersion: agenda.version, at: now })
      .returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "agenda.concur", entityType: "agenda", entityId: meetingId, after: { delegationId: m.delegationId, hash, concurrenceId: row.id } });
    afterCommit(() => announce(actor, agenda, "concur"));
  });
}

const lockSchema = z.object({ reason: optionalText(2000) });

/** The secretariat locks an agenda every delegation has concurred with, and which fits the meeting. */
export async function lockAgenda({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "agenda.lock");
  const { reason } = parseInput(lockSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    const { meeting } = await getMeetingForMember(tx, actor, meetingId);
    const agenda = await ensureAgenda(tx, meeting);
    if (agenda.lockedAt) return;
    const items = await listAgendaItems(tx, meetingId);
    const states = await concurrenceStates(tx, meeting, agenda, items);
    assertReady(agendaReadiness(meeting, items));
    if (states.some((s) => s.state !== "current")) throw ValidationError.field("", "agenda:errors.notAllConcurred");
    const [locked] = await tx.update(agendas).set({ lockedAt: now, lockedBy: actor.id, version: agenda.version + 1, updatedBy: actor.id }).where(eq(agendas.meetingId, meetingId)).returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "agenda.lock", entityType: "agenda", entityId: meetingId, after: { lockedAt: now.toISOString(), ...(reason ? { reason } : {}) } });
    afterCommit(() => announce(actor, locked, "lock"));
  });
}

const reopenSchema = z.object({ reason: z.string().trim().min(1).max(2000) });
export const reopenConstraints = formConstraints(reopenSchema);

/** Reopening is recorded with its reason and voids every concurrence: the heads agree again. */
export async function reopenAgenda({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  const { member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "agenda.lock");
  const { reason } = parseInput(reopenSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    const { meeting } = await getMeetingForMember(tx, actor, meetingId);
    const agenda = await ensureAgenda(tx, meeting);
    if (!agenda.lockedAt) return;
    const [reopened] = await tx
      .update(agendas)
      .set({ lockedAt: null, lockedBy: null, revision: agenda.revision + 1, version: agenda.version + 1, updatedBy: actor.id })
      .where(eq(agendas.meetingId, meetingId))
      .returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "agenda.reopen", entityType: "agenda", entityId: meetingId, before: { lockedAt: agenda.lockedAt.toISOString() }, after: { reason, revision: reopened.revision } });
    afterCommit(() => announce(actor, reopened, "reopen"));
  });
}

// ---------- for other parts of the app ----------

/** The members who may present: active members of the body. */
export async function presenterChoices(tx: DbOrTx, bodyId: string) {
  const read = async () =>
    await tx
      .select({ id: users.id, name: users.name, delegationId: memberships.delegationId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.bodyId, bodyId), eq(memberships.active, true)))
      .orderBy(asc(users.name));
  // Usually read already with the actor's memberships (ADR 044).
  return activeMembersOf(bodyId, read);
}

export type { Membership };
