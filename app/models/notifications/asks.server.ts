import type { Meeting } from "~/models/core/scope.server";
import type { ActionWaiting } from "~/models/actions/waiting.server";
import type { WaitingEntry } from "~/models/home/home.server";

/** How long before its start a meeting reminder goes out, and how long before that a head who has not concurred is reminded. */
export const MEETING_REMINDER_MS = 24 * 60 * 60_000;
export const CONCURRENCE_LATE_MS = 48 * 60 * 60_000;
/** Days after circulation at which an approval still awaited is overdue; days before its due date an action item is reminded. */
export const APPROVAL_LATE_DAYS = 14;
export const ACTION_DUE_DAYS = 3;

export type AskKind =
  | "concurRequested"
  | "concurVoided"
  | "concurLate"
  | "approvalRequested"
  | "approvalVoided"
  | "approvalLate"
  | "lockReady"
  | "adoptReady"
  | "meetingSoon"
  | "actionDue"
  | "actionOverdue";

/**
 * One thing Concord asks or reminds a person of, named by a key that stays the same for as
 * long as it is the same ask: the key is what makes each ask go out once (ADR 025).
 */
export type Ask =
  | { key: string; kind: Exclude<AskKind, "actionDue" | "actionOverdue">; meeting: Meeting }
  | { key: string; kind: "actionDue" | "actionOverdue"; item: ActionWaiting };

/**
 * The asks in what waits for a person in one body ("Waiting for you", the body's next meeting).
 * A concurrence is asked for once the agenda is ready to concur with; a voided one is told
 * once per concurrence given; reminders come once per meeting time or due date.
 */
export function asksFrom({ waiting, next, now, today }: { waiting: WaitingEntry[]; next: Meeting | null; now: Date; today: string }): Ask[] {
  const asks: Ask[] = [];
  for (const entry of waiting) {
    switch (entry.kind) {
      case "agenda.concur": {
        const { meeting } = entry;
        if (entry.state === "stale" && entry.signedAt) asks.push({ key: `agenda.voided:${meeting.id}:${entry.signedAt.getTime()}`, kind: "concurVoided", meeting });
        else if (entry.state === "pending" && entry.ready) asks.push({ key: `agenda.concur:${meeting.id}`, kind: "concurRequested", meeting });
        const untilStart = meeting.startsAt.getTime() - now.getTime();
        if (entry.ready && untilStart > 0 && untilStart <= CONCURRENCE_LATE_MS) asks.push({ key: `agenda.late:${meeting.id}:${meeting.startsAt.getTime()}`, kind: "concurLate", meeting });
        break;
      }
      case "minutes.approve": {
        const { meeting } = entry;
        if (entry.state === "stale" && entry.signedAt) asks.push({ key: `minutes.voided:${meeting.id}:${entry.signedAt.getTime()}`, kind: "approvalVoided", meeting });
        else asks.push({ key: `minutes.approve:${meeting.id}:${entry.round}`, kind: "approvalRequested", meeting });
        if (entry.since && now.getTime() - entry.since.getTime() >= APPROVAL_LATE_DAYS * 86_400_000) asks.push({ key: `minutes.late:${meeting.id}:${entry.round}`, kind: "approvalLate", meeting });
        break;
      }
      case "agenda.lock":
        asks.push({ key: `agenda.lock:${entry.meeting.id}`, kind: "lockReady", meeting: entry.meeting });
        break;
      case "minutes.adopt":
        asks.push({ key: `minutes.adopt:${entry.meeting.id}`, kind: "adoptReady", meeting: entry.meeting });
        break;
      case "action": {
        const { item } = entry;
        if (item.overdue) asks.push({ key: `action.overdue:${item.id}:${item.dueOn}`, kind: "actionOverdue", item });
        else if (daysBetween(today, item.dueOn) <= ACTION_DUE_DAYS) asks.push({ key: `action.due:${item.id}:${item.dueOn}`, kind: "actionDue", item });
        break;
      }
      case "invitation":
        // The invitation itself was mailed, with the calendar file to answer from.
        break;
    }
  }
  if (next && next.status === "scheduled") {
    const untilStart = next.startsAt.getTime() - now.getTime();
    if (untilStart > 0 && untilStart <= MEETING_REMINDER_MS) asks.push({ key: `meeting.soon:${next.id}:${next.startsAt.getTime()}`, kind: "meetingSoon", meeting: next });
  }
  return asks;
}

/** Whole days from one local date (YYYY-MM-DD) to another. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
