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
