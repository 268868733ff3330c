import { useTranslation } from "~/components/i18n";
import { capitalName, zoneName } from "~/lib/capitals";
import { dayInZone, daysLater, formatInstant } from "~/lib/datetime";
import { nameIn } from "~/lib/names";

export interface CapitalZone {
  id: string;
  code: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
  timeZone: string;
}

interface Props {
  start: string;
  durationMinutes: number;
  capitals: CapitalZone[];
  viewerZone: string;
}

/**
 * A meeting's time in every member capital side by side, the viewer's zone marked, with the
 * date wherever it differs from the viewer's own day (Tokyo and Seoul are usually a day ahead).
 */
export function CapitalTimes({ start, durationMinutes, capitals, viewerZone }: Props) {
  const { t, locale } = useTranslation("meetings");
  const startsAt = new Date(start);
  const endsAt = new Date(startsAt.getTime() + durationMinutes * 60_000);
  const viewerDay = dayInZone(startsAt, viewerZone);
  const viewerIsCapital = capitals.some((c) => c.timeZone === viewerZone);
  const cells = [
    ...capitals.map((c) => ({ key: c.id, code: c.code, zone: c.timeZone, label: capitalName(c, t), country: nameIn(c, locale) })),
    ...(viewerIsCapital ? [] : [{ key: "viewer", code: null, zone: viewerZone, label: t("times.yourTime"), country: null }]),
  ];
  return (
    <div className="capital-times" role="group" aria-label={t("times.label")}>
      <p className="capital-times__date">
        <time dateTime={startsAt.toISOString()} suppressHydrationWarning>
          {formatInstant(startsAt, locale, viewerZone, "longDate")}
        </time>
      </p>
      <ul role="list" className="capital-times__list">
        {cells.map((cell) => {
          const mine = cell.zone === viewerZone;
          const day = dayInZone(startsAt, cell.zone);
          const later = daysLater(startsAt, endsAt, cell.zone);
          return (
            <li key={cell.key} className={`capital-times__cell${mine ? " capital-times__cell--mine" : ""}`}>
              <span className="capital-times__place">
                {cell.code ? (
                  <span className={`delegation delegation--${cell.code}`}>
                    <span className="delegation__code">{cell.code}</span>
                  </span>
                ) : null}{" "}
                <span className="capital-times__city">{cell.label}</span>
                {cell.country ? <span className="visually-hidden"> ({cell.country})</span> : null}
              </span>
              <span className="capital-times__time tabular" suppressHydrationWarning>
                {formatInstant(startsAt, locale, cell.zone, "time")}–{formatInstant(endsAt, locale, cell.zone, "time")}
                {later > 0 ? (
                  <>
                    {" "}
                    <span className="capital-times__next-day">{t("common:time.nextDay", { count: later })}</span>
                  </>
                ) : null}{" "}
                <span className="muted small" suppressHydrationWarning>
                  {zoneName(startsAt, cell.zone, t, locale)}
                </span>
              </span>
              {day !== viewerDay ? (
                <span className="capital-times__day small" suppressHydrationWarning>
                  {formatInstant(startsAt, locale, cell.zone, "weekdayDate")}
                </span>
              ) : null}
              {mine ? <span className="badge badge--info">{t("times.yours")}</span> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
