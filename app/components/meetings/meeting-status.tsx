import { useTranslation } from "~/components/i18n";

const tone = { draft: "badge--warn", scheduled: "badge--info", held: "badge--ok", cancelled: "badge--danger" } as const;
const mark = { draft: "✎", scheduled: "◷", held: "✓", cancelled: "✕" } as const;

/** Status in words and a symbol, never colour alone. */
export function MeetingStatus({ status }: { status: keyof typeof tone }) {
  const { t } = useTranslation("meetings");
  return (
    <span className={`badge ${tone[status]}`}>
      <span aria-hidden="true">{mark[status]}</span> {t(`status.${status}`)}
    </span>
  );
}
