import type { DbOrTx } from "~/lib/db.server";
import type { Meeting } from "~/models/core/scope.server";
import { agendaReadiness, agendasWithItems, concurrenceStates, seenHash, type AgendaRead } from "~/models/agenda/agenda.server";
import { audienceFor, type Reader } from "~/models/core/audience.server";

export interface AgendaWaiting {
  meetingId: string;
  /** "pending": not yet concurred; "stale": a later change voided the concurrence. */
  state: "pending" | "stale";
  ready: boolean;
  /** The agenda as this head sees it, for concurring straight from the list. */
  hash: string;
  /** When the delegation last concurred (the concurrence a "stale" state says was voided). */
  signedAt: Date | null;
}

/**
 * The open agendas of these meetings that still need this delegation's concurrence. Only
 * agendas that exist are asked about: an agenda nobody has opened has nothing to concur with.
 */
export async function agendasAwaitingConcurrence(tx: DbOrTx, meetings: Meeting[], head: Reader & { delegationId: string }, read?: Map<string, AgendaRead>): Promise<AgendaWaiting[]> {
  const { delegationId } = head;
  if (meetings.length === 0) return [];
  // Every agenda with its items and concurrences in one statement (ADR 044), or what the caller
  // read of them already (`read`, the start page's one statement for all its bodies).
  const open = read ?? (await agendasWithItems(tx, meetings.map((m) => m.id)));
  const waiting: AgendaWaiting[] = [];
  // In the meetings' order (the caller's: oldest first).
  for (const meeting of meetings) {
    const read = open.get(meeting.id);
    if (!read || read.agenda.lockedAt) continue;
    const { agenda, items, concurrences } = read;
    const states = await concurrenceStates(tx, meeting, agenda, items, concurrences);
    const mine = states.find((s) => s.delegationId === delegationId);
    if (mine && mine.state !== "current") {
      const hash = seenHash(agenda, items, await audienceFor(tx, head, meeting.id));
      waiting.push({ meetingId: meeting.id, state: mine.state, ready: agendaReadiness(meeting, items).ready, hash, signedAt: mine.at });
    }
  }
  return waiting;
}

/** Open agendas every delegation has concurred with: the secretariat's turn to lock. */
export async function agendasReadyToLock(tx: DbOrTx, meetings: Meeting[], read?: Map<string, AgendaRead>): Promise<string[]> {
  if (meetings.length === 0) return [];
  const open = read ?? (await agendasWithItems(tx, meetings.map((m) => m.id)));
  const ready: string[] = [];
  // In the meetings' order (the caller's: oldest first).
  for (const meeting of meetings) {
    const read = open.get(meeting.id);
    if (!read || read.agenda.lockedAt) continue;
    const { agenda, items, concurrences } = read;
    const states = await concurrenceStates(tx, meeting, agenda, items, concurrences);
    if (states.length > 0 && states.every((s) => s.state === "current") && agendaReadiness(meeting, items).ready) ready.push(meeting.id);
  }
  return ready;
}


