import { describe, expect, it } from "vitest";
import { localParts } from "~/lib/meeting-time.server";
import { type Capital, findSlots, loadOf, stripGeometry, worstOff } from "~/lib/slots.server";

const NY = "America/New_York";
const US: Capital = { delegationId: "us", code: "US", timeZone: NY };
const JP: Capital = { delegationId: "jp", code: "JP", timeZone: "Asia/Tokyo" };
const KR: Capital = { delegationId: "kr", code: "KR", timeZone: "Asia/Seoul" };
const capitals = [US, JP, KR];

const JANUARY = "2027-01-11"; // Monday; US on standard time (Washington 14 h behind Tokyo/Seoul)
const JUNE = "2027-06-14"; // Monday; US on summer time (13 h behind)

const week = (weekStart: string, more: Partial<Parameters<typeof findSlots>[0]> = {}) =>
  findSlots({ weekStart, referenceZone: NY, durationMinutes: 120, capitals, history: [], ...more });

/** A candidate's local window in one capital, e.g. "2027-01-12 08:00–10:00". */
const local = (c: { capitals: Array<{ code: string; localDate: string; localStart: string; localEnd: string }> }, code: string) => {
  const l = c.capitals.find((x) => x.code === code)!;
  return `${l.localDate} ${l.localStart}–${l.localEnd}`;
};

describe("loadOf", () => {
  it("counts minutes outside 08–20 and outside 09–17 local for each capital, in input order", () => {
    const [us, jp, kr] = loadOf(capitals, new Date("2027-06-14T23:00:00Z"), 120); // Washington 19–21, Tokyo/Seoul 08–10
    expect(us).toMatchObject({ code: "US", localDate: "2027-06-14", localStart: "19:00", localEnd: "21:00", minutesOutside: 60, minutesOutsideCore: 120, weekend: false, penalty: 60 });
    expect(jp).toMatchObject({ code: "JP", localDate: "2027-06-15", localStart: "08:00", localEnd: "10:00", minutesOutside: 0, minutesOutsideCore: 60, penalty: 0 });
    expect(kr).toMatchObject({ code: "KR", localStart: "08:00", minutesOutside: 0, penalty: 0 });
  });

  it("gives the local end date when a meeting runs past local midnight", () => {
    const [us] = loadOf([US], new Date("2027-01-12T04:00:00Z"), 120); // 23:00–01:00 in Washington
    expect(us).toMatchObject({ localDate: "2027-01-11", localStart: "23:00", localEndDate: "2027-01-12", localEnd: "01:00", minutesOutside: 120 });
  });

  it("adds a whole day's penalty when the meeting falls on a local weekend, e.g. Saturday morning in Tokyo", () => {
    const [us, jp, kr] = loadOf(capitals, new Date("2027-01-15T23:00:00Z"), 120); // Friday 18:00 Washington = Saturday 08:00 Tokyo
    expect(us).toMatchObject({ weekend: false, penalty: 0 });
    expect(jp).toMatchObject({ localDate: "2027-01-16", localStart: "08:00", weekend: true, minutesOutside: 0, penalty: 720 });
    expect(kr).toMatchObject({ weekend: true, penalty: 720 });
  });

  it("does not count a meeting that ends exactly at local midnight before Saturday as a weekend meeting", () => {
    const [jp] = loadOf([JP], new Date("2027-01-15T13:00:00Z"), 120); // Friday 22:00–24:00 in Tokyo
    expect(jp).toMatchObject({ localEndDate: "2027-01-16", localEnd: "00:00", weekend: false, penalty: 120 });
  });
});

describe("worstOff", () => {
  it("names the capital with the highest penalty", () => {
    expect(worstOff(capitals, new Date("2027-06-14T23:00:00Z"), 120)).toBe("us"); // Washington 19–21, Tokyo/Seoul 08–10
  });

  it("counts Tokyo and Seoul as one clock, named by the first of them in input order, when both start early", () => {
    const asiaEarly = new Date("2027-06-14T22:00:00Z"); // Washington 18–20, Tokyo/Seoul 07–09
    expect(worstOff(capitals, asiaEarly, 120)).toBe("jp");
    expect(worstOff([KR, JP, US], asiaEarly, 120)).toBe("kr");
  });

  it("is null when capitals on different clocks share the highest penalty, though the evening lies further from core hours", () => {
    // Washington 18:30–20:30 (120 min outside 09–17) and Tokyo/Seoul 07:30–09:30 (90 min): 30 minutes out of hours each.
    expect(worstOff(capitals, new Date("2027-06-14T22:30:00Z"), 120)).toBeNull();
  });

  it("is null inside everyone's working hours when the capitals are on different clocks", () => {
    expect(worstOff(capitals, new Date("2027-01-11T23:00:00Z"), 120)).toBeNull(); // Washington 18–20, Tokyo/Seoul 08–10
  });

  it("names a single clock that is inside working hours but outside core hours", () => {
    expect(worstOff([JP, KR], new Date("2027-06-14T23:00:00Z"), 120)).toBe("jp"); // 08–10 in Tokyo and Seoul
  });

  it("is null when every capital is inside core hours", () => {
    expect(worstOff([JP, KR], new Date("2027-06-15T01:00:00Z"), 120)).toBeNull(); // 10–12 in Tokyo and Seoul
  });
});

