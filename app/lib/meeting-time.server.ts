import { isTimeZone } from "~/lib/time-zones";
import { Temporal } from "~/lib/zoned.server";

/**
 * Wall-clock time of meetings in IANA zones. Every offset comes from the zone database
 * (Temporal, or Intl for the fast read-only direction); nothing here assumes a fixed offset.
 */

export type LocalTimeResult =
  | { ok: true; instant: Date }
  | { ok: false; reason: "invalid" | "zone" | "gap" | "ambiguous" };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** A calendar date, or null if malformed or nonexistent ("2027-02-30"): no silent clamping. */
function parseDate(date: string): Temporal.PlainDate | null {
  if (!DATE.test(date)) return null;
  try {
    return Temporal.PlainDate.from(date, { overflow: "reject" });
  } catch {
    return null;
  }
}

/**
 * A wall-clock date+time in a zone → the instant. "gap": the time does not exist (spring-forward),
 * "ambiguous": it happens twice (fall-back), "zone": not a valid IANA zone, "invalid": malformed
 * date/time (dates as YYYY-MM-DD, times as HH:MM 24-hour).
 */
export function resolveLocalTime(input: { date: string; time: string; timeZone: string }): LocalTimeResult {
  const date = parseDate(input.date);
  if (!date || !TIME.test(input.time)) return { ok: false, reason: "invalid" };
  // isTimeZone refuses fixed offsets and abbreviations too: a meeting's zone must follow DST.
  if (!isTimeZone(input.timeZone)) return { ok: false, reason: "zone" };

  const wall = date.toPlainDateTime(input.time);
  // The two disambiguations agree exactly when the wall time occurs once.
  const earlier = wall.toZonedDateTime(input.timeZone, { disambiguation: "earlier" });
  const later = wall.toZonedDateTime(input.timeZone, { disambiguation: "later" });
  if (earlier.epochMilliseconds === later.epochMilliseconds) return { ok: true, instant: new Date(earlier.epochMilliseconds) };
  // In a gap Temporal moves the wall time off the requested one; in an overlap both keep it.
  return { ok: false, reason: earlier.toPlainDateTime().equals(wall) ? "ambiguous" : "gap" };
}

