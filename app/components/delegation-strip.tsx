import { useTranslation } from "~/components/i18n";
import { nameIn } from "~/lib/names";

export type DelegationState = "current" | "stale" | "pending";

interface Props {
  label: string;
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  states: Array<{ delegationId: string; state: DelegationState; by: string | null }>;
  /** The words for each state ("Concurred", "Approved an earlier version", …). */
  stateText: (state: DelegationState) => string;
  byText: (name: string) => string;
}

const symbol = { current: "✓", stale: "↺", pending: "…" } as const;

/**
 * "US ✓ / JP ↺ / KR …" at a glance, each in words as well as a symbol: where every delegation
 * stands on the agenda (concurrence) or the minutes (approval).
 */
export function DelegationStrip({ label, delegations, states, stateText, byText }: Props) {
  const { locale } = useTranslation();
  return (
    <ul className="concurrence" role="list" aria-label={label}>
      {delegations.map((d) => {
        const s = states.find((x) => x.delegationId === d.id) ?? { state: "pending" as const, by: null };
        return (
          <li key={d.id} className={`concurrence__item concurrence__item--${s.state}`}>
            <span className={`delegation delegation--${d.code}`}>
              <span className="delegation__code">{d.code}</span>
            </span>
            <span aria-hidden="true" className="concurrence__symbol">
              {symbol[s.state]}
            </span>
            <span className={s.state === "current" ? "" : "small"}>
              <span className="visually-hidden">{nameIn(d, locale)}: </span>
              <span className="concurrence__state">{stateText(s.state)}</span>
              {s.by ? <span className="muted small"> {byText(s.by)}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