describe("findSlots", () => {
  it("finds slots inside everyone's working hours in a January week: Washington 18:00–20:00 is Tokyo/Seoul 08:00–10:00 next day", () => {
    const slots = week(JANUARY);
    const perfect = slots.filter((s) => s.score === 0);
    expect(perfect.map((s) => s.start.toISOString())).toEqual(["2027-01-11T23:00:00.000Z", "2027-01-12T23:00:00.000Z", "2027-01-13T23:00:00.000Z", "2027-01-14T23:00:00.000Z"]);
    expect(slots[0]).toMatchObject({ rank: 1, score: 0, worstDelegationId: null, reasons: [{ kind: "withinHours" }] });
    expect(local(slots[0], "US")).toBe("2027-01-11 18:00–20:00");
    expect(local(slots[0], "JP")).toBe("2027-01-12 08:00–10:00");
    expect(local(slots[0], "KR")).toBe("2027-01-12 08:00–10:00");
  });

  it("penalises the Friday-evening slot because it is Saturday morning in Tokyo and Seoul", () => {
    const all = week(JANUARY, { limit: 1000 });
    const friday = all.find((s) => s.start.toISOString() === "2027-01-15T23:00:00.000Z")!;
    expect(friday).toMatchObject({ score: 720, worstDelegationId: "jp" });
    expect(friday.reasons).toEqual([
      { kind: "weekend", delegationId: "jp" },
      { kind: "weekend", delegationId: "kr" },
    ]);
  });

  it("puts first the slot that shares the strain in a June week: Washington 18:30–20:30 and Tokyo/Seoul 07:30–09:30 lose 30 minutes each", () => {
    const [first] = week(JUNE);
    expect(first).toMatchObject({ rank: 1, score: 30, worstDelegationId: null });
    expect(local(first, "US")).toBe("2027-06-14 18:30–20:30");
    expect(local(first, "JP")).toBe("2027-06-15 07:30–09:30");
    expect(local(first, "KR")).toBe("2027-06-15 07:30–09:30");
    expect(first.reasons).toEqual([
      { kind: "outside", delegationId: "us", minutes: 30 },
      { kind: "outside", delegationId: "jp", minutes: 30 },
      { kind: "outside", delegationId: "kr", minutes: 30 },
    ]);
  });

  it("scores a slot by its worst-off capital, so Tokyo and Seoul both an hour early score 60 like Washington an hour late", () => {
    // On a one-hour grid the shared 18:30 is no candidate; on a two-hour grid neither is 19:00.
    const [washingtonLate] = week(JUNE, { stepMinutes: 60 });
    expect(washingtonLate).toMatchObject({ score: 60, worstDelegationId: "us" });
    expect(local(washingtonLate, "US")).toBe("2027-06-14 19:00–21:00");
    const [asiaEarly] = week(JUNE, { stepMinutes: 120 });
    expect(asiaEarly).toMatchObject({ score: 60, worstDelegationId: "jp" });
    expect(local(asiaEarly, "JP")).toBe("2027-06-15 07:00–09:00");
    expect(local(asiaEarly, "KR")).toBe("2027-06-15 07:00–09:00");
  });

  it("shares the strain of a three-hour meeting in a June week: Washington 18:00–21:00 and Tokyo/Seoul 07:00–10:00 lose an hour each", () => {
    const slots = week(JUNE, { durationMinutes: 180 });
    const best = slots.filter((s) => s.score === slots[0].score);
    expect(slots[0].score).toBe(60);
    expect(best.map((s) => local(s, "US"))).toEqual(["2027-06-14 18:00–21:00", "2027-06-15 18:00–21:00", "2027-06-16 18:00–21:00", "2027-06-17 18:00–21:00"]);
    expect(best.every((s) => s.worstDelegationId === null)).toBe(true);
    expect(local(slots[0], "JP")).toBe("2027-06-15 07:00–10:00");
  });

  it("then prefers the lower total penalty when history decides nothing: Washington alone late over Tokyo and Seoul both early", () => {
    const [first, second] = week(JUNE, { stepMinutes: 60, limit: 2 });
    expect([first.score, second.score]).toEqual([60, 60]);
    expect([first.worstDelegationId, second.worstDelegationId]).toEqual(["us", "us"]);
  });

  describe("rotation between Washington late and Tokyo/Seoul early, on a one-hour grid in June", () => {
    // Without the half-hour split, the best slots cost 60 either way: Washington 19–21 or Tokyo/Seoul 07–09.
    const usLate = (day: number) => ({ start: new Date(`2027-05-${day}T23:00:00Z`), durationMinutes: 120 }); // Washington 19–21
    const jpEarly = (day: number) => ({ start: new Date(`2027-05-${day}T22:00:00Z`), durationMinutes: 120 }); // Tokyo/Seoul 07–09
    const shared = (day: number) => ({ start: new Date(`2027-05-${day}T22:30:00Z`), durationMinutes: 120 }); // 30 minutes each
    const june = (history: Array<ReturnType<typeof usLate>>) => week(JUNE, { stepMinutes: 60, history });

    it("uses history meetings whose worst-off delegations are as described", () => {
      expect([usLate(12), jpEarly(12), shared(12)].map((m) => worstOff(capitals, m.start, m.durationMinutes))).toEqual(["us", "jp", null]);
    });

    it("puts first the slot that spares Washington when Washington was worst off last time, even against the lower total", () => {
      const [first] = june([usLate(12)]);
      expect(first).toMatchObject({ score: 60, worstDelegationId: "jp" });
      expect(local(first, "US")).toBe("2027-06-14 18:00–20:00");
      expect(local(first, "JP")).toBe("2027-06-15 07:00–09:00");
      expect(first.reasons).toContainEqual({ kind: "rotation", avoided: "us" });
    });

    it("flips the order when Tokyo was worst off last time", () => {
      const [first] = june([jpEarly(12)]);
      expect(first).toMatchObject({ score: 60, worstDelegationId: "us" });
      expect(local(first, "US")).toBe("2027-06-14 19:00–21:00");
      expect(first.reasons).toContainEqual({ kind: "rotation", avoided: "jp" });
    });

    it("lets the last meeting decide even when the counts point the other way", () => {
      expect(june([jpEarly(10), jpEarly(11), usLate(12)])[0].worstDelegationId).toBe("jp");
      expect(june([usLate(10), usLate(11), jpEarly(12)])[0].worstDelegationId).toBe("us");
    });

    it("takes the most recent history meeting by date, whatever the order of the list", () => {
      const [first] = june([usLate(12), jpEarly(10), jpEarly(11)]);
      expect(first.worstDelegationId).toBe("jp");
    });

    it("falls back to the counts when the last meeting was shared: Tokyo when Washington was worst off more often", () => {
      const [first] = june([usLate(10), usLate(11), jpEarly(12), shared(13)]);
      expect(first.worstDelegationId).toBe("jp");
      expect(first.reasons.map((r) => r.kind)).not.toContain("rotation");
    });

    it("falls back to the counts when the last meeting was shared: Washington when Tokyo was worst off more often", () => {
      const [first] = june([jpEarly(10), jpEarly(11), usLate(12), shared(13)]);
      expect(first.worstDelegationId).toBe("us");
    });

    it("says the same delegation carries the worst hour again when no equally scored time spares it", () => {
      // 90 minutes on the hour: Washington 19:00–20:30 (30 min late) is the only way to score 30.
      const [first] = week(JUNE, { stepMinutes: 60, durationMinutes: 90, history: [usLate(12)] });
      expect(first).toMatchObject({ score: 30, worstDelegationId: "us" });
      expect(first.reasons).toEqual([
        { kind: "outside", delegationId: "us", minutes: 30 },
        { kind: "rotationRepeat", repeated: "us" },
      ]);
    });
  });

  describe("rotation across three capitals on different clocks in June", () => {
    const GB: Capital = { delegationId: "gb", code: "GB", timeZone: "Europe/London" };
    const trio = [US, GB, JP];
    const tokyoLate = new Date("2027-05-12T12:00:00Z"); // Washington 08:00, London 13:00, Tokyo 21:00
    const gbLate = new Date("2027-05-13T23:00:00Z"); // Washington 19:00, London 00:00, Tokyo 08:00
    const usLateAgain = new Date("2027-05-14T07:00:00Z"); // Washington 03:00, London 08:00, Tokyo 16:00
    const june = (starts: Date[]) =>
      findSlots({ weekStart: JUNE, referenceZone: NY, durationMinutes: 60, capitals: trio, history: starts.map((start) => ({ start, durationMinutes: 60 })), limit: 1000 });

    it("uses history meetings whose worst-off delegations are as described", () => {
      expect([tokyoLate, gbLate, usLateAgain].map((start) => worstOff(trio, start, 60))).toEqual(["jp", "gb", "us"]);
    });

    it("gives the rotation reasons only where rotation decided between equally scored times", () => {
      const tied = june([gbLate]).filter((s) => s.score === 60);
      const londonAgain = tied.filter((s) => s.worstDelegationId === "gb");
      // Spared: London strictly better off than the worst-off capital (not sharing its strain).
      const spared = tied.filter((s) => s.capitals.find((c) => c.delegationId === "gb")!.penalty < s.score);
      expect(londonAgain.length).toBeGreaterThan(0);
      expect(spared.length).toBeGreaterThan(0);
      expect(Math.max(...spared.map((s) => s.rank))).toBeLessThan(Math.min(...londonAgain.map((s) => s.rank)));
      for (const s of spared) expect(s.reasons).toContainEqual({ kind: "rotation", avoided: "gb" });
      for (const s of londonAgain) expect(s.reasons.map((r) => r.kind)).not.toContain("rotationRepeat");
    });

    it("never says the last worst-off delegation is spared on a slot where it shares the worst strain", () => {
      const sharedWithWashington = june([tokyoLate, usLateAgain]).filter(
        (s) => s.score > 0 && s.worstDelegationId === null && s.capitals.find((c) => c.delegationId === "us")!.penalty === s.score,
      );
      expect(sharedWithWashington.length).toBeGreaterThan(0);
      for (const s of sharedWithWashington) expect(s.reasons).not.toContainEqual({ kind: "rotation", avoided: "us" });
    });

    it("does not count a shared slot as a repeat, so it ranks among the spared ones, where no past count holds it back", () => {
      // Last time Washington, before that Tokyo. Shared slots (e.g. Washington 00:00–01:00 with London 05:00–06:00) are
      // no repeat for Washington, and nobody's count is held against them: they come before Tokyo alone, Washington alone last.
      const tied = june([tokyoLate, usLateAgain]).filter((s) => s.score === 60);
      const ranks = (worst: string | null) => tied.filter((s) => s.worstDelegationId === worst).map((s) => s.rank);
      const [sharedSlots, tokyoAlone, washingtonAlone] = [ranks(null), ranks("jp"), ranks("us")];
      for (const r of [sharedSlots, tokyoAlone, washingtonAlone]) expect(r.length).toBeGreaterThan(0);
      expect(Math.max(...sharedSlots)).toBeLessThan(Math.min(...tokyoAlone));
      expect(Math.max(...tokyoAlone)).toBeLessThan(Math.min(...washingtonAlone));
    });
  });

  it("gives no rotation reason when rotation decided nothing", () => {
    const history = [{ start: new Date("2026-12-09T22:00:00Z"), durationMinutes: 120 }]; // Tokyo/Seoul 07–09: Tokyo worst off
    const [first] = week(JANUARY, { history });
    expect(first).toMatchObject({ score: 0, worstDelegationId: null, reasons: [{ kind: "withinHours" }] });
  });

  it("returns slots that never overlap each other, ranked 1..n", () => {
    for (const slots of [week(JANUARY, { limit: 40 }), week(JUNE, { limit: 40, stepMinutes: 15 })]) {
      expect(slots.map((s) => s.rank)).toEqual(slots.map((_, i) => i + 1));
      for (const a of slots) for (const b of slots) if (a !== b) expect(a.start < b.end && b.start < a.end, `${a.start.toISOString()} / ${b.start.toISOString()}`).toBe(false);
    }
  });

  it("returns at most `limit` slots, 8 by default", () => {
    expect(week(JANUARY)).toHaveLength(8);
    expect(week(JANUARY, { limit: 3 })).toHaveLength(3);
  });

  it("ignores start times before `notBefore`", () => {
    const notBefore = new Date("2027-01-13T00:00:00Z");
    const slots = week(JANUARY, { notBefore, limit: 1000 });
    expect(slots.every((s) => s.start >= notBefore)).toBe(true);
    expect(slots[0].start.toISOString()).toBe("2027-01-13T23:00:00.000Z");
  });

  it("only proposes starts within the 7 local days of the week, every step", () => {
    const slots = week(JANUARY, { limit: 1000, durationMinutes: 30, stepMinutes: 30 });
    expect(slots).toHaveLength(7 * 48);
    const days = new Set(slots.map((s) => localParts(s.start, NY).date));
    expect([...days].sort()).toEqual(["2027-01-11", "2027-01-12", "2027-01-13", "2027-01-14", "2027-01-15", "2027-01-16", "2027-01-17"]);
  });

  it("keeps a week that crosses the US DST change on whole and half local hours", () => {
    const slots = week("2027-03-08", { limit: 1000, durationMinutes: 30 });
    expect(slots).toHaveLength(7 * 48 - 2); // the local week is one hour short
    expect(slots.every((s) => /:[03]0$/.test(localParts(s.start, NY).time))).toBe(true);
  });

});

