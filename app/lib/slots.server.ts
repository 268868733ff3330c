import { remembered } from "~/lib/bounded-memo";
import { localParts } from "~/lib/meeting-time.server";
import { Temporal, startOfDay } from "~/lib/zoned.server";

/**
 * The fair slot finder for virtual and hybrid meetings: which times of a week hurt the member
 * delegations least, and who pays when someone has to. Pure functions; every local time comes from
 * the zone database, so a week that crosses a DST change is handled by the same code as any other.
 */

export interface Capital {
  delegationId: string;
  code: string;
  timeZone: string;
}

export interface CapitalLoad {
  delegationId: string;
  code: string;
  timeZone: string;
  /** "YYYY-MM-DD" and "HH:MM" local; the end may fall on the next local day (localEndDate). */
  localDate: string;
  localStart: string;
  localEnd: string;
  localEndDate: string;
  /** Minutes of the meeting outside 08:00–20:00 local. */
  minutesOutside: number;
  /** Minutes outside 09:00–17:00 local: secondary strain inside working hours. */
  minutesOutsideCore: number;
  /** Any part of the meeting falls on a local Saturday or Sunday. */
  weekend: boolean;
  /** minutesOutside + (weekend ? 720 : 0) */
  penalty: number;
}

export type SlotReason =
  | { kind: "withinHours" }
  | { kind: "outside"; delegationId: string; minutes: number }
  | { kind: "weekend"; delegationId: string }
  | { kind: "rotation"; avoided: string }
  | { kind: "rotationRepeat"; repeated: string };

export interface SlotCandidate {
  start: Date;
  end: Date;
  /** The penalty of the worst-off capital (max over the capitals); lower is better. */
  score: number;
  /** In the order of the `capitals` input. */
  capitals: CapitalLoad[];
  /**
   * The capital with the highest penalty, the first in input order among capitals on the same wall
   * clock (Tokyo and Seoul); null if capitals on different clocks share the highest penalty, or if
   * nobody is strained at all (no penalty, nothing outside core hours). See worstOfLoads.
   */
  worstDelegationId: string | null;
  /** 1-based. */
  rank: number;
  /** Why it ranks here, as data the UI turns into words. */
  reasons: SlotReason[];
}

export interface HistoryMeeting {
  start: Date;
  durationMinutes: number;
}

const MINUTE = 60_000;
const DAY_MINUTES = 24 * 60;
// A weekend costs as much as a whole working day (12 h) out of hours: it is never a fair trade.
const WEEKEND_PENALTY = 720;

/** The instants bounding one local day's hours in a zone. */
interface DayBounds {
  date: string;
  start: number; // local midnight (or whenever the day begins, if midnight is skipped)
  end: number; // next local day's start
  work: [number, number]; // 08:00–20:00
  core: [number, number]; // 09:00–17:00
  weekend: boolean;
  next: string; // the following date
}

// The Temporal polyfill costs ~50–90 µs per zoned conversion, Intl ~5 µs per reading. A week of
// candidates touches only ~9 local days per zone, so day bounds are cached (bounded, so a
// long-running server cannot grow them forever), and wall times are found via Intl where possible.
const dayCache = new Map<string, DayBounds>();
const startCache = new Map<string, number>();
const HOUR = 60 * MINUTE;


/** When a local day begins (midnight, or later if the zone skips midnight). */
const dayStart = (timeZone: string, date: string) => remembered(startCache, `${timeZone}|${date}`, () => startOfDay(date, timeZone).getTime());

/**
 * The instant of `hour`:00 on a local day, as Temporal's "compatible" choice (the earlier of a
 * repeated time, pushed forward out of a gap); `exists` is false in a gap. Fast path: the day's
 * start plus the hours, accepted only if Intl confirms the wall clock there (it does unless a DST
 * change lies in between); otherwise Temporal decides.
 */
function hourOfDay(timeZone: string, date: string, hour: number): { at: number; exists: boolean } {
  const label = `${String(hour).padStart(2, "0")}:00`;
  const guess = dayStart(timeZone, date) + hour * HOUR;
  const seen = localParts(new Date(guess), timeZone);
  if (seen.date === date && seen.time === label) return { at: guess, exists: true };
  const wall = Temporal.PlainDate.from(date).toPlainDateTime(label);
  const zoned = wall.toZonedDateTime(timeZone);
  return { at: zoned.epochMilliseconds, exists: zoned.toPlainDateTime().equals(wall) };
}

function dayBounds(timeZone: string, date: string): DayBounds {
  return remembered(dayCache, `${timeZone}|${date}`, () => {
    const day = Temporal.PlainDate.from(date);
    const next = day.add({ days: 1 }).toString();
    const at = (hour: number) => hourOfDay(timeZone, date, hour).at;
    return {
      date,
      start: dayStart(timeZone, date),
      end: dayStart(timeZone, next),
      work: [at(8), at(20)],
      core: [at(9), at(17)],
      weekend: day.dayOfWeek >= 6,
      next,
    };
  });
}

