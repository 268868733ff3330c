import { remembered } from "./bounded-memo";
import { intlLocale, type Locale } from "./i18n";

/**
 * Formatting of instants for people, always through Intl in an explicit IANA zone.
 * Nothing here computes with offsets: the zone database does that.
 */

export type DateInput = Date | string | number;

// One formatter per locale, zone and style: building one costs far more than formatting with it
// (a page of 100 action items built 100 of them; ADR 034).
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: Locale, timeZone: string, options: Intl.DateTimeFormatOptions, name: string = JSON.stringify(options)): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${name}`;
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
  return formatter(locale, timeZone, styles[style], style).format(toDate(value));
}

/** A calendar day (YYYY-MM-DD) in the reader's language; a day is not an instant, so no zone applies. */
export function formatCalendarDay(day: string, locale: Locale): string {
  const [y, m, d] = day.split("-").map(Number);
  return formatter(locale, "UTC", styles.date, "date").format(new Date(Date.UTC(y, m - 1, d)));
}

/**
 * What an instant is in a zone never changes while the program runs, and a page asks the same
 * few instants several times (a meeting's start in each capital, on every request): answers
 * are remembered, up to a bound (ADR 051). `formatToParts` costs microseconds; a lookup, not.
 */
export function rememberedInZone<T>(answers: Map<string, T>, at: Date, timeZone: string, compute: () => T): T {
  return remembered(answers, `${timeZone}|${at.getTime()}`, compute);
}

const days = new Map<string, string>();
const DAY_PARTS = { year: "numeric", month: "2-digit", day: "2-digit" } satisfies Intl.DateTimeFormatOptions;

/** The calendar day of an instant in a zone, as YYYY-MM-DD (for "is it the same day there?"). */
export function dayInZone(value: DateInput, timeZone: string): string {
  const at = toDate(value);
  return rememberedInZone(days, at, timeZone, () => {
    const parts = formatter("en", timeZone, DAY_PARTS, "dayParts").formatToParts(at);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
    return `${get("year")}-${get("month")}-${get("day")}`;
  });
}

function zonePart(value: DateInput, locale: Locale, timeZone: string, timeZoneName: "short" | "long"): string | undefined {
  return formatter(locale, timeZone, { timeZoneName }).formatToParts(toDate(value)).find((p) => p.type === "timeZoneName")?.value;
}

const BARE_OFFSET = /^(GMT|UTC)([+\-\u2212]\d|$)/;

/**
 * A zone's name at an instant as readers of the language expect it, never a bare "GMT+9":
 * the short name where the language has one (EST/EDT, JST in Japanese); otherwise, in
 * English, the initials of the long name (Japan Standard Time → JST, Korean Standard Time →
 * KST), and in Japanese and Korean the long name they use (米国東部標準時, 한국 표준시).
 * All of it comes from Intl's zone data; DST shows itself (EST in January, EDT in July).
 */
export function zoneAbbreviation(value: DateInput, locale: Locale, timeZone: string): string {
  const short = zonePart(value, locale, timeZone, "short");
  if (short && !BARE_OFFSET.test(short)) return short;
  const long = zonePart(value, locale, timeZone, "long");
  if (!long || BARE_OFFSET.test(long)) return short ?? timeZone;
  if (locale === "en") return long.split(/\s+/).map((word) => word[0]).join("").toUpperCase();
  return long;
}

/** How many calendar days `to` falls after `from` in a zone (0 the same day, 1 the next…). */
export function daysLater(from: DateInput, to: DateInput, timeZone: string): number {
  const day = (v: DateInput) => Date.parse(`${dayInZone(v, timeZone)}T00:00:00Z`);
  return Math.round((day(to) - day(from)) / 86_400_000);
}

/** A zone's city, from its IANA name: "America/New_York" → "New York". Capitals are named by `capitalName` instead. */
export function zoneCity(timeZone: string): string {
  return (timeZone.split("/").pop() ?? timeZone).replace(/_/g, " ");
}
