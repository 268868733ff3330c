/**
 * Calendar files (RFC 5545) for invitations (RFC 5546 REQUEST / CANCEL) and subscription feeds (PUBLISH).
 *
 * The `ics` package writes the text; this module feeds it only values it handles correctly and then
 * fixes what it gets wrong: it folds at 75 characters instead of 75 octets (CJK lines come out too
 * long), it quotes ROLE/PARTSTAT values (the RFC grammar for those is a bare token), and it does not
 * escape the calendar-level TEXT values (PRODID, X-WR-CALNAME) or the UID.
 */
import { createEvents, type Attendee, type EventAttributes, type HeaderAttributes } from "ics";

export type PartStat = "ACCEPTED" | "TENTATIVE" | "DECLINED" | "NEEDS-ACTION";
export type AttendeeRole = "CHAIR" | "REQ-PARTICIPANT" | "OPT-PARTICIPANT" | "NON-PARTICIPANT";
export interface CalendarPerson {
  name: string;
  email: string;
}
export interface CalendarAttendee extends CalendarPerson {
  role: AttendeeRole;
  partstat: PartStat;
  rsvp: boolean;
}
export interface CalendarEvent {
  uid: string;
  sequence: number;
  status: "CONFIRMED" | "TENTATIVE" | "CANCELLED";
  start: Date;
  durationMinutes: number;
  title: string;
  description?: string;
  location?: string;
  url?: string;
  organizer: CalendarPerson;
  attendees?: CalendarAttendee[];
  stamp: Date;
  lastModified?: Date;
}
export interface CalendarOptions {
  productId?: string;
  name?: string;
}

const DEFAULT_PRODUCT_ID = "-//Concord//Meetings//EN";
const MAX_LINE_OCTETS = 75;

/** One event sent to attendees: METHOD:REQUEST, or METHOD:CANCEL (then the event must carry STATUS:CANCELLED). */
export function buildInvite(event: CalendarEvent, method: "REQUEST" | "CANCEL", options: CalendarOptions = {}): string {
  const status = method === "CANCEL" ? "CANCELLED" : event.status;
  return build([toAttributes({ ...event, status }, true)], method, options);
}

/** A subscription feed of many events: METHOD:PUBLISH, no ATTENDEE lines, cancelled events kept with STATUS:CANCELLED. */
export function buildFeed(events: CalendarEvent[], options: CalendarOptions = {}): string {
  return build(
    events.map((event) => toAttributes(event, false)),
    "PUBLISH",
    options,
  );
}

/** Re-folds calendar text: unfolds existing folds, then folds every content line at 75 octets (UTF-8 bytes) without splitting a multi-byte character, continuation lines starting with one space; CRLF line ends. */
export function foldLines(text: string): string {
  return unfold(text).map(foldLine).join("");
}

function build(events: IcsEvent[], method: string, options: CalendarOptions): string {
  const header: HeaderAttributes = {
    productId: escapeText(cleanText(options.productId ?? DEFAULT_PRODUCT_ID)),
    method,
    ...(options.name ? { calName: escapeText(cleanText(options.name)) } : {}),
  };
  const { error, value } = createEvents(events, header);
  if (error || !value) throw new Error(`Could not build the calendar file: ${describeError(error)}`);
  return unfold(value).map(unquoteAttendeeTokens).map(foldLine).join("");
}

/** `ics` writes DTSTAMP from `timestamp` (else the current time) but its type declarations omit the field. */
type IcsEvent = EventAttributes & { timestamp: number };

