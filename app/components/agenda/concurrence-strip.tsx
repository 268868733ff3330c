import { useTranslation } from "~/components/i18n";
import { nameIn } from "~/lib/names";

interface Props {
  delegations: Array<{ id: string; code: string; nameEn: string; nameJa: string; nameKo: string }>;
  states: Array<{ delegationId: string; state: "current" | "stale" | "pending"; by: string | null }>;
}

const symbol = { current: "✓", stale: "↺", pending: "…" } as const;

/** "US ✓ / JP ✓ / KR pending" at a glance, each in words as well as a symbol. */
export function ConcurrenceStrip({ delegations, states }: Props) {
  const { t, locale } = useTranslation("agenda");
  return (
    <ul className="concurrence" role="list" aria-label={t("concurrence.title")}>
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
              <span className="concurrence__state">{t(`concurrence.${s.state}`)}</span>
              {s.by ? <span className="muted small"> {t("concurrence.by", { name: s.by })}</span> : null}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