const overlap = (a0: number, a1: number, b0: number, b1: number) => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

type Parts = ReturnType<typeof localParts>;
type PartsOf = (instant: number, timeZone: string) => Parts;
const directParts: PartsOf = (instant, timeZone) => localParts(new Date(instant), timeZone);

function capitalLoad(capital: Capital, start: number, end: number, partsOf: PartsOf): CapitalLoad {
  const s = partsOf(start, capital.timeZone);
  const e = partsOf(end, capital.timeZone);
  let inside = 0;
  let insideCore = 0;
  let weekend = false;
  // Walk the local days the meeting touches (each one it enters overlaps it); a 2-hour meeting touches one or two.
  for (let b = dayBounds(capital.timeZone, s.date); b.start < end; b = dayBounds(capital.timeZone, b.next)) {
    inside += overlap(start, end, b.work[0], b.work[1]);
    insideCore += overlap(start, end, b.core[0], b.core[1]);
    if (b.weekend) weekend = true;
  }
  const duration = end - start;
  const minutesOutside = (duration - inside) / MINUTE;
  return {
    delegationId: capital.delegationId,
    code: capital.code,
    timeZone: capital.timeZone,
    localDate: s.date,
    localStart: s.time,
    localEnd: e.time,
    localEndDate: e.date,
    minutesOutside,
    minutesOutsideCore: (duration - insideCore) / MINUTE,
    weekend,
    penalty: minutesOutside + (weekend ? WEEKEND_PENALTY : 0),
  };
}

function assertDuration(durationMinutes: number) {
  if (!Number.isInteger(durationMinutes) || durationMinutes < 1) throw new RangeError(`durationMinutes must be a positive integer: ${durationMinutes}`);
}

/** The per-capital load of any meeting time (used to explain a chosen time too). */
export function loadOf(capitals: Capital[], start: Date, durationMinutes: number): CapitalLoad[] {
  assertDuration(durationMinutes);
  const s = start.getTime();
  return capitals.map((c) => capitalLoad(c, s, s + durationMinutes * MINUTE, directParts));
}

/** The wall clock a capital reads during the meeting: equal for Asia/Tokyo and Asia/Seoul, whatever their names. */
const clockOf = (l: CapitalLoad) => `${l.localDate} ${l.localStart}|${l.localEndDate} ${l.localEnd}`;

/**
 * Who is worst off at a meeting time, or null if nobody is singled out.
 *
 * The top capitals are those with the highest penalty. Capitals that read the same wall clock (Tokyo
 * and Seoul) carry the very same load, so they are one party, not several: if all the top capitals
 * share one clock, the first of them in input order stands for all of them (JP for JP and KR). The
 * clock is compared by local date and time over the whole meeting, never by zone name, because
 * Asia/Tokyo and Asia/Seoul are different names for one clock.
 *
 * If the top capitals read different clocks (Washington 30 minutes late while Tokyo and Seoul start
 * 30 minutes early), the strain is shared: naming one side would make rotation push the next meeting
 * away from a fair split as if that side had carried it alone. Time outside core hours deliberately
 * does not break this tie: an evening that misses 08–20 by some minutes always lies further from
 * 09–17 than a morning that misses it by as many (18:30–20:30 is 120 minutes outside core, 07:30–09:30
 * only 90), so it would always blame the evening side. For the same reason a time inside everyone's
 * 08–20 is shared (null) when several clocks are in play; outside-core time only decides whether a
 * lone clock counts as strained at all.
 *
 * Null when nobody is strained (no penalty and nothing outside core hours anywhere): there is nothing
 * to rotate.
 */
function worstOfLoads(loads: CapitalLoad[]): string | null {
  const maxPenalty = Math.max(0, ...loads.map((l) => l.penalty));
  if (maxPenalty === 0 && loads.every((l) => l.minutesOutsideCore === 0)) return null;
  const top = loads.filter((l) => l.penalty === maxPenalty);
  const clock = clockOf(top[0]);
  return top.every((l) => clockOf(l) === clock) ? top[0].delegationId : null;
}

/** Who carried the most inconvenience at a past meeting (same rule as worstDelegationId), or null if nobody alone did. */
export function worstOff(capitals: Capital[], start: Date, durationMinutes: number): string | null {
  return worstOfLoads(loadOf(capitals, start, durationMinutes));
}

