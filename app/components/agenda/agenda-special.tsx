import "~/components/every-page";
import { Link } from "@remix-run/react";
import { DueDate } from "~/components/actions/due-date";
import { ActionStatusBadge } from "~/components/actions/status-badge";
import { DelegationStrip, type DelegationState } from "~/components/delegation-strip";
import { useTranslation } from "~/components/i18n";
import { meetingName } from "~/lib/meeting-names";
import type { AgendaItemView, Delegation } from "./agenda-types";

/*
 * Parts of the agenda that are text and links until their data changes, hydrated when needed
 * (ADR 053): the route renders them through `hydrateWhenNeeded`.
 */

interface Props {
  item: AgendaItemView;
  previous: { meeting: { id: string; ordinal: number; title?: string | null }; minutes: string } | null;
  review: Array<{ id: string; ref: number | string; title: string; status: Parameters<typeof ActionStatusBadge>[0]["status"]; ownerDelegationId: string | null; dueOn: string | null }>;
  delegations: Delegation[];
  meetingId: string;
}

/** Content for the items every agenda carries: the previous minutes, the action items to review. */
export function SpecialContent({ item, previous, review, delegations, meetingId }: Props) {
  const { t, locale } = useTranslation("agenda");
  if (item.special === "minutes_adoption") {
    if (!previous) return <p className="small muted">{t("adoption.noPrevious")}</p>;
    return (
      <p className="small">
        <Link to={`/meetings/${previous.meeting.id}/minutes`}>{t("adoption.previous", { meeting: meetingName(previous.meeting, t, locale) })}</Link>
        {" — "}
        {t(`adoption.status.${previous.minutes}`)}
      </p>
    );
  }
  return (
    <div className="small">
      <p>{review.length ? t("review.intro") : t("review.none")}</p>
      {review.length ? (
        <ul className="plain-list">
          {review.map((a) => {
            const owner = delegations.find((d) => d.id === a.ownerDelegationId);
            return (
              <li key={a.id} className="row">
                <Link to={`/actions/${a.id}`}>
                  {t("actions:ref", { ref: a.ref })} {a.title}
                </Link>
                {owner ? <span className="muted">{owner.code}</span> : null}
                <ActionStatusBadge status={a.status} />
                <DueDate dueOn={a.dueOn} dueKind="date" overdue={false} />
              </li>
            );
          })}
        </ul>
      ) : null}
      <Link to={`/meetings/${meetingId}/actions`}>{t("review.followUp")}</Link>
    </div>
  );
}

/** Where each delegation stands on this agenda: "US ✓ / JP ↺ / KR …", in words as well. */
export function Concurrences({ delegations, states }: { delegations: Delegation[]; states: Array<{ delegationId: string; state: DelegationState; by: string | null }> }) {
  const { t } = useTranslation("agenda");
  return <DelegationStrip label={t("concurrence.title")} delegations={delegations} states={states} stateText={(s) => t(`concurrence.${s}`)} byText={(name) => t("concurrence.by", { name })} />;
}
