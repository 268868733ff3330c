import { intlLocale, type Locale } from "./i18n";

/**
 * Formatting of instants for people, always through Intl in an explicit IANA zone.
 * Nothing here computes with offsets: the zone database does that.
 */

export type DateInput = Date | string | number;

const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(intlLocale[locale], { timeZone, ...options });
    cache.set(key, f);
  }
  return f;
}

const toDate = (value: DateInput) => (value instanceof Date ? value : new Date(value));

export const styles = {
  dateTime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  longDate: { weekday: "short", year: "numeric", month: "short", day: "numeric" },
  time: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  weekdayDate: { weekday: "short", month: "short", day: "numeric" },
  zoneName: { timeZoneName: "short" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

export type Style = keyof typeof styles;

export function formatInstant(value: DateInput, locale: Locale, timeZone: string, style: Style = "dateTime"): string {
  return formatter(locale, timeZone, styles[style]).format(toDate(value));
}

/** The calendar day of an instant in a zone, as YYYY-MM-DD (for "is it the same day there?"). */
export function dayInZone(value: DateInput, timeZone: string): string {
  const parts = formatter("en", timeZone, { year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(toDate(value));
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** A zone's short name at an instant ("EST", "GMT+9"), in the reader's language. */
export function zoneAbbreviation(value: DateInput, locale: Locale, timeZone: string): string {
  return formatter(locale, timeZone, styles.zoneName).formatToParts(toDate(value)).find((p) => p.type === "timeZoneName")?.value ?? timeZone;
}

/** A zone's city, from its IANA name: "America/New_York" → "New York". */
/**
 * A delegation's capital by city, in the reader's language: Washington (not the zone's New York),
 * Tokyo, Seoul. Countries without a catalogue entry fall back to the zone's city.
 */
export function capitalName(delegation: { code: string; timeZone: string }, t: (key: string) => string): string {
  const key = `common:capitals.${delegation.code}`;
  const name = t(key);
  return name === key ? zoneCity(delegation.timeZone) : name;
}

export function zoneCity(timeZone: string): string {
  return (timeZone.split("/").pop() ?? timeZone).replace(/_/g, " ");
}