// Intl is ~15× faster than the Temporal polyfill for instant → wall clock, and the slot finder
// calls this thousands of times, so formatters are cached per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const EN_US = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2})\/(\d{2})\/(\d{4}), (\d{2}):(\d{2})$/;

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US-u-ca-gregory-nu-latn", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      weekday: "short",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock parts of an instant in a zone: date "YYYY-MM-DD", time "HH:MM", weekday 1=Mon..7=Sun. */
export function localParts(instant: Date, timeZone: string): { date: string; time: string; weekday: number } {
  const f = formatter(timeZone);
  // format() is ~3× faster than formatToParts(); its en-US shape is "Tue, 03/09/2027, 23:00".
  // Anything else (another ICU's punctuation, a five-digit year) goes the structured way.
  const m = EN_US.exec(f.format(instant));
  if (m) return { date: `${m[4]}-${m[2]}-${m[3]}`, time: `${m[5]}:${m[6]}`, weekday: WEEKDAYS[m[1]] };
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(instant)) p[part.type] = part.value;
  return { date: `${p.year.padStart(4, "0")}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: WEEKDAYS[p.weekday] };
}

/** "2027-Q1": the calendar quarter of the instant's local date in the zone. */
export function quarterOf(instant: Date, timeZone: string): string {
  const { date } = localParts(instant, timeZone);
  return `${date.slice(0, 4)}-Q${Math.ceil(Number(date.slice(5, 7)) / 3)}`;
}

/** Tuesday–Thursday: days that let delegations travel or prepare on either side. */
const isMidweek = (d: Temporal.PlainDate) => d.dayOfWeek >= 2 && d.dayOfWeek <= 4;

/** Shift to the nearest Tuesday–Thursday. Never a tie: Mon→Tue, Fri→Thu, Sat→Thu, Sun→Tue. */
function nearestMidweek(d: Temporal.PlainDate): Temporal.PlainDate {
  const shift: Record<number, number> = { 1: 1, 2: 0, 3: 0, 4: 0, 5: -1, 6: -2, 7: 2 };
  return d.add({ days: shift[d.dayOfWeek] });
}

/**
 * The wall time in the zone, moved forward an hour at a time while it is in a DST gap or
 * overlap: a proposal must name a time that happens exactly once. (Forward, not back, so a
 * meeting is never proposed earlier than the host's usual start.) Tz transitions last at most
 * a couple of hours, so the loop ends quickly; the date may roll over if the shift crosses midnight.
 */
function settle(wall: Temporal.PlainDateTime, timeZone: string): { date: string; time: string; instant: Date } {
  for (let tries = 0; ; tries++) {
    const date = wall.toPlainDate().toString();
    const time = wall.toPlainTime().toString({ smallestUnit: "minute" });
    const r = resolveLocalTime({ date, time, timeZone });
    if (r.ok) return { date, time, instant: r.instant };
    if (r.reason !== "gap" && r.reason !== "ambiguous") throw new RangeError(`Cannot place ${date} ${time} in ${timeZone}: ${r.reason}`);
    if (tries >= 24) throw new RangeError(`No unambiguous time near ${date} ${time} in ${timeZone}`);
    wall = wall.add({ hours: 1 });
  }
}

/**
 * Proposes the next regular meeting: `cadenceMonths` after the last meeting's local date (in the
 * last meeting's zone), moved to the nearest Tuesday–Thursday, at `defaultStartTime` ("HH:MM")
 * local time in `hostZone`. If there is no last meeting, or the result is less than 21 days after
 * `now`, propose the first Tuesday–Thursday at least 28 days after `now` instead (so delegations
 * get notice to travel). If the local time falls in a DST gap/overlap, it moves forward by one hour
 * until it resolves (the returned date/time are the moved ones).
 * "Days after now" are calendar days in `hostZone` (Temporal adds them DST-aware).
 */
export function proposeNextStart(input: {
  last: { start: Date; timeZone: string } | null;
  cadenceMonths: number;
  hostZone: string;
  defaultStartTime: string;
  now: Date;
}): { date: string; time: string; timeZone: string; instant: Date } {
  const { last, cadenceMonths, hostZone, defaultStartTime, now } = input;
  if (!Number.isInteger(cadenceMonths) || cadenceMonths < 1) throw new RangeError(`cadenceMonths must be a positive integer: ${cadenceMonths}`);
  if (!TIME.test(defaultStartTime)) throw new RangeError(`defaultStartTime must be HH:MM: ${defaultStartTime}`);
  if (!isTimeZone(hostZone)) throw new RangeError(`Not an IANA zone: ${hostZone}`);

  const nowZoned = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO(hostZone);
  const at = (d: Temporal.PlainDate) => ({ ...settle(d.toPlainDateTime(defaultStartTime), hostZone), timeZone: hostZone });

  if (last) {
    // Temporal clamps month ends: 31 Jan + 1 month = 28/29 Feb.
    const due = Temporal.PlainDate.from(localParts(last.start, last.timeZone).date).add({ months: cadenceMonths });
    const proposal = at(nearestMidweek(due));
    const minimum = nowZoned.add({ days: 21 }).epochMilliseconds;
    if (proposal.instant.getTime() >= minimum) return proposal;
  }

  const earliest = nowZoned.add({ days: 28 });
  for (let d = earliest.toPlainDate(); ; d = d.add({ days: 1 })) {
    if (!isMidweek(d)) continue;
    const proposal = at(d);
    // On the 28th day itself the default time may already be earlier in the day than `now`.
    if (proposal.instant.getTime() >= earliest.epochMilliseconds) return proposal;
  }
}
