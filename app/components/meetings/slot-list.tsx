import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { DelegationBadge } from "~/components/delegation-badge";
import { nameIn } from "~/lib/names";
import type { DelegationView } from "~/lib/views";
import { CapitalTimes } from "./capital-times";

type Reason =
  | { kind: "withinHours" }
  | { kind: "outside"; delegationId: string; minutes: number }
  | { kind: "weekend"; delegationId: string }
  | { kind: "rotation"; avoided: string }
  | { kind: "rotationRepeat"; repeated: string };

export interface Candidate {
  rank: number;
  start: string;
  end: string;
  score: number;
  worstDelegationId: string | null;
  reasons: Reason[];
}

interface Props {
  candidates: Candidate[];
  delegations: DelegationView[];
  viewerZone: string;
  hidden: Record<string, string>;
}

/** Ranked slots, each with its reasons in words and a one-click "schedule". */
export function SlotList({ candidates, delegations, viewerZone, hidden }: Props) {
  const { t, locale } = useTranslation("meetings");
  const name = (id: string) => {
    const d = delegations.find((x) => x.id === id);
    return d ? nameIn(d, locale) : id;
  };
  const why = (r: Reason) => {
    switch (r.kind) {
      case "withinHours":
        return t("planning.why.withinHours");
      case "outside":
        return t("planning.why.outside", { delegation: name(r.delegationId), minutes: r.minutes });
      case "weekend":
        return t("planning.why.weekend", { delegation: name(r.delegationId) });
      case "rotation":
        return t("planning.why.rotation", { delegation: name(r.avoided) });
      case "rotationRepeat":
        return t("planning.why.rotationRepeat", { delegation: name(r.repeated) });
    }
  };
  return (
    <ol className="slot-list" role="list">
      {candidates.map((c) => {
        const duration = Math.round((new Date(c.end).getTime() - new Date(c.start).getTime()) / 60_000);
        const worst = delegations.find((d) => d.id === c.worstDelegationId);
        return (
          <li key={c.start} className="card">
            <div className="row">
              <strong>{t("planning.rank", { rank: c.rank })}</strong>
              <span className="badge" title={t("planning.scoreHelp")}>
                {t("planning.score", { score: c.score })}
              </span>
              {worst ? <DelegationBadge delegation={worst} short /> : null}
            </div>
            <CapitalTimes start={c.start} durationMinutes={duration} capitals={delegations} viewerZone={viewerZone} />
            <ul className="slot-list__why">
              {c.reasons.map((r, i) => (
                <li key={i}>{why(r)}</li>
              ))}
            </ul>
            <Form method="post" className="form-actions">
              <input type="hidden" name="intent" value="slot" />
              <input type="hidden" name="start" value={c.start} />
              {Object.entries(hidden).map(([k, v]) => (
                <input key={k} type="hidden" name={k} value={v} />
              ))}
              <button type="submit" className="button button--primary">
                {t("planning.schedule")}
              </button>
            </Form>
          </li>
        );
      })}
    </ol>
  );
}
