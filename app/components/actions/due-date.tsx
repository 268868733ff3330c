import { useTranslation } from "~/components/i18n";
import { formatCalendarDay } from "~/lib/datetime";
import type { Locale } from "~/lib/i18n";

/** A calendar date in the reader's language; due dates are days, not instants, so no zone applies. */
export function formatDay(day: string, locale: Locale): string {
  return formatCalendarDay(day, locale);
}

export function DueDate({ dueOn, dueKind, overdue }: { dueOn: string | null; dueKind: "date" | "next_meeting"; overdue: boolean }) {
  const { t, locale } = useTranslation("actions");
  if (!dueOn) return <span className="muted">{dueKind === "next_meeting" ? t("due.nextMeetingUnscheduled") : t("due.none")}</span>;
  const date = formatDay(dueOn, locale);
  // One text each (no separator comments between the pieces): a list renders dozens of these.
  if (overdue) return <span className="due--overdue">{`⚠ ${t("due.overdue", { date })}`}</span>;
  return <span>{dueKind === "next_meeting" ? t("due.nextMeeting", { date }) : t("due.on", { date })}</span>;
}
