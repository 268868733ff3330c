/**
 * Reads calendar text back with parsers that share no code with the `ics` writer: ical.js always,
 * and Python's icalendar where Debian's /usr/bin/python3 has it. Both return plain data.
 */
import { spawnSync } from "node:child_process";
import ICAL from "ical.js";

export interface ParsedPerson {
  cn: string | null;
  email: string | null;
}
export interface ParsedAttendee extends ParsedPerson {
  role: string | null;
  partstat: string | null;
  rsvp: boolean | null;
}
export interface ParsedEvent {
  uid: string | null;
  sequence: number | null;
  status: string | null;
  start: Date | null;
  startIsUtc: boolean;
  end: Date | null;
  summary: string | null;
  description: string | null;
  location: string | null;
  url: string | null;
  organizer: ParsedPerson | null;
  attendees: ParsedAttendee[];
  dtstamp: Date | null;
  lastModified: Date | null;
}
export interface ParsedCalendar {
  version: string | null;
  method: string | null;
  prodid: string | null;
  /** X-WR-CALNAME as ical.js gives it: an unknown X- property, so TEXT escapes are left in. */
  name: string | null;
  events: ParsedEvent[];
}

type Property = InstanceType<typeof ICAL.Property>;
type Component = InstanceType<typeof ICAL.Component>;
type Time = InstanceType<typeof ICAL.Time>;

/** Parses with ical.js; throws on anything it cannot read. */
export function parseCalendar(text: string): ParsedCalendar {
  const root = new ICAL.Component(ICAL.parse(text));
  if (root.name !== "vcalendar") throw new Error(`expected VCALENDAR, got ${root.name}`);
  return {
    version: stringValue(root.getFirstProperty("version")),
    method: stringValue(root.getFirstProperty("method")),
    prodid: stringValue(root.getFirstProperty("prodid")),
    name: stringValue(root.getFirstProperty("x-wr-calname")),
    events: root.getAllSubcomponents("vevent").map(parseEvent),
  };
}

function parseEvent(vevent: Component): ParsedEvent {
  const event = new ICAL.Event(vevent);
  const dtstart = timeValue(vevent.getFirstProperty("dtstart"));
  const hasEnd = vevent.hasProperty("dtend") || vevent.hasProperty("duration");
  const sequence = vevent.getFirstProperty("sequence")?.getFirstValue();
  return {
    uid: stringValue(vevent.getFirstProperty("uid")),
    sequence: typeof sequence === "number" ? sequence : null,
    status: stringValue(vevent.getFirstProperty("status")),
    start: dtstart ? dtstart.toJSDate() : null,
    startIsUtc: !!dtstart && !dtstart.isDate && dtstart.zone === ICAL.Timezone.utcTimezone,
    end: dtstart && hasEnd ? event.endDate.toJSDate() : null,
    summary: stringValue(vevent.getFirstProperty("summary")),
    description: stringValue(vevent.getFirstProperty("description")),
    location: stringValue(vevent.getFirstProperty("location")),
    url: stringValue(vevent.getFirstProperty("url")),
    organizer: person(vevent.getFirstProperty("organizer")),
    attendees: vevent.getAllProperties("attendee").map((prop) => ({
      ...(person(prop) as ParsedPerson),
      role: param(prop, "role"),
      partstat: param(prop, "partstat"),
      rsvp: param(prop, "rsvp") === null ? null : param(prop, "rsvp") === "TRUE",
    })),
    dtstamp: timeValue(vevent.getFirstProperty("dtstamp"))?.toJSDate() ?? null,
    lastModified: timeValue(vevent.getFirstProperty("last-modified"))?.toJSDate() ?? null,
  };
}

function stringValue(prop: Property | null): string | null {
  const value = prop?.getFirstValue();
  return value === undefined || value === null ? null : String(value);
}

function timeValue(prop: Property | null): Time | null {
  const value = prop?.getFirstValue();
  return value instanceof ICAL.Time ? value : null;
}

function param(prop: Property, name: string): string | null {
  const value = prop.getParameter(name);
  if (value === undefined || value === null) return null;
  return Array.isArray(value) ? value.join(",") : String(value);
}

function person(prop: Property | null): ParsedPerson | null {
  if (!prop) return null;
  const address = stringValue(prop);
  return { cn: param(prop, "cn"), email: address ? address.replace(/^mailto:/i, "") : null };
}

