import { eq, inArray } from "drizzle-orm";
import { actionItems, agendaItems, bodies, delegations, invitations, meetings, memberships, minutesComments, outcomeDocuments, standingItems, users } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";

/**
 * What the audit trail needs to name the records its events touched: a meeting by its ordinal,
 * an agenda item or action item by its title, a member by their name. The raw ids stay on the
 * event for the details disclosure; this only adds the names and where each record lives.
 */

export interface RecordRef {
  /** What kind of record, for the sentence: "meeting", "agenda_item", … */
  kind: string;
  /** A meeting the record belongs to (or is), named by ordinal and title. */
  meeting?: { id: string; ordinal: number; title: string | null } | null;
  /** The record's own name: an item's title, a person's name. */
  name?: string | null;
  /** An action item's reference number. */
  ref?: number | null;
  /** Where the record is shown, if it still exists and has a page. */
  href?: string | null;
}

interface EventLike {
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const ids = (events: EventLike[], type: string) => [...new Set(events.filter((e) => e.entityType === type).map((e) => e.entityId))];

/** Ids of people and delegations named in the events' fields, so values show names, not ids. */
function referencedIds(events: EventLike[]) {
  const people = new Set<string>();
  const delegationIds = new Set<string>();
  for (const e of events) {
    for (const side of [e.before, e.after]) {
      if (!side) continue;
      for (const [key, value] of Object.entries(side)) {
        if (typeof value === "string" && /^(presenterId|userId|actorId|assigneeId)$/.test(key)) people.add(value);
        if (Array.isArray(value) && key === "assigneeIds") for (const v of value) if (typeof v === "string") people.add(v);
        if (typeof value === "string" && /DelegationId$|^delegationId$/.test(key)) delegationIds.add(value);
      }
    }
  }
  return { people: [...people], delegations: [...delegationIds] };
}

export async function describeAuditRecords(tx: DbOrTx, bodyId: string, events: EventLike[]) {
  const meetingIds = new Set([...ids(events, "meeting"), ...ids(events, "agenda"), ...ids(events, "minutes")]);
  const items = ids(events, "agenda_item");
  const itemRows = items.length
    ? await tx.select({ id: agendaItems.id, title: agendaItems.title, meetingId: agendaItems.meetingId }).from(agendaItems).where(inArray(agendaItems.id, items))
    : [];
  for (const r of itemRows) meetingIds.add(r.meetingId);
  const invitationIds = ids(events, "invitation");
  const invitationRows = invitationIds.length
    ? await tx.select({ id: invitations.id, meetingId: invitations.meetingId }).from(invitations).where(inArray(invitations.id, invitationIds))
    : [];
  for (const r of invitationRows) meetingIds.add(r.meetingId);
  const commentIds = ids(events, "minutes_comment");
  const commentRows = commentIds.length
    ? await tx.select({ id: minutesComments.id, meetingId: minutesComments.meetingId }).from(minutesComments).where(inArray(minutesComments.id, commentIds))
    : [];
  for (const r of commentRows) meetingIds.add(r.meetingId);
  const meetingRows = meetingIds.size
    ? await tx.select({ id: meetings.id, ordinal: meetings.ordinal, title: meetings.title, bodyId: meetings.bodyId }).from(meetings).where(inArray(meetings.id, [...meetingIds]))
    : [];
  const meetingById = new Map(meetingRows.filter((m) => m.bodyId === bodyId).map((m) => [m.id, { id: m.id, ordinal: m.ordinal, title: m.title }]));

  const actionIds = ids(events, "action_item");
  const actionRows = actionIds.length
    ? await tx.select({ id: actionItems.id, ref: actionItems.ref, title: actionItems.title }).from(actionItems).where(inArray(actionItems.id, actionIds))
    : [];
  const membershipIds = ids(events, "membership");
  const membershipRows = membershipIds.length
    ? await tx.select({ id: memberships.id, name: users.name }).from(memberships).innerJoin(users, eq(users.id, memberships.userId)).where(inArray(memberships.id, membershipIds))
    : [];
  const standingIds = ids(events, "standing_item");
  const standingRows = standingIds.length ? await tx.select({ id: standingItems.id, title: standingItems.title }).from(standingItems).where(inArray(standingItems.id, standingIds)) : [];
  const outcomeIds = ids(events, "outcome_document");
  const outcomeRows = outcomeIds.length ? await tx.select({ id: outcomeDocuments.id, title: outcomeDocuments.title }).from(outcomeDocuments).where(inArray(outcomeDocuments.id, outcomeIds)) : [];
  const refs = referencedIds(events);
  const peopleIds = [...new Set([...refs.people, ...ids(events, "user")])];
  const peopleRows = peopleIds.length ? await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, peopleIds)) : [];
  const delegationRows = await tx
    .select({ id: delegations.id, code: delegations.code, nameEn: delegations.nameEn, nameJa: delegations.nameJa, nameKo: delegations.nameKo })
    .from(delegations)
    .where(eq(delegations.bodyId, bodyId));
  const [body] = await tx.select({ slug: bodies.slug }).from(bodies).where(eq(bodies.id, bodyId));

  const people = new Map(peopleRows.map((p) => [p.id, p.name]));
  const record = (e: EventLike): RecordRef => {
    switch (e.entityType) {
      case "meeting":
      case "agenda":
      case "minutes": {
        const meeting = meetingById.get(e.entityId) ?? null;
        const page = e.entityType === "meeting" ? "" : `/${e.entityType}`;
        return { kind: e.entityType, meeting, href: meeting ? `/meetings/${meeting.id}${page}` : null };
      }
      case "agenda_item": {
        const row = itemRows.find((r) => r.id === e.entityId);
        const meeting = row ? (meetingById.get(row.meetingId) ?? null) : null;
        const name = row?.title ?? (e.after?.title as string | undefined) ?? (e.before?.title as string | undefined) ?? null;
        return { kind: e.entityType, meeting, name, href: meeting ? `/meetings/${meeting.id}/agenda` : null };
      }
      case "invitation":
      case "minutes_comment": {
        const row = [...invitationRows, ...commentRows].find((r) => r.id === e.entityId);
        const meeting = row ? (meetingById.get(row.meetingId) ?? null) : null;
        const page = e.entityType === "invitation" ? "" : "/minutes";
        return { kind: e.entityType, meeting, href: meeting ? `/meetings/${meeting.id}${page}` : null };
      }
      case "action_item": {
        const row = actionRows.find((r) => r.id === e.entityId);
        return { kind: e.entityType, ref: row?.ref ?? null, name: row?.title ?? (e.after?.title as string | undefined) ?? null, href: row ? `/actions/${row.id}` : null };
      }
      case "membership": {
        const row = membershipRows.find((r) => r.id === e.entityId);
        return { kind: e.entityType, name: row?.name ?? null, href: row && body ? `/bodies/${body.slug}/members/${row.id}` : null };
      }
      case "user":
        return { kind: e.entityType, name: people.get(e.entityId) ?? (e.after?.name as string | undefined) ?? null };
      case "standing_item": {
        const row = standingRows.find((r) => r.id === e.entityId);
        return { kind: e.entityType, name: row?.title ?? (e.before?.title as string | undefined) ?? (e.after?.title as string | undefined) ?? null, href: body ? `/bodies/${body.slug}/standing-items` : null };
      }
      case "outcome_document": {
        const row = outcomeRows.find((r) => r.id === e.entityId);
        return { kind: e.entityType, name: row?.title ?? (e.after?.title as string | undefined) ?? null, href: row ? `/outcomes/${row.id}` : null };
      }
      case "outbox_message":
        return { kind: e.entityType, href: body ? `/bodies/${body.slug}/outbox` : null };
      default:
        return { kind: e.entityType };
    }
  };
  return {
    records: events.map(record),
    people: Object.fromEntries(people),
    delegations: delegationRows,
  };
}
