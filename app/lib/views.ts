import { listedTitle } from "./list-text";

/** The fields of a delegation a page needs to name it and show its capital's time. */
export function delegationView(d: { id: string; code: string; nameEn: string; nameJa: string; nameKo: string; timeZone: string }) {
  return { id: d.id, code: d.code, nameEn: d.nameEn, nameJa: d.nameJa, nameKo: d.nameKo, timeZone: d.timeZone };
}

/** The fields of a meeting every list and page shows. */
export function meetingView(m: {
  id: string;
  ordinal: number;
  quarter: string;
  title: string | null;
  hostDelegationId: string | null;
  startsAt: Date;
  timeZone: string;
  durationMinutes: number;
  format: "in_person" | "virtual" | "hybrid";
  venue: string | null;
  link: string | null;
  status: "draft" | "scheduled" | "held" | "cancelled";
  sequence: number;
  version: number;
}) {
  return {
    id: m.id,
    ordinal: m.ordinal,
    quarter: m.quarter,
    title: m.title,
    hostDelegationId: m.hostDelegationId,
    startsAt: m.startsAt.toISOString(),
    timeZone: m.timeZone,
    durationMinutes: m.durationMinutes,
    format: m.format,
    venue: m.venue,
    link: m.link,
    status: m.status,
    sequence: m.sequence,
    version: m.version,
  };
}

export type MeetingView = ReturnType<typeof meetingView>;
export type DelegationView = ReturnType<typeof delegationView>;

/**
 * What a list of action items shows of each (the dashboard, the list across bodies, the print
 * view): the title as a list shows it (`shortenForList`, ADR 050; `whole` keeps it entire, for
 * paper, where the item's page is not a click away), the assignees' names, and no dates, origin
 * or identifiers the row does not render.
 */
export function actionRowView(
  r: {
    id: string;
    ref: number;
    title: string;
    ownerDelegationId: string;
    status: "open" | "in_progress" | "done" | "dropped";
    priority: "low" | "normal" | "high";
    marking: string;
    dueKind: "date" | "next_meeting";
    dueOn: string | null;
    overdue: boolean;
    carried: number;
    assignees: ReadonlyArray<{ name: string }>;
  },
  { whole = false }: { whole?: boolean } = {},
) {
  const title = whole ? { title: r.title, shortened: false } : listedTitle(r.title);
  return {
    id: r.id,
    ref: r.ref,
    ...title,
    ownerDelegationId: r.ownerDelegationId,
    status: r.status,
    priority: r.priority,
    marking: r.marking,
    dueKind: r.dueKind,
    dueOn: r.dueOn,
    overdue: r.overdue,
    carried: r.carried,
    assignees: r.assignees.map((a) => a.name),
  };
}

export type ActionRowView = ReturnType<typeof actionRowView>;
