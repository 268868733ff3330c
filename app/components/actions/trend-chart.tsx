import { useTranslation } from "~/components/i18n";
import { meetingName } from "~/lib/meeting-names";

interface Point {
  meetingId: string;
  ordinal: number;
  title: string | null;
  perDelegation: Record<string, { open: number; closed: number }>;
}

interface Props {
  trend: Point[];
  delegations: Array<{ id: string; code: string }>;
}

const colour: Record<string, string> = { US: "#1d4ed8", JP: "#b91c1c", KR: "#0f766e" };

/**
 * Per delegation, after each held meeting: open items as an outlined bar, closed items as a
 * filled one. Drawn as SVG on the server; the numbers are in a table too, which replaces the
 * chart on a phone, where its labels would be too small to read.
 */
export function TrendChart({ trend, delegations }: Props) {
  const { t, locale } = useTranslation("actions");
  if (trend.length === 0) return <p className="muted">{t("trend.none")}</p>;
  const max = Math.max(1, ...trend.flatMap((p) => Object.values(p.perDelegation).flatMap((c) => [c.open, c.closed])));
  const groupWidth = delegations.length * 2 * 12 + 16;
  const width = 40 + trend.length * groupWidth;
  const height = 150;
  const y = (n: number) => 120 - (100 * n) / max;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${width} ${height}`} className="trend__chart" role="img" aria-label={t("trend.title")}>
        <line x1={32} x2={width} y1={120} y2={120} stroke="#9aa4b1" />
        <text x={28} y={24} textAnchor="end" className="trend__axis">
          {max}
        </text>
        <text x={28} y={124} textAnchor="end" className="trend__axis">
          0
        </text>
        {trend.map((point, i) => {
          const x0 = 40 + i * groupWidth;
          return (
            <g key={point.meetingId}>
              {delegations.map((d, j) => {
                const cell = point.perDelegation[d.id] ?? { open: 0, closed: 0 };
                const x = x0 + j * 24;
                const c = colour[d.code] ?? "#5b6573";
                return (
                  <g key={d.id}>
                    <rect x={x} y={y(cell.open)} width={10} height={120 - y(cell.open)} fill="#fff" stroke={c} strokeWidth={1.5}>
                      <title>{`${d.code}: ${cell.open} ${t("trend.open")}`}</title>
                    </rect>
                    <rect x={x + 11} y={y(cell.closed)} width={10} height={120 - y(cell.closed)} fill={c}>
                      <title>{`${d.code}: ${cell.closed} ${t("trend.closed")}`}</title>
                    </rect>
                    <text x={x + 10} y={134} textAnchor="middle" className="trend__code">
                      {d.code}
                    </text>
                  </g>
                );
              })}
              <text x={x0 + (delegations.length * 24) / 2} y={147} textAnchor="middle" className="trend__label">
                {meetingName(point, t, locale)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small trend__caption">{t("trend.caption")}</figcaption>
      {/* The same numbers as a table: read out on wide screens, shown instead of the chart on phones. */}
      <div className="trend__numbers">
      <table className="table table--stack">
        <caption>{t("trend.title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("filters.meeting")}</th>
            {delegations.map((d) => (
              <th key={d.id} scope="col">
                {d.code}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {trend.map((p) => (
            <tr key={p.meetingId}>
              <th scope="row">{meetingName(p, t, locale)}</th>
              {delegations.map((d) => (
                <td key={d.id} data-label={d.code}>
                  {p.perDelegation[d.id]?.open ?? 0} {t("trend.open")}, {p.perDelegation[d.id]?.closed ?? 0} {t("trend.closed")}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </figure>
  );
}
