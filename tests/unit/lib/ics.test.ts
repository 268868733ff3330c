import { describe, expect, it } from "vitest";
import { buildFeed, buildInvite, foldLines, type CalendarEvent } from "~/lib/ics.server";
import { lineProblems, parseCalendar, parseWithPython, pythonAvailable } from "#tests/support/ical";

const TRICKY_TITLE = "Review, plan; next steps\nLine two \\ backslash 🙂 日本語 한국어";
const LONG_JAPANESE = "会議の議題と議事録を共有します。".repeat(625); // 10 000 characters

function event(overrides: Partial<CalendarEvent> = {}): CalendarEvent {
  return {
    uid: "abc123@concord",
    sequence: 3,
    status: "CONFIRMED",
    start: new Date("2027-03-09T14:00:00Z"),
    durationMinutes: 120,
    title: "Standing committee, 41st session",
    description: "Agenda:\n1. Opening; adoption\n2. Budget, 2027\nSee C:\\docs\\agenda",
    location: "Palais des Nations, Room XVII; Geneva",
    url: "https://concord.example/bodies/sc/meetings/m41?tab=agenda&lang=en,fr;x=1",
    organizer: { name: "Secretariat", email: "secretariat@concord.example" },
    attendees: [
      { name: "Ana Chair", email: "chair@concord.example", role: "CHAIR", partstat: "ACCEPTED", rsvp: false },
      { name: "Bo Member", email: "bo@concord.example", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: true },
      { name: "Cy Observer", email: "cy@concord.example", role: "OPT-PARTICIPANT", partstat: "TENTATIVE", rsvp: true },
      { name: "Di Notetaker", email: "di@concord.example", role: "NON-PARTICIPANT", partstat: "DECLINED", rsvp: false },
    ],
    stamp: new Date("2027-02-01T08:30:15Z"),
    lastModified: new Date("2027-01-31T17:45:00Z"),
    ...overrides,
  };
}

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0];
}

describe("buildInvite REQUEST", () => {
  const text = buildInvite(event(), "REQUEST");
  const cal = parseCalendar(text);
  const ev = only(cal.events);

  it("has the calendar header", () => {
    expect(cal.version).toBe("2.0");
    expect(cal.method).toBe("REQUEST");
    expect(cal.prodid).toBe("-//Concord//Meetings//EN");
    expect(cal.name).toBeNull();
  });

  it("writes exact UTC instants", () => {
    expect(ev.startIsUtc).toBe(true);
    expect(ev.start?.toISOString()).toBe("2027-03-09T14:00:00.000Z");
    expect(ev.end?.toISOString()).toBe("2027-03-09T16:00:00.000Z");
    expect(ev.dtstamp?.toISOString()).toBe("2027-02-01T08:30:15.000Z");
    expect(ev.lastModified?.toISOString()).toBe("2027-01-31T17:45:00.000Z");
    expect(unfold(text)).toContain("\r\nDTSTART:20270309T140000Z\r\n");
    expect(unfold(text)).toContain("\r\nDTEND:20270309T160000Z\r\n");
  });

  it("keeps seconds and odd durations exact", () => {
    const odd = only(parseCalendar(buildInvite(event({ start: new Date("2027-12-31T23:59:30Z"), durationMinutes: 95 }), "REQUEST")).events);
    expect(odd.start?.toISOString()).toBe("2027-12-31T23:59:30.000Z");
    expect(odd.end?.toISOString()).toBe("2028-01-01T01:34:30.000Z");
  });

  it("carries UID, SEQUENCE, STATUS, text fields and URL", () => {
    expect(ev.uid).toBe("abc123@concord");
    expect(ev.sequence).toBe(3);
    expect(ev.status).toBe("CONFIRMED");
    expect(ev.summary).toBe("Standing committee, 41st session");
    expect(ev.description).toBe(event().description);
    expect(ev.location).toBe(event().location);
    expect(ev.url).toBe(event().url);
    const zero = only(parseCalendar(buildInvite(event({ sequence: 0, status: "TENTATIVE" }), "REQUEST")).events);
    expect(zero.sequence).toBe(0);
    expect(zero.status).toBe("TENTATIVE");
  });

  it("names the organizer and every attendee with CN, ROLE, PARTSTAT and RSVP", () => {
    expect(ev.organizer).toEqual({ cn: "Secretariat", email: "secretariat@concord.example" });
    expect(ev.attendees).toEqual([
      { cn: "Ana Chair", email: "chair@concord.example", role: "CHAIR", partstat: "ACCEPTED", rsvp: false },
      { cn: "Bo Member", email: "bo@concord.example", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: true },
      { cn: "Cy Observer", email: "cy@concord.example", role: "OPT-PARTICIPANT", partstat: "TENTATIVE", rsvp: true },
      { cn: "Di Notetaker", email: "di@concord.example", role: "NON-PARTICIPANT", partstat: "DECLINED", rsvp: false },
    ]);
    const attendeeLines = unfold(text).split("\r\n").filter((l) => l.startsWith("ATTENDEE"));
    expect(attendeeLines).toHaveLength(4);
    for (const line of attendeeLines) {
      expect(line).toMatch(/;RSVP=(TRUE|FALSE)[;:]/);
      // RFC 5545 gives ROLE and PARTSTAT a bare-token grammar; `ics` on its own quotes them.
      expect(line).toMatch(/;ROLE=[A-Z-]+;/);
      expect(line).toMatch(/;PARTSTAT=[A-Z-]+;/);
      expect(line).toMatch(/;CN="[^"]*":mailto:/);
    }
  });

  it("leaves out ATTENDEE when there are none", () => {
    const none = buildInvite(event({ attendees: [] }), "REQUEST");
    expect(none).not.toContain("ATTENDEE");
    expect(parseCalendar(none).events[0].attendees).toEqual([]);
  });

  it("has clean physical lines", () => {
    expect(lineProblems(text)).toEqual([]);
    expect(text.endsWith("END:VCALENDAR\r\n")).toBe(true);
  });
});