/**
 * Candidates every `stepMinutes` (default 30) whose start lies in the 7 days beginning at
 * `weekStart` 00:00 in `referenceZone`, and not before `notBefore` if given.
 *
 * Ranking, each rule only breaking ties of the ones before:
 *   1. score ascending: the penalty of the worst-off capital (max over the capitals). Fairness is
 *      about the one who suffers most; a sum would count Tokyo and Seoul (one clock) twice and always
 *      hand Washington the late hour, so the inconvenience could never rotate;
 *   2. rotation: a candidate whose worstDelegationId differs from the worst-off delegation of the
 *      most recent history meeting (by start) comes first. A null worstDelegationId (shared strain,
 *      or nobody strained) never counts as a repeat; no rotation if there is no history or its most
 *      recent meeting singled out nobody;
 *   3. the candidate's worst-off delegation that has been worst off least often across the history
 *      (null counts as 0);
 *   4. lower total penalty (sum over the capitals): fewer people inconvenienced, only as a tie-break;
 *   5. earlier start.
 * Returned: the best `limit` (default 8) candidates that do not overlap each other (greedy by rank),
 * re-numbered 1..n.
 */
export function findSlots(input: {
  weekStart: string;
  referenceZone: string;
  durationMinutes: number;
  capitals: Capital[];
  history: HistoryMeeting[];
  stepMinutes?: number;
  limit?: number;
  notBefore?: Date;
}): SlotCandidate[] {
  const { weekStart, referenceZone, durationMinutes, capitals, history, notBefore } = input;
  const step = input.stepMinutes ?? 30;
  const limit = input.limit ?? 8;
  assertDuration(durationMinutes);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`stepMinutes must be a positive integer: ${step}`);

  // The week is 7 local days, so it may be 167 or 169 real hours long across a DST change.
  const from = startOfDay(weekStart, referenceZone).getTime();
  const to = startOfDay(Temporal.PlainDate.from(weekStart).add({ days: 7 }).toString(), referenceZone).getTime();
  const duration = durationMinutes * MINUTE;

  // A meeting's end is usually another candidate's start: read each (zone, instant) once.
  const memo = new Map<string, Parts>();
  const partsOf: PartsOf = (instant, timeZone) => {
    const key = `${timeZone}|${instant}`;
    let p = memo.get(key);
    if (!p) memo.set(key, (p = directParts(instant, timeZone)));
    return p;
  };

  // Fairness memory: who was worst off last time, and how often each delegation has been.
  const past = [...history].sort((a, b) => a.start.getTime() - b.start.getTime()).map((m) => worstOff(capitals, m.start, m.durationMinutes));
  const lastWorst = past.at(-1) ?? null;
  const timesWorst = new Map<string, number>();
  for (const id of past) if (id) timesWorst.set(id, (timesWorst.get(id) ?? 0) + 1);

  // Each candidate with its tie-break keys.
  const pool: Array<{ candidate: SlotCandidate; repeat: number; times: number; total: number }> = [];
  for (let t = from; t < to; t += step * MINUTE) {
    if (notBefore && t < notBefore.getTime()) continue;
    const loads = capitals.map((c) => capitalLoad(c, t, t + duration, partsOf));
    const worst = worstOfLoads(loads);
    pool.push({
      candidate: {
        start: new Date(t),
        end: new Date(t + duration),
        score: Math.max(0, ...loads.map((l) => l.penalty)),
        capitals: loads,
        worstDelegationId: worst,
        rank: 0,
        reasons: [],
      },
      repeat: lastWorst !== null && worst === lastWorst ? 1 : 0,
      times: worst ? (timesWorst.get(worst) ?? 0) : 0,
      total: loads.reduce((sum, l) => sum + l.penalty, 0),
    });
  }
  pool.sort(
    (a, b) =>
      a.candidate.score - b.candidate.score ||
      a.repeat - b.repeat ||
      a.times - b.times ||
      a.total - b.total ||
      a.candidate.start.getTime() - b.candidate.start.getTime(),
  );

  // For the rotation reasons: did rotation actually decide between equally scored times?
  const scoresWithRepeat = new Set(pool.filter((p) => p.repeat).map((p) => p.candidate.score));
  const scoresWithAlternative = new Set(pool.filter((p) => !p.repeat).map((p) => p.candidate.score));

  const chosen: SlotCandidate[] = [];
  for (const { candidate: c } of pool) {
    if (chosen.length >= limit) break;
    if (chosen.some((o) => c.start < o.end && o.start < c.end)) continue;
    c.rank = chosen.length + 1;
    c.reasons = reasonsFor(c, lastWorst, scoresWithRepeat, scoresWithAlternative);
    chosen.push(c);
  }
  return chosen;
}

