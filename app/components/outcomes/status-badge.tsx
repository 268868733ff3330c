import { useTranslation } from "~/components/i18n";

const tone = { negotiating: "badge--warn", silence: "badge--info", adopted: "badge--ok", issued: "badge--ok" } as const;

/** Where an outcome document stands, in words (the colour only repeats it). */
export function OutcomeStatusBadge({ status }: { status: keyof typeof tone }) {
  const { t } = useTranslation("outcomes");
  return <span className={`badge ${tone[status]}`}>{t(`status.${status}`)}</span>;
}
