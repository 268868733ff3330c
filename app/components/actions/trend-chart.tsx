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
 *
 * Each delegation's open bars are one path and its closed bars another, and each meeting has
 * one hover area with its numbers as a tooltip: a body with 40 meetings drew 40 × 3 × 5
 * elements before (a rect, a title and a code label per bar), now 6 paths and 40 areas. The
 * delegations' codes are in a legend under the chart.
 */
export function TrendChart({ trend, delegations }: Props) {
  const { t, locale } = useTranslation("actions");
  if (trend.length === 0) return <p className="muted">{t("trend.none")}</p>;
  const max = Math.max(1, ...trend.flatMap((p) => Object.values(p.perDelegation).flatMap((c) => [c.open, c.closed])));
  const groupWidth = delegations.length * 2 * 12 + 16;
  const width = 40 + trend.length * groupWidth;
  const height = 150;
  const y = (n: number) => 120 - (100 * n) / max;
  // A bar of n items at x, as a closed subpath (none for 0, as a rect of height 0 drew nothing).
  const bar = (x: number, n: number) => (n > 0 ? `M${x} ${y(n)}h10V120h-10Z` : "");
  const names = trend.map((point) => meetingName(point, t, locale));
  // Asked once, not for every meeting and delegation (480 times at 40 meetings).
  const openWord = t("trend.open");
  const closedWord = t("trend.closed");
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
        {delegations.map((d, j) => {
          const c = colour[d.code] ?? "#5b6573";
          const cells = trend.map((point, i) => ({ x: 40 + i * groupWidth + j * 24, cell: point.perDelegation[d.id] ?? { open: 0, closed: 0 } }));
          return (
            <g key={d.id}>
              <path d={cells.map(({ x, cell }) => bar(x, cell.open)).join("")} fill="#fff" stroke={c} strokeWidth={1.5} />
              <path d={cells.map(({ x, cell }) => bar(x + 11, cell.closed)).join("")} fill={c} />
            </g>
          );
        })}
        {trend.map((point, i) => {
          const x0 = 40 + i * groupWidth;
          const numbers = delegations.map((d) => `${d.code}: ${point.perDelegation[d.id]?.open ?? 0} ${openWord}, ${point.perDelegation[d.id]?.closed ?? 0} ${closedWord}`);
          return (
            <g key={point.meetingId}>
              <rect x={x0 - 4} y={10} width={groupWidth - 8} height={140} fill="transparent">
                <title>{`${names[i]} — ${numbers.join("; ")}`}</title>
              </rect>
              <text x={x0 + (delegations.length * 24) / 2} y={147} textAnchor="middle" className="trend__label">
                {names[i]}
              </text>
            </g>
          );
        })}
      </svg>
      <p className="trend__legend small" aria-hidden="true">
        {delegations.map((d) => (
          <span key={d.id} className={`delegation delegation--${d.code}`}>
            <span className="delegation__code">{d.code}</span>
          </span>
        ))}
      </p>
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
          {trend.map((p, i) => (
            <tr key={p.meetingId}>
              <th scope="row">{names[i]}</th>
              {delegations.map((d) => (
                <td key={d.id} data-label={d.code}>
                  {p.perDelegation[d.id]?.open ?? 0} {openWord}, {p.perDelegation[d.id]?.closed ?? 0} {closedWord}
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