function reasonsFor(c: SlotCandidate, lastWorst: string | null, scoresWithRepeat: Set<number>, scoresWithAlternative: Set<number>): SlotReason[] {
  const reasons: SlotReason[] = [];
  if (c.score === 0) reasons.push({ kind: "withinHours" });
  for (const l of c.capitals) if (l.minutesOutside > 0) reasons.push({ kind: "outside", delegationId: l.delegationId, minutes: l.minutesOutside });
  for (const l of c.capitals) if (l.weekend) reasons.push({ kind: "weekend", delegationId: l.delegationId });
  if (lastWorst !== null) {
    const repeats = c.worstDelegationId === lastWorst;
    // "Spared" is a claim about this slot: the delegation is strictly better off here than the
    // worst-off capital. Where it shares the worst strain (same minutes outside as the others),
    // saying it "does not carry the worst hour here" would be untrue.
    const theirs = c.capitals.find((l) => l.delegationId === lastWorst);
    const spared = c.score > 0 && !!theirs && theirs.penalty < c.score;
    // "rotation" only when an equally scored time would have put it on the same delegation again;
    // "rotationRepeat" only when no equally scored time spares them.
    if (!repeats && spared && scoresWithRepeat.has(c.score)) reasons.push({ kind: "rotation", avoided: lastWorst });
    if (repeats && !scoresWithAlternative.has(c.score)) reasons.push({ kind: "rotationRepeat", repeated: lastWorst });
  }
  return reasons;
}

/** Geometry for drawing one 24-hour strip per capital on a shared time axis (SVG is drawn elsewhere). */
export interface StripGeometry {
  /** The axis covers [axisStart, axisStart + 24h). */
  axisStart: Date;
  strips: Array<{
    delegationId: string;
    code: string;
    timeZone: string;
    /** Minutes from axisStart (0..1440) shaded as 08:00–20:00 local. */
    working: Array<{ from: number; to: number }>;
    /** Local "HH:MM" labels every 3 local hours (at = minutes from axisStart). */
    ticks: Array<{ at: number; label: string }>;
    /** Where the local date changes on the axis (strictly inside it: 0 < at < 1440). */
    midnights: number[];
  }>;
  /** Candidate slots projected onto the axis by time of day; a band crossing the axis end wraps into two pieces with the same rank. */
  slots: Array<{ rank: number; from: number; to: number }>;
}

const TICK_HOURS = [0, 3, 6, 9, 12, 15, 18, 21];

/**
 * Axis starting at 00:00 of `day` ("YYYY-MM-DD") in `axisZone`, 24 real hours long. Local hours are
 * those of the zone database on the days drawn, so on a DST-change day the ticks shift (intended).
 */
export function stripGeometry(input: {
  capitals: Capital[];
  candidates: Pick<SlotCandidate, "rank" | "start" | "end">[];
  day: string;
  axisZone: string;
}): StripGeometry {
  const axisStart = startOfDay(input.day, input.axisZone);
  const a0 = axisStart.getTime();
  const a1 = a0 + DAY_MINUTES * MINUTE;
  const pos = (instant: number) => (instant - a0) / MINUTE;

  const strips = input.capitals.map((capital) => {
    const working: Array<{ from: number; to: number }> = [];
    const ticks: Array<{ at: number; label: string }> = [];
    const midnights: number[] = [];
    // Every local day that overlaps the axis: at most three (e.g. the UTC−12 … UTC+14 extremes).
    const firstDay = localParts(axisStart, capital.timeZone).date;
    for (let b = dayBounds(capital.timeZone, firstDay); b.start < a1; b = dayBounds(capital.timeZone, b.next)) {
      const from = Math.max(b.work[0], a0);
      const to = Math.min(b.work[1], a1);
      if (from < to) working.push({ from: pos(from), to: pos(to) });
      if (b.start > a0) midnights.push(pos(b.start));
      for (const hour of TICK_HOURS) {
        const { at, exists } = hourOfDay(capital.timeZone, b.date, hour);
        // An hour skipped by DST gets no tick; a repeated one is drawn once, at its first occurrence.
        if (exists && at >= a0 && at < a1) ticks.push({ at: pos(at), label: `${String(hour).padStart(2, "0")}:00` });
      }
    }
    return { delegationId: capital.delegationId, code: capital.code, timeZone: capital.timeZone, working, ticks, midnights };
  });

  const slots: StripGeometry["slots"] = [];
  for (const c of input.candidates) {
    const length = Math.min(DAY_MINUTES, (c.end.getTime() - c.start.getTime()) / MINUTE);
    // Time of day relative to the axis: slots on other days of the week land on the same strip.
    const from = ((pos(c.start.getTime()) % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
    const to = from + length;
    if (to <= DAY_MINUTES) slots.push({ rank: c.rank, from, to });
    else slots.push({ rank: c.rank, from, to: DAY_MINUTES }, { rank: c.rank, from: 0, to: to - DAY_MINUTES });
  }
  return { axisStart, strips, slots };
}
