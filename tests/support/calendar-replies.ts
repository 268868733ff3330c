/**
 * iTIP replies as real calendar clients write them (RFC 5546 over RFC 6047 e-mail), for
 * sending to Concord's reply address through SMTP. Each shape follows what the client really
 * sends: Outlook a multipart/alternative whose calendar part is base64 with a Windows zone in
 * its own VTIMEZONE; Gmail a multipart/mixed with the alternative (text, HTML, calendar) and
 * an `invite.ics` attachment; Thunderbird a multipart/mixed with a text part, an inline
 * calendar part and an `invite.ics` attachment, upper-case MAILTO and folded lines.
 */
import nodemailer from "nodemailer";

export type Client = "outlook" | "gmail" | "thunderbird";
export interface ReplyInput {
  from: { name: string; email: string };
  organizer: string;
  uid: string;
  sequence: number;
  partstat: "ACCEPTED" | "TENTATIVE" | "DECLINED";
  /** The meeting's current start and end, which clients copy into their reply. */
  start: Date;
  end: Date;
  /** The attendee the calendar names, when it is not the sender (a forgery). */
  attendeeEmail?: string;
  messageId?: string;
}

const stamp = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64").replace(/.{76}/g, "$&\r\n");
let counter = 0;
const id = (domain: string) => `<${Date.now().toString(36)}.${(counter++).toString(36)}@${domain}>`;

/** New York wall time as Outlook writes it under TZID "Eastern Standard Time". */
function eastern(d: Date): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)!.value;
  return `${get("year")}${get("month")}${get("day")}T${get("hour")}${get("minute")}${get("second")}`;
}

const OUTLOOK_TIMEZONE = [
  "BEGIN:VTIMEZONE",
  "TZID:Eastern Standard Time",
  "BEGIN:STANDARD",
  "DTSTART:16010101T020000",
  "TZOFFSETFROM:-0400",
  "TZOFFSETTO:-0500",
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11",
  "END:STANDARD",
  "BEGIN:DAYLIGHT",
  "DTSTART:16010101T020000",
  "TZOFFSETFROM:-0500",
  "TZOFFSETTO:-0400",
  "RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3",
  "END:DAYLIGHT",
  "END:VTIMEZONE",
];

