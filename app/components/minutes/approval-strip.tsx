import { useTranslation } from "~/components/i18n";
import { nameIn } from "~/lib/names";

interface Props {
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  states: Array<{ delegationId: string; state: "current" | "stale" | "pending"; by: string | null }>;
}

const symbol = { current: "✓", stale: "↺", pending: "…" } as const;

/** Each delegation's approval of the minutes as they are now, at a glance. */
export function ApprovalStrip({ delegations, states }: Props) {
  const { t, locale } = useTranslation("minutes");
  return (
    <ul className="concurrence" role="list" aria-label={t("approvals.title")}>
      {delegations.map((d) => {
        const s = states.find((x) => x.delegationId === d.id) ?? { state: "pending" as const, by: null };
        return (
          <li key={d.id} className={`concurrence__item concurrence__item--${s.state}`}>
            <span className={`delegation delegation--${d.code}`}>
              <span className="delegation__code">{d.code}</span>
            </span>
            <span aria-hidden="true">{symbol[s.state]}</span>
            <span>
              <span className="visually-hidden">{nameIn(d, locale)}: </span>
              <span className="concurrence__state">{t(`approvals.${s.state}`)}</span>
              {s.by ? <span className="muted small"> ({s.by})</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