describe("stripGeometry", () => {
  const geometry = () =>
    stripGeometry({
      capitals,
      day: "2027-01-12",
      axisZone: NY,
      candidates: [
        { rank: 1, start: new Date("2027-01-14T23:00:00Z"), end: new Date("2027-01-15T01:00:00Z") }, // Thursday 18–20 in Washington
        { rank: 2, start: new Date("2027-01-13T04:00:00Z"), end: new Date("2027-01-13T06:00:00Z") }, // 23:00–01:00 in Washington
      ],
    });

  it("starts the axis at local midnight in the axis zone", () => {
    expect(geometry().axisStart).toEqual(new Date("2027-01-12T05:00:00Z"));
  });

  it("shades Tokyo's 08:00–20:00 where it falls on a New York day: until 06:00 and from 18:00 New York time", () => {
    const tokyo = geometry().strips[1];
    expect(tokyo.code).toBe("JP");
    expect(tokyo.working).toEqual([
      { from: 0, to: 360 },
      { from: 1080, to: 1440 },
    ]);
  });

  it("labels ticks every three hours in each capital's own local time, with the local midnight marked", () => {
    const [us, tokyo] = geometry().strips;
    expect(us.ticks.map((t) => `${t.at}=${t.label}`)).toEqual(["0=00:00", "180=03:00", "360=06:00", "540=09:00", "720=12:00", "900=15:00", "1080=18:00", "1260=21:00"]);
    expect(tokyo.ticks[0]).toEqual({ at: 60, label: "15:00" });
    expect(tokyo.ticks).toContainEqual({ at: 600, label: "00:00" });
    expect(tokyo.midnights).toEqual([600]);
    expect(us.midnights).toEqual([]);
  });

  it("projects a candidate from another day onto the axis by time of day", () => {
    expect(geometry().slots.filter((s) => s.rank === 1)).toEqual([{ rank: 1, from: 1080, to: 1200 }]);
  });

  it("wraps a band that crosses the end of the axis into two pieces with the same rank", () => {
    expect(geometry().slots.filter((s) => s.rank === 2)).toEqual([
      { rank: 2, from: 1380, to: 1440 },
      { rank: 2, from: 0, to: 60 },
    ]);
  });

  it("keeps every position within 0..1440", () => {
    const g = geometry();
    const positions = [...g.slots.flatMap((s) => [s.from, s.to]), ...g.strips.flatMap((s) => [...s.working.flatMap((w) => [w.from, w.to]), ...s.ticks.map((t) => t.at), ...s.midnights])];
    expect(positions.every((p) => p >= 0 && p <= 1440)).toBe(true);
  });

  it("follows the zone database on a US DST-change day: no 02:00, and the next local day starts an hour before the axis ends", () => {
    const [us] = stripGeometry({ capitals: [US], candidates: [], day: "2027-03-14", axisZone: NY }).strips;
    expect(us.ticks.slice(0, 3)).toEqual([
      { at: 0, label: "00:00" },
      { at: 120, label: "03:00" },
      { at: 300, label: "06:00" },
    ]);
    expect(us.working).toEqual([{ from: 420, to: 1140 }]);
    expect(us.midnights).toEqual([1380]);
  });
});