/** Problems with the physical lines (empty when none): octet length, CRLF endings, UTF-8 split across a fold. */
export function lineProblems(text: string): string[] {
  const bytes = Buffer.from(text, "utf8");
  const problems: string[] = [];
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let start = 0;
  let lineNo = 0;
  while (start < bytes.length) {
    lineNo++;
    const lf = bytes.indexOf(0x0a, start);
    if (lf === -1) {
      problems.push(`line ${lineNo}: no line end at the end of the text`);
      break;
    }
    if (lf === start || bytes[lf - 1] !== 0x0d) problems.push(`line ${lineNo}: ends with a bare LF`);
    const line = bytes.subarray(start, bytes[lf - 1] === 0x0d ? lf - 1 : lf);
    if (line.includes(0x0d)) problems.push(`line ${lineNo}: contains a bare CR`);
    if (line.length > 75) problems.push(`line ${lineNo}: ${line.length} octets`);
    if (line.length === 0) problems.push(`line ${lineNo}: empty`);
    try {
      decoder.decode(line);
    } catch {
      problems.push(`line ${lineNo}: not valid UTF-8 on its own (a character was split by a fold)`);
    }
    start = lf + 1;
  }
  return problems;
}

// ---------------------------------------------------------------- Python's icalendar

/** Debian's interpreter: the pyenv `python3` earlier on PATH has no icalendar. */
const PYTHON = "/usr/bin/python3";

function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.PYTHONPATH;
  delete env.PYTHONHOME;
  return env;
}

export const pythonAvailable: boolean = (() => {
  try {
    return spawnSync(PYTHON, ["-c", "import icalendar"], { env: pythonEnv(), stdio: "ignore", timeout: 10_000 }).status === 0;
  } catch {
    return false;
  }
})();

export interface PythonEvent {
  uid: string | null;
  sequence: number | null;
  status: string | null;
  summary: string | null;
  description: string | null;
  location: string | null;
  /** ISO 8601 in UTC with a trailing Z, e.g. 2027-03-09T14:00:00Z. */
  dtstart: string | null;
  dtend: string | null;
  organizer: { cn: string | null; email: string } | null;
  attendees: { cn: string | null; email: string; role: string | null; partstat: string | null; rsvp: string | null }[];
}
export interface PythonCalendar {
  method: string | null;
  prodid: string | null;
  /** X-WR-CALNAME, TEXT-unescaped. */
  name: string | null;
  events: PythonEvent[];
}

const PYTHON_SCRIPT = String.raw`
import json, sys, datetime
from icalendar import Calendar

def text(v):
    return None if v is None else str(v)

def utc(component, name):
    if name not in component:
        return None
    dt = component.decoded(name)
    if not isinstance(dt, datetime.datetime) or dt.tzinfo is None:
        return "floating:" + dt.isoformat()
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

def address(prop):
    s = str(prop)
    return s[7:] if s.lower().startswith("mailto:") else s

def people(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]

cal = Calendar.from_ical(sys.stdin.buffer.read().decode("utf-8"))
events = []
for ev in cal.walk("VEVENT"):
    org = ev.get("organizer")
    events.append({
        "uid": text(ev.get("uid")),
        "sequence": int(ev.get("sequence")) if "sequence" in ev else None,
        "status": text(ev.get("status")),
        "summary": text(ev.get("summary")),
        "description": text(ev.get("description")),
        "location": text(ev.get("location")),
        "dtstart": utc(ev, "dtstart"),
        "dtend": utc(ev, "dtend"),
        "organizer": None if org is None else {"cn": org.params.get("CN"), "email": address(org)},
        "attendees": [
            {"cn": a.params.get("CN"), "email": address(a), "role": a.params.get("ROLE"),
             "partstat": a.params.get("PARTSTAT"), "rsvp": a.params.get("RSVP")}
            for a in people(ev.get("attendee"))
        ],
    })
sys.stdout.write(json.dumps({"method": text(cal.get("method")), "prodid": text(cal.get("prodid")), "name": text(cal.get("x-wr-calname")), "events": events}))
`;

/** Parses with Python's icalendar, or returns null where it is not installed. Throws if Python fails to parse. */
export function parseWithPython(text: string): PythonCalendar | null {
  if (!pythonAvailable) return null;
  const run = spawnSync(PYTHON, ["-c", PYTHON_SCRIPT], { input: new TextEncoder().encode(text), env: pythonEnv(), timeout: 30_000, maxBuffer: 64 * 1024 * 1024 });
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`python icalendar failed (${run.status}): ${run.stderr.toString("utf8")}`);
  return JSON.parse(run.stdout.toString("utf8")) as PythonCalendar;
}
