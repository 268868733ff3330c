import { useTranslation } from "~/components/i18n";
import type { StripGeometry } from "~/lib/slots.server";

/** The strips as the planning page receives them (the axis start is not drawn). */
export type Geometry = Omit<StripGeometry, "axisStart">;

/**
 * Two drawings of the same chart. An SVG scales its text with its width, so a 960-unit chart
 * squeezed into a 390 px phone has 4 px labels. The narrow one is drawn about as wide as a
 * phone (a unit is a pixel, labels stay 12–13 px) with a tick every six hours, shortened to
 * the hour; CSS shows one or the other, so it works before and without scripts.
 */
const LAYOUTS = {
  wide: { width: 960, label: 64, row: 44, bar: 22, tickEvery: 3, font: 11 },
  narrow: { width: 340, label: 30, row: 46, bar: 20, tickEvery: 6, font: 12 },
} as const;
type Layout = (typeof LAYOUTS)[keyof typeof LAYOUTS];

/**
 * One 24-hour strip per capital on a shared time axis: working hours shaded, candidate
 * slots as bands across every strip, so the overlap (or its absence) shows at a glance.
 */
export function SlotChart({ geometry }: { geometry: Geometry }) {
  const { t } = useTranslation("meetings");
  return (
    <figure className="slot-chart-figure">
      <Drawing geometry={geometry} layout={LAYOUTS.wide} className="slot-chart slot-chart--wide" label={t("planning.chart")} />
      <Drawing geometry={geometry} layout={LAYOUTS.narrow} className="slot-chart slot-chart--narrow" label={t("planning.chart")} />
      <figcaption className="muted small">{t("planning.chart")}</figcaption>
    </figure>
  );
}

function Drawing({ geometry, layout, className, label }: { geometry: Geometry; layout: Layout; className: string; label: string }) {
  const { width, row, bar, tickEvery, font } = layout;
  const x = (minutes: number) => layout.label + ((width - layout.label - 8) * minutes) / 1440;
  const height = geometry.strips.length * row + 28;
  // Slots at the same time of day on different days share one band, labelled with all their ranks.
  const bands = new Map<string, { from: number; to: number; ranks: number[] }>();
  for (const slot of geometry.slots) {
    const key = `${slot.from}-${slot.to}`;
    const band = bands.get(key) ?? { from: slot.from, to: slot.to, ranks: [] };
    if (!band.ranks.includes(slot.rank)) band.ranks.push(slot.rank);
    bands.set(key, band);
  }
  const shown = (tick: { label: string }) => Number(tick.label.slice(0, 2)) % tickEvery === 0;
  const tickText = (tick: { label: string }) => (tickEvery > 3 ? tick.label.slice(0, 2) : tick.label);
  return (
    <svg className={className} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} style={{ fontSize: font }}>
      {geometry.strips.map((strip, i) => {
        const top = 8 + i * row;
        return (
          <g key={strip.delegationId}>
            <text x={4} y={top + bar / 2 + 4} className="label">
              {strip.code}
            </text>
            <rect className="strip" x={x(0)} y={top} width={x(1440) - x(0)} height={bar} rx={3} />
            {strip.working.map((w) => (
              <rect key={`${w.from}`} className="working" x={x(w.from)} y={top} width={x(w.to) - x(w.from)} height={bar} />
            ))}
            {strip.midnights.map((m) => (
              <line key={m} className="midnight" x1={x(m)} x2={x(m)} y1={top - 2} y2={top + bar + 2} />
            ))}
            {strip.ticks.filter(shown).map((tick) => (
              <text key={tick.at} x={x(tick.at)} y={top + bar + 13} textAnchor="middle" className="tick">
                {tickText(tick)}
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
            height={geometry.strips.length * row - 8}
            rx={2}
          />
          <text x={x(band.from) + 3} y={height - 6} className="label">
            {band.ranks.sort((a, b) => a - b).join(",")}
          </text>
        </g>
      ))}
    </svg>
  );
}