function outlookCalendar(input: ReplyInput, method: "REPLY" | "COUNTER", comment?: string): string {
  const who = input.attendeeEmail ?? input.from.email;
  return [
    "BEGIN:VCALENDAR",
    `METHOD:${method}`,
    "PRODID:Microsoft Exchange Server 2010",
    "VERSION:2.0",
    ...OUTLOOK_TIMEZONE,
    "BEGIN:VEVENT",
    `ATTENDEE;PARTSTAT=${method === "COUNTER" ? "TENTATIVE" : input.partstat};CN=${input.from.name}:mailto:${who}`,
    ...(comment ? [`COMMENT;LANGUAGE=en-US:${comment}`] : []),
    `SUMMARY;LANGUAGE=en-US:${method === "COUNTER" ? "New Time Proposed" : "Accepted"}: meeting`,
    `DTSTART;TZID=Eastern Standard Time:${eastern(input.start)}`,
    `DTEND;TZID=Eastern Standard Time:${eastern(input.end)}`,
    `UID:${input.uid}`,
    "CLASS:PUBLIC",
    "PRIORITY:5",
    `DTSTAMP:${stamp(new Date())}`,
    "TRANSP:OPAQUE",
    `SEQUENCE:${input.sequence}`,
    "X-MICROSOFT-CDO-APPT-SEQUENCE:" + input.sequence,
    ...(method === "COUNTER" ? [] : ["X-MICROSOFT-CDO-OWNERAPPTID:0"]),
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function outlookMail(input: ReplyInput, method: "REPLY" | "COUNTER", subject: string, calendar: string): string {
  const boundary = "_000_DM6PR11MB4657E4F0A1_";
  return [
    `From: ${input.from.name} <${input.from.email}>`,
    `To: Concord <${input.organizer}>`,
    `Subject: ${subject}`,
    `Thread-Topic: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${input.messageId ?? id("DM6PR11MB4657.namprd11.prod.outlook.com")}`,
    "Content-Language: en-US",
    "X-MS-Has-Attach:",
    "X-MS-TNEF-Correlator:",
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    'Content-Type: text/plain; charset="us-ascii"',
    "Content-Transfer-Encoding: quoted-printable",
    "",
    "",
    `--${boundary}`,
    `Content-Type: text/calendar; charset="utf-8"; method=${method}`,
    "Content-Transfer-Encoding: base64",
    "",
    b64(calendar),
    "",
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

function gmailCalendar(input: ReplyInput): string {
  const who = input.attendeeEmail ?? input.from.email;
  return [
    "BEGIN:VCALENDAR",
    "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:REPLY",
    "BEGIN:VEVENT",
    `DTSTART:${stamp(input.start)}`,
    `DTEND:${stamp(input.end)}`,
    `DTSTAMP:${stamp(new Date())}`,
    `ORGANIZER;CN=Secretariat:mailto:${input.organizer}`,
    `UID:${input.uid}`,
    `ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=${input.partstat};CN=${input.from.name};X-NUM-GUESTS=0:mailto:${who}`,
    "CREATED:20261201T100000Z",
    "LAST-MODIFIED:20261201T100000Z",
    `SEQUENCE:${input.sequence}`,
    "STATUS:CONFIRMED",
    "SUMMARY:Meeting",
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function gmailMail(input: ReplyInput): string {
  const calendar = gmailCalendar(input);
  const mixed = "000000000000a1b2c3d4e5f60718";
  const alt = "000000000000a1b2c3d4e5f60717";
  const word = { ACCEPTED: "Accepted", TENTATIVE: "Tentatively Accepted", DECLINED: "Declined" }[input.partstat];
  return [
    "MIME-Version: 1.0",
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: ${input.messageId ?? id("google.com")}`,
    `Subject: ${word}: Meeting`,
    `From: ${input.from.name} <${input.from.email}>`,
    `To: ${input.organizer}`,
    `Content-Type: multipart/mixed; boundary="${mixed}"`,
    "",
    `--${mixed}`,
    `Content-Type: multipart/alternative; boundary="${alt}"`,
    "",
    `--${alt}`,
    'Content-Type: text/plain; charset="UTF-8"; format=flowed; delsp=yes',
    "Content-Transfer-Encoding: base64",
    "",
    b64(`${input.from.name} has ${word.toLowerCase()} this invitation.`),
    `--${alt}`,
    'Content-Type: text/html; charset="UTF-8"',
    "Content-Transfer-Encoding: quoted-printable",
    "",
    `<p>${input.from.name} has ${word.toLowerCase()} this invitation.</p>`,
    `--${alt}`,
    'Content-Type: text/calendar; charset="UTF-8"; method=REPLY',
    "Content-Transfer-Encoding: 7bit",
    "",
    calendar,
    `--${alt}--`,
    `--${mixed}`,
    'Content-Type: application/ics; name="invite.ics"',
    'Content-Disposition: attachment; filename="invite.ics"',
    "Content-Transfer-Encoding: base64",
    "",
    b64(calendar),
    `--${mixed}--`,
    "",
  ].join("\r\n");
}

/** Thunderbird folds at 75 octets and writes the zone as an IANA TZID with its VTIMEZONE omitted here. */
function thunderbirdCalendar(input: ReplyInput): string {
  const who = input.attendeeEmail ?? input.from.email;
  const fold = (line: string) => line.replace(/(.{74})(?=.)/g, "$1\r\n ");
  return [
    "BEGIN:VCALENDAR",
    "PRODID:-//Mozilla.org/NONSGML Mozilla Calendar V1.1//EN",
    "VERSION:2.0",
    "METHOD:REPLY",
    "BEGIN:VEVENT",
    "CREATED:20261201T100000Z",
    `LAST-MODIFIED:${stamp(new Date())}`,
    `DTSTAMP:${stamp(new Date())}`,
    `UID:${input.uid}`,
    "SUMMARY:Meeting",
    fold(`ORGANIZER;RSVP=TRUE;CN=Secretariat;PARTSTAT=ACCEPTED;ROLE=CHAIR:MAILTO:${input.organizer}`),
    fold(`ATTENDEE;RSVP=TRUE;CN=${input.from.name};PARTSTAT=${input.partstat};ROLE=REQ-PARTICIPANT:MAILTO:${who.toUpperCase()}`),
    `DTSTART:${stamp(input.start)}`,
    `DTEND:${stamp(input.end)}`,
    `SEQUENCE:${input.sequence}`,
    "TRANSP:OPAQUE",
    "END:VEVENT",
    "END:VCALENDAR",
    "",
  ].join("\r\n");
}

function thunderbirdMail(input: ReplyInput): string {
  const calendar = thunderbirdCalendar(input);
  const boundary = "------------mQ9sFhQw2Xy1Gn0bYlP3aR4t";
  const word = { ACCEPTED: "Accepted", TENTATIVE: "Tentative", DECLINED: "Declined" }[input.partstat];
  return [
    `Message-ID: ${input.messageId ?? id("example.net")}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    "User-Agent: Mozilla Thunderbird",
    `From: ${input.from.name} <${input.from.email}>`,
    `To: ${input.organizer}`,
    `Subject: ${word}: Meeting`,
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    "This is a multi-part message in MIME format.",
    `--${boundary}`,
    "Content-Type: text/plain; charset=UTF-8; format=flowed",
    "Content-Transfer-Encoding: 7bit",
    "",
    `${input.from.name} has ${word.toLowerCase()} your event invitation.`,
    "",
    `--${boundary}`,
    "Content-Type: text/calendar; charset=UTF-8; method=REPLY",
    "Content-Transfer-Encoding: 8bit",
    "",
    calendar,
    `--${boundary}`,
    'Content-Type: application/ics; name="invite.ics"',
    'Content-Disposition: attachment; filename="invite.ics"',
    "Content-Transfer-Encoding: base64",
    "",
    b64(calendar),
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

/** A REPLY e-mail as the given client writes it. */
export function replyMail(client: Client, input: ReplyInput): string {
  if (client === "outlook") return outlookMail(input, "REPLY", `Accepted: Meeting`, outlookCalendar(input, "REPLY"));
  if (client === "gmail") return gmailMail(input);
  return thunderbirdMail(input);
}

/** Outlook's "Propose new time": METHOD:COUNTER with the proposed start and end in its Windows zone. */
export function outlookCounter(input: Omit<ReplyInput, "partstat">, comment = "Could we start an hour later?"): string {
  const full = { ...input, partstat: "TENTATIVE" as const };
  return outlookMail(full, "COUNTER", "New Time Proposed: Meeting", outlookCalendar(full, "COUNTER", comment));
}

/** Sends a raw message through SMTP to the reply address, as the invitee's mail server would. */
export async function deliverTo(smtpUrl: string, to: string, from: string, raw: string): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  try {
    await transport.sendMail({ envelope: { from, to: [to] }, raw });
  } finally {
    transport.close();
  }
}
