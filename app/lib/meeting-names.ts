import type { TFunction } from "./i18n";
import { intlLocale, type Locale } from "./i18n";

const englishSuffix: Record<string, string> = { one: "st", two: "nd", few: "rd", other: "th" };
const ordinalRules = new Intl.PluralRules(intlLocale.en, { type: "ordinal" });

/** "5th", "第5回", "제5차": the ordinal as each language writes it for a meeting. */
export function ordinalLabel(n: number, locale: Locale): string {
  if (locale === "en") return `${n}${englishSuffix[ordinalRules.select(n)]}`;
  return String(n);
}

/** "5th meeting" / "第5回会合" / "제5차 회의", or the meeting's own title when it has one. */
export function meetingName(meeting: { ordinal: number; title?: string | null }, t: TFunction, locale: Locale): string {
  if (meeting.title) return meeting.title;
  return t("meetings:name", { ordinal: ordinalLabel(meeting.ordinal, locale), n: meeting.ordinal });
}

/** "2027-Q1" → "2027 Q1" / "2027年第1四半期" / "2027년 1분기". */
export function quarterLabel(quarter: string, t: TFunction): string {
  const [year, q] = quarter.split("-Q");
  return t("meetings:quarter", { year, q });
}