describe("buildInvite CANCEL", () => {
  it("sends METHOD:CANCEL with STATUS:CANCELLED whatever the event's status", () => {
    for (const status of ["CONFIRMED", "TENTATIVE", "CANCELLED"] as const) {
      const text = buildInvite(event({ status, sequence: 4 }), "CANCEL");
      const cal = parseCalendar(text);
      expect(cal.method).toBe("CANCEL");
      const ev = only(cal.events);
      expect(ev.status).toBe("CANCELLED");
      expect(ev.uid).toBe("abc123@concord");
      expect(ev.sequence).toBe(4);
      expect(ev.attendees).toHaveLength(4);
      expect(lineProblems(text)).toEqual([]);
    }
  });
});

describe("names in parameters", () => {
  const organizer = { name: 'Kim "the chair"; Lee, 김민준', email: "kim@concord.example" };
  const attendees: CalendarEvent["attendees"] = [
    { name: 'Dr. "Who"; Smith, John: 이서연\r\nsecond line\tand tab', email: "who@concord.example", role: "REQ-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: true },
    { name: "   ", email: "blank@concord.example", role: "OPT-PARTICIPANT", partstat: "NEEDS-ACTION", rsvp: true },
    { name: "田中 太郎".repeat(20), email: "tanaka@concord.example", role: "CHAIR", partstat: "ACCEPTED", rsvp: false },
  ];
  const text = buildInvite(event({ organizer, attendees }), "REQUEST");
  const ev = only(parseCalendar(text).events);

  it("replaces double quotes and line breaks, keeps ; : , and Korean", () => {
    expect(ev.organizer).toEqual({ cn: "Kim 'the chair'; Lee, 김민준", email: "kim@concord.example" });
    expect(ev.attendees[0]).toEqual({
      cn: "Dr. 'Who'; Smith, John: 이서연 second line and tab",
      email: "who@concord.example",
      role: "REQ-PARTICIPANT",
      partstat: "NEEDS-ACTION",
      rsvp: true,
    });
    expect(ev.attendees[2].cn).toBe("田中 太郎".repeat(20));
    expect(text).not.toContain('\\"');
  });

  it("falls back to the address when a name is blank", () => {
    expect(ev.attendees[1].cn).toBe("blank@concord.example");
  });

  it("folds long parameter lines safely", () => {
    expect(lineProblems(text)).toEqual([]);
  });
});

describe("TEXT escaping round-trips", () => {
  it("keeps a title with commas, semicolons, newlines, backslashes, emoji, Japanese and Korean", () => {
    const text = buildInvite(event({ title: TRICKY_TITLE, description: TRICKY_TITLE, location: TRICKY_TITLE }), "REQUEST");
    const ev = only(parseCalendar(text).events);
    expect(ev.summary).toBe(TRICKY_TITLE);
    expect(ev.description).toBe(TRICKY_TITLE);
    expect(ev.location).toBe(TRICKY_TITLE);
    expect(lineProblems(text)).toEqual([]);
  });

  it("keeps a 10 000-character Japanese title", () => {
    expect(LONG_JAPANESE).toHaveLength(10_000);
    const text = buildInvite(event({ title: LONG_JAPANESE, description: LONG_JAPANESE }), "REQUEST");
    const ev = only(parseCalendar(text).events);
    expect(ev.summary).toBe(LONG_JAPANESE);
    expect(ev.description).toBe(LONG_JAPANESE);
    expect(lineProblems(text)).toEqual([]);
  });

  it("turns CR and CRLF into line breaks and drops other control characters", () => {
    const ev = only(parseCalendar(buildInvite(event({ title: "a\r\nb\rc\u0000d\u0007e\tf" }), "REQUEST")).events);
    expect(ev.summary).toBe("a\nb\ncde\tf");
  });

  it("escapes the calendar name and product id", () => {
    const text = buildFeed([event()], { name: "Plenary, Geneva; 2027\\", productId: "-//Example, Inc.//Test//EN" });
    const cal = parseCalendar(text);
    expect(cal.prodid).toBe("-//Example, Inc.//Test//EN");
    // ical.js reads X- properties raw, so the escapes show.
    expect(cal.name).toBe("Plenary\\, Geneva\\; 2027\\\\");
  });
});

describe("buildFeed", () => {
  const events: CalendarEvent[] = [
    event({ uid: "m1@concord", sequence: 0, start: new Date("2027-03-09T14:00:00Z"), durationMinutes: 60, title: "First" }),
    event({ uid: "m2@concord", sequence: 2, status: "CANCELLED", start: new Date("2027-04-10T09:30:00Z"), durationMinutes: 90, title: "Second, cancelled" }),
    event({ uid: "m3@concord", sequence: 1, status: "TENTATIVE", start: new Date("2027-05-11T23:00:00Z"), durationMinutes: 180, title: TRICKY_TITLE }),
  ];
  const text = buildFeed(events, { name: "Standing committee 常任委員会" });
  const cal = parseCalendar(text);

  it("publishes every event, keeping the cancelled one", () => {
    expect(cal.method).toBe("PUBLISH");
    expect(cal.prodid).toBe("-//Concord//Meetings//EN");
    expect(cal.name).toBe("Standing committee 常任委員会");
    expect(cal.events.map((e) => [e.uid, e.sequence, e.status, e.summary])).toEqual([
      ["m1@concord", 0, "CONFIRMED", "First"],
      ["m2@concord", 2, "CANCELLED", "Second, cancelled"],
      ["m3@concord", 1, "TENTATIVE", TRICKY_TITLE],
    ]);
    expect(cal.events.map((e) => [e.start?.toISOString(), e.end?.toISOString()])).toEqual([
      ["2027-03-09T14:00:00.000Z", "2027-03-09T15:00:00.000Z"],
      ["2027-04-10T09:30:00.000Z", "2027-04-10T11:00:00.000Z"],
      ["2027-05-11T23:00:00.000Z", "2027-05-12T02:00:00.000Z"],
    ]);
  });

  it("has no ATTENDEE lines but keeps the organizer", () => {
    expect(text).not.toContain("ATTENDEE");
    for (const e of cal.events) {
      expect(e.attendees).toEqual([]);
      expect(e.organizer?.email).toBe("secretariat@concord.example");
    }
  });

  it("has X-WR-CALNAME and clean physical lines", () => {
    expect(unfold(text)).toContain("\r\nX-WR-CALNAME:Standing committee 常任委員会\r\n");
    expect(lineProblems(text)).toEqual([]);
  });

  it("writes a valid empty feed", () => {
    const empty = buildFeed([], { name: "Nothing yet" });
    const parsed = parseCalendar(empty);
    expect(parsed.method).toBe("PUBLISH");
    expect(parsed.events).toEqual([]);
    expect(lineProblems(empty)).toEqual([]);
  });
});

describe("bad input", () => {
  it("throws a clear error for what ics rejects", () => {
    expect(() => buildInvite(event({ organizer: { name: "X", email: "not an address" } }), "REQUEST")).toThrow(/Could not build the calendar file: .*organizer\.email/);
    expect(() => buildFeed([event({ url: "not a url" })])).toThrow(/Could not build the calendar file: .*url/);
  });

  it("throws for impossible times and counters", () => {
    expect(() => buildInvite(event({ durationMinutes: 0 }), "REQUEST")).toThrow(/duration/);
    expect(() => buildInvite(event({ start: new Date("nonsense") }), "REQUEST")).toThrow(/start/);
    expect(() => buildInvite(event({ sequence: -1 }), "REQUEST")).toThrow(/sequence/);
    expect(() => buildInvite(event({ sequence: 1.5 }), "REQUEST")).toThrow(/sequence/);
  });
});

describe("foldLines", () => {
  const octets = (s: string) => Buffer.byteLength(s, "utf8");

  it("folds a long ASCII line at exactly 75 octets", () => {
    const line = `DESCRIPTION:${"x".repeat(300)}`;
    const folded = foldLines(line);
    const physical = folded.split("\r\n").slice(0, -1);
    expect(physical[0]).toHaveLength(75);
    expect(physical.slice(1).every((l) => l.startsWith(" ") && !l.startsWith("  "))).toBe(true);
    expect(physical.slice(0, -1).every((l) => octets(l) === 75)).toBe(true);
    expect(unfold(folded)).toBe(`${line}\r\n`);
    expect(lineProblems(folded)).toEqual([]);
  });

  it("leaves short lines alone and ends them with CRLF", () => {
    expect(foldLines("BEGIN:VCALENDAR\nVERSION:2.0\nEND:VCALENDAR")).toBe("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n");
    expect(foldLines(`X:${"a".repeat(73)}\r\n`)).toBe(`X:${"a".repeat(73)}\r\n`);
  });

  it("folds a long CJK line by octets without splitting a character", () => {
    const line = `SUMMARY:${"日本語한국어".repeat(100)}`;
    const folded = foldLines(line);
    expect(lineProblems(folded)).toEqual([]);
    expect(unfold(folded)).toBe(`${line}\r\n`);
    // 8 ASCII octets then 3-octet characters: 8 + 22 * 3 = 74, a 23rd would make 77.
    expect(octets(folded.split("\r\n")[0])).toBe(74);
  });

  it("moves a multi-byte character that would straddle the limit to the next line", () => {
    const folded = foldLines(`SUMMARY:${"a".repeat(66)}日x`);
    expect(folded).toBe(`SUMMARY:${"a".repeat(66)}\r\n 日x\r\n`);
  });

  it("never splits an emoji's surrogate pair", () => {
    const line = `SUMMARY:${"🙂".repeat(100)}`;
    const folded = foldLines(line);
    expect(lineProblems(folded)).toEqual([]);
    for (const physical of folded.split("\r\n")) expect(physical).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    expect(unfold(folded)).toBe(`${line}\r\n`);
  });

  it("re-folds already folded input, whether folded with a space or a tab", () => {
    const line = `DESCRIPTION:${"議事録 minutes ".repeat(40)}`;
    const once = foldLines(line);
    expect(foldLines(once)).toBe(once);
    // `ics` folds at 75 characters with CRLF + TAB.
    const byChars = line.match(/.{1,74}/gu)!.join("\r\n\t");
    expect(foldLines(byChars)).toBe(once);
    expect(lineProblems(once)).toEqual([]);
  });
});

describe.skipIf(!pythonAvailable)("cross-check with Python icalendar", () => {
  it("agrees on an invitation", () => {
    const text = buildInvite(event({ title: TRICKY_TITLE, organizer: { name: 'Kim "K"; Lee, 김민준', email: "kim@concord.example" } }), "REQUEST");
    const py = parseWithPython(text)!;
    expect(py.method).toBe("REQUEST");
    expect(py.prodid).toBe("-//Concord//Meetings//EN");
    const ev = only(py.events);
    expect(ev).toMatchObject({
      uid: "abc123@concord",
      sequence: 3,
      status: "CONFIRMED",
      summary: TRICKY_TITLE,
      description: event().description,
      location: event().location,
      dtstart: "2027-03-09T14:00:00Z",
      dtend: "2027-03-09T16:00:00Z",
      organizer: { cn: "Kim 'K'; Lee, 김민준", email: "kim@concord.example" },
    });
    expect(ev.attendees.map((a) => [a.cn, a.email, a.role, a.partstat, a.rsvp])).toEqual([
      ["Ana Chair", "chair@concord.example", "CHAIR", "ACCEPTED", "FALSE"],
      ["Bo Member", "bo@concord.example", "REQ-PARTICIPANT", "NEEDS-ACTION", "TRUE"],
      ["Cy Observer", "cy@concord.example", "OPT-PARTICIPANT", "TENTATIVE", "TRUE"],
      ["Di Notetaker", "di@concord.example", "NON-PARTICIPANT", "DECLINED", "FALSE"],
    ]);
  });

  it("agrees on a cancellation", () => {
    const py = parseWithPython(buildInvite(event({ sequence: 5 }), "CANCEL"))!;
    expect(py.method).toBe("CANCEL");
    expect(only(py.events)).toMatchObject({ uid: "abc123@concord", sequence: 5, status: "CANCELLED", dtstart: "2027-03-09T14:00:00Z" });
  });

  it("agrees on a feed, including a 10 000-character Japanese title", () => {
    const events = [
      event({ uid: "m1@concord", sequence: 0, title: LONG_JAPANESE }),
      event({ uid: "m2@concord", sequence: 2, status: "CANCELLED", start: new Date("2027-04-10T09:30:00Z"), durationMinutes: 90, title: TRICKY_TITLE }),
    ];
    const text = buildFeed(events, { name: "Plenary, 総会; 본회의" });
    const py = parseWithPython(text)!;
    const js = parseCalendar(text);
    expect(py.method).toBe("PUBLISH");
    expect(py.name).toBe("Plenary, 総会; 본회의");
    expect(py.events.map((e) => [e.uid, e.sequence, e.status, e.summary, e.dtstart, e.dtend, e.attendees.length])).toEqual([
      ["m1@concord", 0, "CONFIRMED", LONG_JAPANESE, "2027-03-09T14:00:00Z", "2027-03-09T16:00:00Z", 0],
      ["m2@concord", 2, "CANCELLED", TRICKY_TITLE, "2027-04-10T09:30:00Z", "2027-04-10T11:00:00Z", 0],
    ]);
    expect(py.events.map((e) => [e.uid, e.sequence, e.summary, e.dtstart && new Date(e.dtstart).toISOString()])).toEqual(
      js.events.map((e) => [e.uid, e.sequence, e.summary, e.start?.toISOString()]),
    );
  });
});

describe("what belongs to feeds and what to iTIP messages", () => {
  it("gives feeds REFRESH-INTERVAL, X-PUBLISHED-TTL and a name, and invitations none of them", () => {
    const feed = buildFeed([event()], { name: "Concord", refreshMinutes: 60 });
    expect(feed).toContain("\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n");
    expect(feed.match(/X-PUBLISHED-TTL:/g)).toHaveLength(1);
    expect(feed).toContain("\r\nX-PUBLISHED-TTL:PT1H\r\n");
    expect(feed).toContain("\r\nNAME:Concord\r\n");
    const invite = buildInvite(event(), "REQUEST");
    expect(invite).not.toMatch(/X-PUBLISHED-TTL|X-WR-CALNAME|REFRESH-INTERVAL|\r\nNAME:/);
    expect(lineProblems(feed)).toEqual([]);
  });

  it("writes CONFERENCE, COMMENT and a VALARM that both parsers read", () => {
    const text = buildInvite(
      event({ conference: { uri: "https://meet.example.org/a?b=c", label: 'Join "now"' }, comment: "Moved; see, below", alarmMinutes: 30 }),
      "REQUEST",
    );
    const unfolded = text.replace(/\r\n /g, "");
    expect(unfolded).toContain('CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="Join \'now\'":https://meet.example.org/a?b=c');
    expect(text).toContain("COMMENT:Moved\\; see\\, below");
    expect(text).toMatch(/BEGIN:VALARM\r\nACTION:DISPLAY\r\nDESCRIPTION:.*\r\nTRIGGER:-PT30M\r\nEND:VALARM\r\nEND:VEVENT/);
    expect(parseCalendar(text).events).toHaveLength(1);
    if (pythonAvailable) expect(parseWithPython(text)!.events).toHaveLength(1);
  });

  it("writes DECLINECOUNTER and leaves out a reminder on a cancellation", () => {
    expect(parseCalendar(buildInvite(event(), "DECLINECOUNTER")).method).toBe("DECLINECOUNTER");
    expect(buildInvite(event({ alarmMinutes: 10 }), "CANCEL")).not.toContain("VALARM");
  });
});
