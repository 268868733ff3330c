import { useTranslation } from "~/components/i18n";
import type { StripGeometry } from "~/lib/slots.server";

/** The strips as the planning page receives them (the axis start is not drawn). */
export type Geometry = Omit<StripGeometry, "axisStart">;

const LABEL = 64;
const WIDTH = 960;
const ROW = 44;
const BAR = 22;
const x = (minutes: number) => LABEL + ((WIDTH - LABEL - 8) * minutes) / 1440;

/**
 * One 24-hour strip per capital on a shared time axis: working hours shaded, candidate
 * slots as bands across every strip, so the overlap (or its absence) shows at a glance.
 */
export function SlotChart({ geometry }: { geometry: Geometry }) {
  const { t } = useTranslation("meetings");
  const height = geometry.strips.length * ROW + 28;
  // Slots at the same time of day on different days share one band, labelled with all their ranks.
  const bands = new Map<string, { from: number; to: number; ranks: number[] }>();
  for (const slot of geometry.slots) {
    const key = `${slot.from}-${slot.to}`;
    const band = bands.get(key) ?? { from: slot.from, to: slot.to, ranks: [] };
    if (!band.ranks.includes(slot.rank)) band.ranks.push(slot.rank);
    bands.set(key, band);
  }
  return (
    <figure className="slot-chart-figure">
      <svg className="slot-chart" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={t("planning.chart")}>
        {geometry.strips.map((strip, i) => {
          const top = 8 + i * ROW;
          return (
            <g key={strip.delegationId}>
              <text x={4} y={top + BAR / 2 + 4} className="label">
                {strip.code}
              </text>
              <rect className="strip" x={x(0)} y={top} width={x(1440) - x(0)} height={BAR} rx={3} />
              {strip.working.map((w) => (
                <rect key={`${w.from}`} className="working" x={x(w.from)} y={top} width={x(w.to) - x(w.from)} height={BAR} />
              ))}
              {strip.midnights.map((m) => (
                <line key={m} className="midnight" x1={x(m)} x2={x(m)} y1={top - 2} y2={top + BAR + 2} />
              ))}
              {strip.ticks.map((tick) => (
                <text key={tick.at} x={x(tick.at)} y={top + BAR + 12} textAnchor="middle">
                  {tick.label}
                </text>
              ))}
            </g>
          );
        })}
        {[...bands.values()].map((band) => (
          <g key={`${band.from}-${band.to}`}>
            <rect
              className={`slot${band.ranks.includes(1) ? " slot--best" : ""}`}
              x={x(band.from)}
              y={4}
              width={Math.max(2, x(band.to) - x(band.from))}
              height={geometry.strips.length * ROW - 8}
              rx={2}
            />
            <text x={x(band.from) + 3} y={height - 6} className="label">
              {band.ranks.sort((a, b) => a - b).join(",")}
            </text>
          </g>
        ))}
      </svg>
      <figcaption className="muted small">{t("planning.chart")}</figcaption>
    </figure>
  );
}
