import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { capitalName, zoneName } from "~/lib/capitals";

interface Props {
  zone: string;
  viewerZone: string;
  capitals: Array<{ id: string; code: string; timeZone: string }>;
  /** The meeting's start: zone names (EST or EDT) depend on the date. */
  at: string;
}

/** `?zone=…` for links to the same agenda in the same zone (print, PDF, DOCX). */
export const zoneQuery = (zone: string) => `?zone=${encodeURIComponent(zone)}`;

/**
 * Which clock the agenda's item times follow: the reader's own by default, or any member
 * capital's. A plain GET form, so it works before the page's scripts load and the choice
 * stays in the address (and in the print and export links).
 */
export function AgendaZonePicker({ zone, viewerZone, capitals, at }: Props) {
  const { t, locale } = useTranslation("agenda");
  const label = (z: string) => {
    const capital = capitals.find((c) => c.timeZone === z);
    const name = capital ? capitalName(capital, t) : t("clock.yourZone", { zone: z });
    return `${name} · ${zoneName(at, z, t, locale)}`;
  };
  const options = [viewerZone, ...capitals.map((c) => c.timeZone).filter((z) => z !== viewerZone)].filter((z, i, all) => all.indexOf(z) === i);
  return (
    <Form method="get" className="row no-print" aria-label={t("clock.zonePicker")}>
      <label htmlFor="agenda-zone" className="small">
        {t("clock.zonePicker")}
      </label>
      <select id="agenda-zone" name="zone" defaultValue={zone} key={zone}>
        {options.map((z) => (
          <option key={z} value={z}>
            {label(z)}
          </option>
        ))}
      </select>
      <button type="submit" className="button button--small">
        {t("clock.show")}
      </button>
      <span className="muted small" role="status">
        {t("clock.zone", { zone: label(zone) })}
      </span>
    </Form>
  );
}
