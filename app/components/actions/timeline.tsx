import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { meetingName } from "~/lib/meeting-names";
import { ActionStatusBadge } from "./status-badge";

export interface TimelineEntryView {
  id: number;
  kind: "created" | "edited" | "status" | "note" | "review";
  at: string;
  actorName: string | null;
  meetingId: string | null;
  changes: Record<string, { from?: unknown; to?: unknown }> | null;
  note: string | null;
  statusAfter: "open" | "in_progress" | "done" | "dropped";
}

interface Props {
  entries: TimelineEntryView[];
  meetings: Array<{ id: string; ordinal: number; title: string | null }>;
  delegations: Array<{ id: string; code: string }>;
}

/** The form label for each recorded field. */
const label: Record<string, string> = {
  title: "fields.title",
  detail: "fields.detail",
  ownerDelegationId: "fields.owner",
  assigneeIds: "fields.assignees",
  dueKind: "fields.dueKind",
  dueDate: "fields.dueDate",
  priority: "fields.priority",
  marking: "fields.marking",
  originMeetingId: "fields.origin",
  originAgendaItemId: "fields.origin",
  status: "fields.status",
};

/** Every change to the item, oldest first, with the meeting it was reviewed at. */
export function Timeline({ entries, meetings, delegations }: Props) {
  const { t, locale } = useTranslation("actions");
  const zone = useViewerZone();
  const name = (id: string | null) => {
    const m = meetings.find((x) => x.id === id);
    return m ? meetingName(m, t, locale) : "";
  };
  // Values as people read them: names for ids, words for codes, a short excerpt for text.
  const show = (field: string, v: unknown): string => {
    if (v === null || v === undefined || v === "") return "—";
    switch (field) {
      case "status":
        return t(`status.${String(v)}`);
      case "priority":
        return t(`priority.${String(v)}`);
      case "dueKind":
        return v === "date" ? t("fields.dueOnDate") : t("fields.dueNextMeeting");
      case "ownerDelegationId":
        return delegations.find((d) => d.id === v)?.code ?? "—";
      case "originMeetingId":
        return name(String(v)) || "—";
      case "assigneeIds":
        return String(Array.isArray(v) ? v.length : 0);
      default:
        return String(v).replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 120);
    }
  };
  return (
    <ol className="timeline">
      {entries.map((e) => (
        <li key={e.id}>
          <div className="row">
            <strong>{t(`page.event.${e.kind}`, { name: e.actorName ?? t("page.someone"), meeting: name(e.meetingId) })}</strong>
            {e.meetingId && e.kind !== "review" ? <span className="timeline__meeting">{name(e.meetingId)}</span> : null}
            <ActionStatusBadge status={e.statusAfter} />
          </div>
          <div className="small muted">
            <Time value={e.at} zone={zone} />
          </div>
          {e.changes ? (
            <ul className="small plain-list">
              {Object.entries(e.changes).map(([field, c]) => (
                <li key={field}>
                  {t("page.change", { field: label[field] ? t(label[field]) : field, from: show(field, c.from), to: show(field, c.to) })}
                </li>
              ))}
            </ul>
          ) : null}
          {e.note ? <p className="prose" style={{ whiteSpace: "pre-wrap", marginTop: "0.25rem" }}>{e.note}</p> : null}
        </li>
      ))}
    </ol>
  );
}
