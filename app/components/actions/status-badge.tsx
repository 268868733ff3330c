import { useTranslation } from "~/components/i18n";

const tone = { open: "badge--warn", in_progress: "badge--info", done: "badge--ok", dropped: "" } as const;
const mark = { open: "○", in_progress: "◐", done: "●", dropped: "–" } as const;

/** Status in words and a symbol, never colour alone. */
export function ActionStatusBadge({ status }: { status: keyof typeof tone }) {
  const { t } = useTranslation("actions");
  return (
    <span className={`badge ${tone[status]}`}>
      <span aria-hidden="true">{mark[status]}</span>
      {` ${t(`status.${status}`)}`}
    </span>
  );
}