function toAttributes(event: CalendarEvent, withAttendees: boolean): IcsEvent {
  const start = instant(event.start, "start");
  if (!Number.isFinite(event.durationMinutes) || event.durationMinutes <= 0) {
    throw new Error(`Calendar event ${event.uid}: duration must be a positive number of minutes`);
  }
  if (!Number.isInteger(event.sequence) || event.sequence < 0) {
    throw new Error(`Calendar event ${event.uid}: sequence must be an integer >= 0`);
  }
  const attendees: Attendee[] | undefined =
    withAttendees && event.attendees?.length
      ? event.attendees.map((a) => ({ name: paramText(a.name, a.email), email: a.email, role: a.role, partstat: a.partstat, rsvp: a.rsvp }))
      : undefined;
  return {
    uid: escapeText(cleanText(event.uid)),
    sequence: event.sequence,
    status: event.status,
    // Epoch milliseconds with UTC in and out: no dependence on the server's TZ, and `ics` cannot write VTIMEZONE anyway.
    start,
    end: start + Math.round(event.durationMinutes * 60_000),
    startInputType: "utc",
    startOutputType: "utc",
    endInputType: "utc",
    endOutputType: "utc",
    title: cleanText(event.title),
    description: event.description === undefined ? undefined : cleanText(event.description),
    location: event.location === undefined ? undefined : cleanText(event.location),
    url: event.url,
    organizer: { name: paramText(event.organizer.name, event.organizer.email), email: event.organizer.email },
    attendees,
    timestamp: instant(event.stamp, "stamp"),
    lastModified: event.lastModified ? instant(event.lastModified, "lastModified") : undefined,
  };
}

function instant(date: Date, field: string): number {
  const ms = date.getTime();
  // `ics` only accepts non-negative integer timestamps.
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`Calendar event ${field} is not a valid date after 1970`);
  return ms;
}

/**
 * TEXT may hold any character except controls other than TAB; `ics` escapes `\`, `;`, `,` and LF
 * but would pass a bare CR through, which readers take as a line break.
 */
function cleanText(value: string): string {
  return value.replace(/\r\n?/g, "\n").replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, "");
}

/** For the values `ics` leaves unescaped; mirrors its own escaping of SUMMARY/DESCRIPTION/LOCATION. */
function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/;/g, "\\;").replace(/,/g, "\\,");
}

/**
 * A quoted parameter value cannot contain `"` or controls, and `ics` would write `\"`, which RFC 5545
 * has no escape for and which breaks parsers. `;`, `:` and `,` are safe inside the quotes.
 */
function paramText(name: string, fallback: string): string {
  const clean = name
    .replace(/"/g, "'")
    .replace(/[\u0000-\u001F\u007F\u0085\u2028\u2029]+/g, " ")
    .trim();
  return clean || fallback;
}

/** `ics` writes ROLE="CHAIR"; the RFC grammar for ROLE and PARTSTAT is a bare token, and strict clients reject quotes. */
function unquoteAttendeeTokens(line: string): string {
  if (!line.startsWith("ATTENDEE;")) return line;
  // CN is written last of the parameters and cannot hold a `"`, so only the part before it is touched.
  const cn = line.indexOf(";CN=");
  const params = cn === -1 ? line : line.slice(0, cn);
  return params.replace(/;(ROLE|PARTSTAT)="([A-Z-]+)"/g, ";$1=$2") + (cn === -1 ? "" : line.slice(cn));
}

/** Content lines with folds removed; `ics` folds with CRLF + TAB, others with CRLF + space. */
function unfold(text: string): string[] {
  return text
    .replace(/(?:\r\n|\r|\n)[ \t]/g, "")
    .split(/\r\n|\r|\n/)
    .filter((line) => line.length > 0);
}

function foldLine(line: string): string {
  let out = "";
  let current = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > MAX_LINE_OCTETS) {
      out += `${current}\r\n`;
      current = " ";
      octets = 1;
    }
    current += char;
    octets += size;
  }
  return `${out}${current}\r\n`;
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** `ics` returns its validation failures as plain objects (not Errors) that also carry the whole input. */
function describeError(error: unknown): string {
  if (error && typeof error === "object") {
    const { errors, message } = error as { errors?: unknown; message?: unknown };
    if (Array.isArray(errors) && errors.length > 0) return errors.map(String).join("; ");
    if (typeof message === "string" && message) return message;
  }
  return error ? String(error) : "no output";
}
