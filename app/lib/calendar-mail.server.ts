/**
 * Reading the iTIP messages (RFC 5546) that calendar clients send back by e-mail (RFC 6047):
 * postal-mime takes the MIME apart, ical.js reads the calendar. Outlook sends the calendar as
 * a `text/calendar; method=REPLY` alternative, Gmail as an alternative and an `invite.ics`
 * attachment, Thunderbird as a part of its own; all of them are found here the same way.
 * Nothing here decides what a reply means for Concord: that is the meetings model's job.
 */
import type ICALModule from "ical.js";
import { resolveLocalTime } from "./meeting-time.server";
import { isTimeZone } from "./time-zones";

export interface CalendarAnswer {
  email: string;
  partstat: string | null;
}

export interface CalendarMail {
  messageId: string | null;
  /** The header From address, lower-cased. */
  from: string | null;
  method: string | null;
  uid: string | null;
  sequence: number;
  attendees: CalendarAnswer[];
  /** For COUNTER: the proposed start and end, as instants. */
  start: Date | null;
  end: Date | null;
  comment: string | null;
}

/** Mail larger than this is not a calendar reply; the listener refuses it before it is read. */
export const MAX_CALENDAR_MAIL_BYTES = 2 * 1024 * 1024;

// postal-mime and ical.js are loaded with the first reply that arrives, not at start-up (ADR 033);
// the readers below run only after readCalendarMail has set ICAL.
let ICAL = null as unknown as typeof ICALModule;
type Component = InstanceType<typeof ICAL.Component>;
type Property = InstanceType<typeof ICAL.Property>;

/** The message's calendar, or null when it carries none (or none that parses). */
export async function readCalendarMail(raw: Uint8Array | string): Promise<CalendarMail | null> {
  const [{ default: PostalMime }, ical] = await Promise.all([import("postal-mime"), import("ical.js")]);
  ICAL = ical.default;
  const mail = await PostalMime.parse(raw);
  const from = mail.from?.address?.toLowerCase() ?? null;
  const messageId = mail.messageId?.trim() || null;
  const parts = mail.attachments.filter((a) => /^(text\/calendar|application\/ics)$/i.test(a.mimeType));
  // The part that says its method comes first: it is the one clients mean (RFC 6047 §2.4).
  parts.sort((a, b) => Number(Boolean(b.method)) - Number(Boolean(a.method)));
  for (const part of parts) {
    const text = typeof part.content === "string" ? part.content : new TextDecoder("utf-8").decode(part.content);
    const calendar = parseCalendar(text);
    if (calendar) return { messageId, from, ...calendar };
  }
  return null;
}

function parseCalendar(text: string): Omit<CalendarMail, "messageId" | "from"> | null {
  let root: Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch {
    return null;
  }
  if (root.name !== "vcalendar") return null;
  const vevent = root.getFirstSubcomponent("vevent");
  if (!vevent) return null;
  const zones = root.getAllSubcomponents("vtimezone").map((vtimezone) => new ICAL.Timezone(vtimezone));
  const sequence = Number(vevent.getFirstPropertyValue("sequence") ?? 0);
  return {
    method: String(root.getFirstPropertyValue("method") ?? "").toUpperCase() || null,
    uid: stringValue(vevent.getFirstProperty("uid")),
    sequence: Number.isInteger(sequence) && sequence >= 0 ? sequence : 0,
    attendees: vevent.getAllProperties("attendee").flatMap((prop) => {
      const email = address(prop);
      const partstat = prop.getParameter("partstat");
      return email ? [{ email, partstat: typeof partstat === "string" ? partstat.toUpperCase() : null }] : [];
    }),
    start: instantOf(vevent.getFirstProperty("dtstart"), zones),
    end: endOf(vevent, zones),
    comment: stringValue(vevent.getFirstProperty("comment")),
  };
}

function stringValue(prop: Property | null): string | null {
  const value = prop?.getFirstValue();
  return value === undefined || value === null || value === "" ? null : String(value);
}

function address(prop: Property): string | null {
  const value = stringValue(prop);
  if (!value) return null;
  const email = value.replace(/^mailto:/i, "").trim().toLowerCase();
  return email.includes("@") ? email : null;
}

function endOf(vevent: Component, zones: InstanceType<typeof ICAL.Timezone>[]): Date | null {
  const end = instantOf(vevent.getFirstProperty("dtend"), zones);
  if (end) return end;
  const start = instantOf(vevent.getFirstProperty("dtstart"), zones);
  const duration = vevent.getFirstPropertyValue("duration");
  if (start && duration instanceof ICAL.Duration) return new Date(start.getTime() + duration.toSeconds() * 1000);
  return null;
}

/**
 * A DATE-TIME as an instant: UTC as it is; TZID through the message's own VTIMEZONE (Outlook
 * sends "Eastern Standard Time" with its rules), or through the zone database when the TZID
 * is an IANA name sent without one (Gmail, Thunderbird). Floating times and all-day dates
 * say no instant, so they give null.
 */
function instantOf(prop: Property | null, zones: InstanceType<typeof ICAL.Timezone>[]): Date | null {
  const value = prop?.getFirstValue();
  if (!(value instanceof ICAL.Time) || value.isDate) return null;
  if (value.zone === ICAL.Timezone.utcTimezone) return value.toJSDate();
  const tzid = prop!.getParameter("tzid");
  if (typeof tzid !== "string") return null;
  const zone = zones.find((z) => z.tzid === tzid);
  if (zone) {
    const local = new ICAL.Time({ year: value.year, month: value.month, day: value.day, hour: value.hour, minute: value.minute, second: value.second, isDate: false }, zone);
    return new Date(local.toUnixTime() * 1000);
  }
  if (!isTimeZone(tzid)) return null;
  const pad = (n: number) => String(n).padStart(2, "0");
  const resolved = resolveLocalTime({ date: `${value.year}-${pad(value.month)}-${pad(value.day)}`, time: `${pad(value.hour)}:${pad(value.minute)}`, timeZone: tzid });
  return resolved.ok ? resolved.instant : null;
}
