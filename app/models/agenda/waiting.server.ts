import { inArray } from "drizzle-orm";
import { agendas } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import type { Meeting } from "~/models/core/scope.server";
import { agendaHash, agendaReadiness, concurrenceStates, listAgendaItems } from "~/models/agenda/agenda.server";

export interface AgendaWaiting {
  meetingId: string;
  /** "pending": not yet concurred; "stale": a later change voided the concurrence. */
  state: "pending" | "stale";
  ready: boolean;
  /** The agenda as it stands, for concurring straight from the list. */
  hash: string;
  /** When the delegation last concurred (the concurrence a "stale" state says was voided). */
  signedAt: Date | null;
}

/**
 * The open agendas of these meetings that still need this delegation's concurrence. Only
 * agendas that exist are asked about: an agenda nobody has opened has nothing to concur with.
 */
export async function agendasAwaitingConcurrence(tx: DbOrTx, meetings: Meeting[], delegationId: string): Promise<AgendaWaiting[]> {
  if (meetings.length === 0) return [];
  const open = await tx
    .select()
    .from(agendas)
    .where(inArray(agendas.meetingId, meetings.map((m) => m.id)));
  const waiting: AgendaWaiting[] = [];
  for (const agenda of open) {
    if (agenda.lockedAt) continue;
    const meeting = meetings.find((m) => m.id === agenda.meetingId)!;
    const items = await listAgendaItems(tx, meeting.id);
    const hash = agendaHash(agenda, items);
    const states = await concurrenceStates(tx, meeting.id, meeting.bodyId, hash);
    const mine = states.find((s) => s.delegationId === delegationId);
    if (mine && mine.state !== "current") waiting.push({ meetingId: meeting.id, state: mine.state, ready: agendaReadiness(meeting, items).ready, hash, signedAt: mine.at });
  }
  return waiting;
}

/** Open agendas every delegation has concurred with: the secretariat's turn to lock. */
export async function agendasReadyToLock(tx: DbOrTx, meetings: Meeting[]): Promise<string[]> {
  if (meetings.length === 0) return [];
  const open = await tx
    .select()
    .from(agendas)
    .where(inArray(agendas.meetingId, meetings.map((m) => m.id)));
  const ready: string[] = [];
  for (const agenda of open) {
    if (agenda.lockedAt) continue;
    const meeting = meetings.find((m) => m.id === agenda.meetingId)!;
    const items = await listAgendaItems(tx, meeting.id);
    const states = await concurrenceStates(tx, meeting.id, meeting.bodyId, agendaHash(agenda, items));
    if (states.length > 0 && states.every((s) => s.state === "current") && agendaReadiness(meeting, items).ready) ready.push(meeting.id);
  }
  return ready;
}


