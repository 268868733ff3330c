import { describe, expect, it } from "vitest";
import { localParts, proposeNextStart, quarterOf, resolveLocalTime } from "~/lib/meeting-time.server";

const NY = "America/New_York";
const TOKYO = "Asia/Tokyo";
const SEOUL = "Asia/Seoul";

/** The instant of a wall time that must exist exactly once. */
function at(date: string, time: string, timeZone: string): Date {
  const r = resolveLocalTime({ date, time, timeZone });
  if (!r.ok) throw new Error(`${date} ${time} ${timeZone}: ${r.reason}`);
  return r.instant;
}

describe("resolveLocalTime", () => {
  it("turns a wall-clock time in a zone into the instant", () => {
    expect(resolveLocalTime({ date: "2027-03-09", time: "09:00", timeZone: NY })).toEqual({ ok: true, instant: new Date("2027-03-09T14:00:00Z") });
  });

  it("reports a time skipped by spring-forward as a gap", () => {
    expect(resolveLocalTime({ date: "2027-03-14", time: "02:30", timeZone: NY })).toEqual({ ok: false, reason: "gap" });
  });

  it("reports a time repeated by fall-back as ambiguous", () => {
    expect(resolveLocalTime({ date: "2027-11-07", time: "01:30", timeZone: NY })).toEqual({ ok: false, reason: "ambiguous" });
  });

  it("reports an unknown zone", () => {
    expect(resolveLocalTime({ date: "2027-03-09", time: "09:00", timeZone: "Mars/Olympus" })).toEqual({ ok: false, reason: "zone" });
  });

  it("refuses fixed offsets and abbreviations as zones, because they ignore daylight saving", () => {
    for (const timeZone of ["+09:00", "EST", "Etc/GMT+5"]) expect(resolveLocalTime({ date: "2027-03-09", time: "09:00", timeZone }), timeZone).toEqual({ ok: false, reason: "zone" });
  });

  it("reports a nonexistent or malformed date as invalid instead of clamping it", () => {
    for (const date of ["2027-02-30", "2027-13-01", "2027-3-9", "09/03/2027", ""]) expect(resolveLocalTime({ date, time: "09:00", timeZone: NY }), date).toEqual({ ok: false, reason: "invalid" });
  });

  it("reports a time that is not HH:MM on a 24-hour clock as invalid", () => {
    for (const time of ["25:00", "24:00", "9:00", "09:60", "9am", "09:00:00"]) expect(resolveLocalTime({ date: "2027-03-09", time, timeZone: NY }), time).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("localParts", () => {
  it("shows 09:00 in Washington as 23:00 the same day in Tokyo and Seoul before US daylight saving starts", () => {
    const instant = at("2027-03-09", "09:00", NY);
    expect(localParts(instant, TOKYO)).toEqual({ date: "2027-03-09", time: "23:00", weekday: 2 });
    expect(localParts(instant, SEOUL)).toEqual({ date: "2027-03-09", time: "23:00", weekday: 2 });
  });

  it("shows 09:00 in Washington as 22:00 the same day in Tokyo and Seoul once US daylight saving has started", () => {
    const instant = at("2027-03-16", "09:00", NY);
    expect(localParts(instant, TOKYO)).toEqual({ date: "2027-03-16", time: "22:00", weekday: 2 });
    expect(localParts(instant, SEOUL)).toEqual({ date: "2027-03-16", time: "22:00", weekday: 2 });
  });

  it("numbers weekdays from Monday 1 to Sunday 7 and shows midnight as 00:00", () => {
    expect(localParts(new Date("2027-03-14T05:00:00Z"), NY)).toEqual({ date: "2027-03-14", time: "00:00", weekday: 7 });
    expect(localParts(new Date("2027-03-14T15:00:00Z"), TOKYO)).toEqual({ date: "2027-03-15", time: "00:00", weekday: 1 });
  });
});

describe("quarterOf", () => {
  it("takes the quarter of the local date, so one instant can be Q4 in New York and Q1 of the next year in Tokyo", () => {
    const instant = new Date("2027-12-31T16:00:00Z"); // 11:00 on 31 Dec in New York, 01:00 on 1 Jan in Tokyo
    expect(quarterOf(instant, NY)).toBe("2027-Q4");
    expect(quarterOf(instant, TOKYO)).toBe("2028-Q1");
  });
});

describe("proposeNextStart", () => {
  const base = { cadenceMonths: 3, hostZone: NY, defaultStartTime: "09:00" };

  it("adds the cadence to the last meeting's local date in the last meeting's own zone", () => {
    // Thursday 14 January in Tokyo, still Wednesday 13 January in New York.
    const last = { start: new Date("2027-01-14T00:00:00Z"), timeZone: TOKYO };
    const proposal = proposeNextStart({ ...base, last, now: new Date("2027-02-01T12:00:00Z") });
    expect(proposal.date).toBe("2027-04-14");
  });

  it("moves a date off Friday to Monday to the nearest Tuesday–Thursday", () => {
    const cases = [
      { last: "2027-07-01", due: "Fri 2027-10-01", expected: "2027-09-30" },
      { last: "2027-02-01", due: "Sat 2027-05-01", expected: "2027-04-29" },
      { last: "2027-05-01", due: "Sun 2027-08-01", expected: "2027-08-03" },
      { last: "2027-08-01", due: "Mon 2027-11-01", expected: "2027-11-02" },
      { last: "2027-06-02", due: "Thu 2027-09-02", expected: "2027-09-02" },
    ];
    for (const c of cases) {
      const last = { start: at(c.last, "10:00", NY), timeZone: NY };
      expect(proposeNextStart({ ...base, last, now: new Date("2027-01-01T00:00:00Z") }).date, c.due).toBe(c.expected);
    }
  });

  it("proposes the default start time in the host zone, whatever zone the last meeting was in", () => {
    const last = { start: new Date("2027-01-14T00:00:00Z"), timeZone: TOKYO };
    const proposal = proposeNextStart({ ...base, last, now: new Date("2027-02-01T12:00:00Z") });
    expect(proposal).toEqual({ date: "2027-04-14", time: "09:00", timeZone: NY, instant: new Date("2027-04-14T13:00:00Z") });
    expect(localParts(proposal.instant, NY)).toMatchObject({ date: "2027-04-14", time: "09:00" });
    expect(localParts(proposal.instant, TOKYO)).toMatchObject({ date: "2027-04-14", time: "22:00" });
  });

  it("keeps the cadence date when it is exactly 21 days away", () => {
    const last = { start: at("2027-01-12", "09:00", NY), timeZone: NY }; // + 3 months = Mon 12 Apr → Tue 13 Apr 09:00
    const proposal = proposeNextStart({ ...base, last, now: at("2027-03-23", "09:00", NY) });
    expect(proposal.date).toBe("2027-04-13");
  });

  it("falls back to the first Tuesday–Thursday at least 28 days ahead when the cadence date is under 21 days away", () => {
    const last = { start: at("2027-01-12", "09:00", NY), timeZone: NY };
    const proposal = proposeNextStart({ ...base, last, now: at("2027-03-30", "08:00", NY) }); // 13 Apr is only 14 days away
    expect(proposal).toMatchObject({ date: "2027-04-27", time: "09:00" }); // Tue, 28 days + 1 hour after now
  });

  it("skips the 28th day when the default time on it is less than 28 full days after now", () => {
    const last = { start: at("2027-01-12", "09:00", NY), timeZone: NY };
    const proposal = proposeNextStart({ ...base, last, now: at("2027-03-30", "10:00", NY) });
    expect(proposal).toMatchObject({ date: "2027-04-28", time: "09:00" });
  });

  it("uses the 28-day rule when there has been no meeting yet", () => {
    const proposal = proposeNextStart({ ...base, defaultStartTime: "14:00", last: null, now: at("2027-01-05", "10:00", NY) });
    expect(proposal).toEqual({ date: "2027-02-02", time: "14:00", timeZone: NY, instant: new Date("2027-02-02T19:00:00Z") });
  });

  it("moves a default time that would happen twice (DST fall-back) forward by an hour", () => {
    // Cairo repeats 23:00–24:00 on Thursday 28 October 2027, when Egyptian summer time ends.
    const last = { start: at("2027-07-28", "12:00", "Africa/Cairo"), timeZone: "Africa/Cairo" };
    const proposal = proposeNextStart({ ...base, last, hostZone: "Africa/Cairo", defaultStartTime: "23:30", now: new Date("2027-08-01T00:00:00Z") });
    expect(proposal).toMatchObject({ date: "2027-10-29", time: "00:30", timeZone: "Africa/Cairo" });
    expect(localParts(proposal.instant, "Africa/Cairo")).toMatchObject({ date: "2027-10-29", time: "00:30" });
  });
});
