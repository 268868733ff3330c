/**
 * Calendar files (RFC 5545) for invitations (RFC 5546 REQUEST / CANCEL) and subscription feeds (PUBLISH).
 *
 * The `ics` package writes the text; this module feeds it only values it handles correctly and then
 * fixes what it gets wrong: it folds at 75 characters instead of 75 octets (CJK lines come out too
 * long), it quotes ROLE/PARTSTAT values (the RFC grammar for those is a bare token), and it does not
 * escape the calendar-level TEXT values (PRODID, X-WR-CALNAME) or the UID.
 */
import type { Attendee, EventAttributes, HeaderAttributes } from "ics";
import { lazyRequire } from "./lazy-require.server";

// ics with yup (94 KB): calendar files are built by some requests and the mail job only.
const ics = lazyRequire<typeof import("ics")>("ics");

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
  /** RFC 7986 CONFERENCE: the link of a virtual or hybrid meeting, with a label for clients that show one. */
  conference?: { uri: string; label: string };
  /** RFC 5545 COMMENT: e.g. why a meeting was cancelled. */
  comment?: string;
  /** A display reminder this many minutes before the start (VALARM), when the reader asked for one. */
  alarmMinutes?: number;
}
export interface CalendarOptions {
  productId?: string;
  name?: string;
}
export interface FeedOptions extends CalendarOptions {
  /** How often subscribers should read the feed again: RFC 7986 REFRESH-INTERVAL and the older X-PUBLISHED-TTL. */
  refreshMinutes?: number;
}
export type InviteMethod = "REQUEST" | "CANCEL" | "DECLINECOUNTER";

const DEFAULT_PRODUCT_ID = "-//Concord//Meetings//EN";
const MAX_LINE_OCTETS = 75;

/**
 * One event sent to attendees (RFC 5546): METHOD:REQUEST, METHOD:CANCEL (then the event carries
 * STATUS:CANCELLED) or METHOD:DECLINECOUNTER. An iTIP message is no subscription, so it carries
 * no calendar name and no refresh interval.
 */
export function buildInvite(event: CalendarEvent, method: InviteMethod, options: Omit<CalendarOptions, "name"> = {}): string {
  const status = method === "CANCEL" ? "CANCELLED" : event.status;
  return build([{ ...event, status }], true, method, options, []);
}

/** A subscription feed of many events: METHOD:PUBLISH, no ATTENDEE lines, cancelled events kept with STATUS:CANCELLED. */
export function buildFeed(events: CalendarEvent[], options: FeedOptions = {}): string {
  const header: string[] = [];
  if (options.name) header.push(`NAME:${escapeText(cleanText(options.name))}`);
  if (options.refreshMinutes) {
    const m = options.refreshMinutes;
    if (!Number.isInteger(m) || m <= 0) throw new Error("refresh interval must be whole minutes > 0");
    const duration = m % 60 === 0 ? `PT${m / 60}H` : `PT${m}M`;
    header.push(`REFRESH-INTERVAL;VALUE=DURATION:${duration}`, `X-PUBLISHED-TTL:${duration}`);
  }
  return build(events, false, "PUBLISH", options, header);
}

/** Re-folds calendar text: unfolds existing folds, then folds every content line at 75 octets (UTF-8 bytes) without splitting a multi-byte character, continuation lines starting with one space; CRLF line ends. */
export function foldLines(text: string): string {
  return unfold(text).map(foldLine).join("");
}

function build(events: CalendarEvent[], withAttendees: boolean, method: string, options: CalendarOptions, headerLines: string[]): string {
  const header: HeaderAttributes = {
    productId: escapeText(cleanText(options.productId ?? DEFAULT_PRODUCT_ID)),
    method,
    ...(options.name ? { calName: escapeText(cleanText(options.name)) } : {}),
  };
  const { error, value } = ics().createEvents(
    events.map((event) => toAttributes(event, withAttendees)),
    header,
  );
  if (error || !value) throw new Error(`Could not build the calendar file: ${describeError(error)}`);
  return withExtraLines(unfold(value).map(unquoteAttendeeTokens), events, headerLines).map(foldLine).join("");
}

/**
 * `ics` writes neither RFC 7986 properties (CONFERENCE, REFRESH-INTERVAL, NAME), COMMENT, nor a
 * VALARM whose text it escapes, and it writes X-PUBLISHED-TTL everywhere: they are set here, calendar-level ones after METHOD and each
 * event's before its END:VEVENT (events come out in the order they went in).
 */
function withExtraLines(lines: string[], events: CalendarEvent[], headerLines: string[]): string[] {
  const out: string[] = [];
  let index = 0;
  for (const line of lines) {
    // `ics` writes X-PUBLISHED-TTL into every file, iTIP messages included; feeds get their own below.
    if (line.startsWith("X-PUBLISHED-TTL:")) continue;
    if (line === "END:VEVENT") out.push(...eventLines(events[index++]));
    out.push(line);
    if (line.startsWith("METHOD:")) out.push(...headerLines);
  }
  return out;
}

function eventLines(event: CalendarEvent | undefined): string[] {
  if (!event) return [];
  const lines: string[] = [];
  if (event.conference && isSafeUri(event.conference.uri)) {
    lines.push(`CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL="${paramText(event.conference.label, "Link")}":${event.conference.uri}`);
  }
  if (event.comment) lines.push(`COMMENT:${escapeText(cleanText(event.comment))}`);
  if (event.alarmMinutes !== undefined && event.status !== "CANCELLED") {
    if (!Number.isInteger(event.alarmMinutes) || event.alarmMinutes < 0) throw new Error(`Calendar event ${event.uid}: alarm must be whole minutes >= 0`);
    lines.push("BEGIN:VALARM", "ACTION:DISPLAY", `DESCRIPTION:${escapeText(cleanText(event.title))}`, `TRIGGER:-PT${event.alarmMinutes}M`, "END:VALARM");
  }
  return lines;
}

/** A URI value cannot hold controls or spaces; anything else would corrupt the line. */
function isSafeUri(uri: string): boolean {
  return /^[a-z][a-z0-9+.-]*:[^\s\u0000-\u001F\u007F]+$/i.test(uri);
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
