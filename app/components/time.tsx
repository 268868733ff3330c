import { useTranslation } from "~/components/i18n";
import { formatInstant, type DateInput, type Style } from "~/lib/datetime";

/**
 * An instant for people. Server and browser may carry slightly different ICU data, so the
 * text is allowed to differ at hydration; the machine-readable value never does.
 */
export function Time({ value, zone, style = "dateTime" }: { value: DateInput; zone: string; style?: Style }) {
  const { locale } = useTranslation();
  const date = value instanceof Date ? value : new Date(value);
  return (
    <time dateTime={date.toISOString()} suppressHydrationWarning>
      {formatInstant(date, locale, zone, style)}
    </time>
  );
}
