import { Temporal } from "@js-temporal/polyfill";

/**
 * Calendar arithmetic in IANA zones, server side. Temporal's zone database decides every
 * offset, including daylight-saving gaps and overlaps.
 */

/** The instant a calendar day (YYYY-MM-DD) begins in a zone. */
export function startOfDay(day: string, timeZone: string): Date {
  const instant = Temporal.PlainDate.from(day).toZonedDateTime({ timeZone }).toInstant();
  return new Date(instant.epochMilliseconds);
}

/** The instant the day after `day` begins: the exclusive end of a day range. */
export function endOfDay(day: string, timeZone: string): Date {
  return startOfDay(Temporal.PlainDate.from(day).add({ days: 1 }).toString(), timeZone);
}

export { Temporal };

/** The Monday of the ISO week a calendar day (YYYY-MM-DD) falls in. */
export function mondayOf(day: string): string {
  const date = Temporal.PlainDate.from(day);
  return date.subtract({ days: date.dayOfWeek - 1 }).toString();
}

/** Today's calendar date (YYYY-MM-DD) in a zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** A calendar date `days` after another. */
export function addDays(day: string, days: number): string {
  return Temporal.PlainDate.from(day).add({ days }).toString();
}
