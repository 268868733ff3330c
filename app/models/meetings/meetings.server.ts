import { and, asc, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { delegations, meetingFormats, meetings, type MeetingStatus } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ConflictError, ValidationError } from "~/lib/errors";
import { localParts, quarterOf, resolveLocalTime } from "~/lib/meeting-time.server";
import { isTimeZone } from "~/lib/time-zones";
import { isWebUrl } from "~/lib/url";
import { LIMITS, optionalText, parseInput, scopeId, formConstraints, optionalId } from "~/lib/validation";
import { assertCan, authorize } from "~/models/core/access.server";
import { whoChanged } from "~/models/core/names.server";
import { getMeetingForMember, meetingsOfBody, type Meeting } from "~/models/core/scope.server";
import { recordAudit } from "~/models/core/audit.server";
import { refreshDueDates } from "~/models/actions/due.server";
import { ensureAgenda } from "~/models/agenda/agenda.server";
import { withTransaction } from "~/lib/transaction.server";
import { nudgeOutbox } from "~/models/core/outbox.server";
import { isAnnounced } from "~/models/meetings/calendar.server";
import { queueMeetingMessages } from "~/models/meetings/invitations.server";
import { reissueIfChanged } from "~/models/meetings/reissue.server";

export type { Meeting };

const MAX_DURATION_MINUTES = 12 * 60;

/** What the audit trail keeps of a meeting: the fields people change. */
function auditable(m: Meeting) {
  return {
    ordinal: m.ordinal,
    quarter: m.quarter,
    title: m.title,
    hostDelegationId: m.hostDelegationId,
    startsAt: m.startsAt.toISOString(),
    timeZone: m.timeZone,
    durationMinutes: m.durationMinutes,
    format: m.format,
    venue: m.venue,
    link: m.link,
    status: m.status,
    sequence: m.sequence,
  };
}

// ---------- reading ----------

export async function listMeetings({ actor, bodyId }: { actor: Actor; bodyId: string }): Promise<Meeting[]> {
  await authorize(db(), actor, bodyId, "body.read");
  // Newest first, from the request's one read of the body's meetings (ADR 040).
  return [...(await meetingsOfBody(db(), bodyId, actor.id))].reverse();
}

/** Meetings of a body that happened or will happen (not cancelled), oldest first: the history planning learns from. */
export async function meetingHistory(tx: DbOrTx, bodyId: string): Promise<Meeting[]> {
  return tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), ne(meetings.status, "cancelled")))
    .orderBy(asc(meetings.startsAt));
}

// ---------- the form ----------

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "errors:validation.time" });

const fieldsSchema = z.object({
  ordinal: z.coerce.number().int().min(1).max(999),
  title: optionalText(LIMITS.title),
  hostDelegationId: optionalId(),
  date: z.iso.date({ message: "errors:validation.date" }),
  time: hhmm,
  endTime: hhmm,
  timeZone: z.string().max(64).refine(isTimeZone, { message: "errors:validation.timeZone" }),
  format: z.enum(meetingFormats),
  venue: optionalText(500),
  link: optionalText(2000).refine((v) => v === undefined || isWebUrl(v), { message: "errors:validation.url" }),
  quarter: z
    .string()
    .regex(/^\d{4}-Q[1-4]$/)
    .optional()
    .or(z.literal("").transform(() => undefined)),
});

/** The meeting form's limits, for the browser. */
export const meetingConstraints = formConstraints(fieldsSchema);

function localTimeError(field: string, reason: "invalid" | "zone" | "gap" | "ambiguous"): ValidationError {
  const key = {
    invalid: "errors:validation.time",
    zone: "errors:validation.timeZone",
    gap: "meetings:errors.gap",
    ambiguous: "meetings:errors.ambiguous",
  }[reason];
  return ValidationError.field(reason === "zone" ? "timeZone" : field, key);
}

/** The calendar day after a YYYY-MM-DD date (the form has already checked it is one). */
function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The form's wall-clock fields, checked against the zone database: a start and a duration.
 * An end time at or before the start time is on the next day in the meeting's zone
 * (23:00–02:30 runs past midnight); the length limit still applies.
 */
function resolveTimes(data: z.output<typeof fieldsSchema>) {
  const start = resolveLocalTime({ date: data.date, time: data.time, timeZone: data.timeZone });
  if (!start.ok) throw localTimeError("time", start.reason);
  const crossesMidnight = data.endTime <= data.time;
  const end = resolveLocalTime({ date: crossesMidnight ? nextDay(data.date) : data.date, time: data.endTime, timeZone: data.timeZone });
  if (!end.ok) throw localTimeError("endTime", end.reason);
  const durationMinutes = Math.round((end.instant.getTime() - start.instant.getTime()) / 60_000);
  if (durationMinutes <= 0) throw ValidationError.field("endTime", "meetings:errors.endBeforeStart");
  if (durationMinutes > MAX_DURATION_MINUTES) throw ValidationError.field("endTime", "meetings:errors.tooLong", { hours: MAX_DURATION_MINUTES / 60 });
  return { startsAt: start.instant, durationMinutes };
}

async function checkHost(tx: DbOrTx, bodyId: string, hostDelegationId: string | null) {
  if (!hostDelegationId) return;
  const [row] = await tx
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(eq(delegations.id, hostDelegationId), eq(delegations.bodyId, bodyId)));
  if (!row) throw ValidationError.field("hostDelegationId", "errors:validation.choice");
}

/** The form's values for an existing meeting, in the zone it was set in. */
export function formValuesOf(meeting: Meeting) {
  const start = localParts(meeting.startsAt, meeting.timeZone);
  const end = localParts(new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000), meeting.timeZone);
  return {
    ordinal: meeting.ordinal,
    title: meeting.title ?? "",
    hostDelegationId: meeting.hostDelegationId ?? "",
    date: start.date,
    time: start.time,
    endTime: end.time,
    timeZone: meeting.timeZone,
    format: meeting.format,
    venue: meeting.venue ?? "",
    link: meeting.link ?? "",
    quarter: meeting.quarter,
    version: meeting.version,
  };
}

// ---------- writing ----------

/** A new meeting in draft: planned, not yet announced to anyone's calendar. */
export async function createMeeting({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<Meeting> {
  const bodyId = scopeId(input, "bodyId");
  await authorize(db(), actor, bodyId, "meetings.manage");
  const data = parseInput(fieldsSchema, input);
  const { startsAt, durationMinutes } = resolveTimes(data);
  if (startsAt <= now) throw ValidationError.field("date", "meetings:errors.inPast");
  return withTransaction(async (tx) => {
    await authorize(tx, actor, bodyId, "meetings.manage");
    await checkHost(tx, bodyId, data.hostDelegationId);
    const [meeting] = await tx
      .insert(meetings)
      .values({
        bodyId,
        ...columnsOf(data, startsAt, durationMinutes),
        status: "draft",
        updatedBy: actor.id,
      })
      .returning();
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "meeting.create", entityType: "meeting", entityId: meeting.id, after: auditable(meeting) });
    await ensureAgenda(tx, meeting);
    await refreshDueDates(tx, bodyId);
    return meeting;
  });
}

/** The meeting's columns as the form sets them. */
function columnsOf(data: z.output<typeof fieldsSchema>, startsAt: Date, durationMinutes: number) {
  return {
    ordinal: data.ordinal,
    quarter: data.quarter ?? quarterOf(startsAt, data.timeZone),
    title: data.title ?? null,
    hostDelegationId: data.hostDelegationId,
    startsAt,
    timeZone: data.timeZone,
    durationMinutes,
    format: data.format,
    venue: data.venue ?? null,
    link: data.link ?? null,
  };
}

const versionSchema = z.object({ version: z.coerce.number().int().min(1) });

/** Loads the meeting for a change by the secretariat, refusing a save made against an older version. */
async function forChange(tx: DbOrTx, actor: Actor, meetingId: string, version: number) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  assertCan(member, "meetings.manage");
  if (meeting.version !== version) {
    throw new ConflictError(formValuesOf(meeting), await whoChanged(tx, meeting.updatedBy), meeting.updatedAt);
  }
  return meeting;
}

/**
 * Saves the meeting form. Once invitations are out, any change a calendar shows (title, time,
 * length, format, venue, link) raises SEQUENCE and sends every invitee an updated invitation;
 * a change of time or length also asks everyone to answer again.
 */
export async function updateMeeting({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<Meeting> {
  const meetingId = scopeId(input, "meetingId");
  const { meeting: current } = await getMeetingForMember(db(), actor, meetingId);
  await authorize(db(), actor, current.bodyId, "meetings.manage");
  const data = parseInput(fieldsSchema.and(versionSchema), input);
  const { startsAt, durationMinutes } = resolveTimes(data);
  return withTransaction(async (tx, afterCommit) => {
    const before = await forChange(tx, actor, meetingId, data.version);
    if (before.status === "cancelled") throw ValidationError.field("", "meetings:errors.cancelled");
    const timeChanged = startsAt.getTime() !== before.startsAt.getTime();
    if (timeChanged && startsAt <= now) throw ValidationError.field("date", "meetings:errors.inPast");
    await checkHost(tx, before.bodyId, data.hostDelegationId);
    const changes = columnsOf(data, startsAt, durationMinutes);
    const [saved] = await tx
      .update(meetings)
      .set({ ...changes, version: before.version + 1, updatedBy: actor.id })
      .where(eq(meetings.id, before.id))
      .returning();
    const after = await reissueIfChanged(tx, { before, after: saved, actorId: actor.id });
    await recordAudit(tx, { bodyId: before.bodyId, actorId: actor.id, action: "meeting.update", entityType: "meeting", entityId: before.id, before: auditable(before), after: auditable(after) });
    await refreshDueDates(tx, before.bodyId);
    afterCommit(nudgeOutbox);
    return after;
  });
}

/** A proposed new time the secretariat accepted: the same path as the form's reschedule. */
export async function rescheduleMeeting(tx: DbOrTx, { before, startsAt, durationMinutes, actorId }: { before: Meeting; startsAt: Date; durationMinutes: number; actorId: string }): Promise<Meeting> {
  const [saved] = await tx
    .update(meetings)
    .set({ startsAt, durationMinutes, quarter: quarterOf(startsAt, before.timeZone), version: before.version + 1, updatedBy: actorId })
    .where(eq(meetings.id, before.id))
    .returning();
  const after = await reissueIfChanged(tx, { before, after: saved, actorId });
  await recordAudit(tx, { bodyId: before.bodyId, actorId, action: "meeting.update", entityType: "meeting", entityId: before.id, before: auditable(before), after: auditable(after) });
  await refreshDueDates(tx, before.bodyId);
  return after;
}

const reasonSchema = z.object({ reason: optionalText(1000) });

async function setStatus(actor: Actor, input: unknown, status: MeetingStatus, allowedFrom: MeetingStatus[], now: Date) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting: current } = await getMeetingForMember(db(), actor, meetingId);
  await authorize(db(), actor, current.bodyId, "meetings.manage");
  const { version } = parseInput(versionSchema, input);
  const { reason } = status === "cancelled" ? parseInput(reasonSchema, input) : { reason: undefined };
  return withTransaction(async (tx, afterCommit) => {
    const before = await forChange(tx, actor, meetingId, version);
    if (!allowedFrom.includes(before.status)) throw ValidationError.field("", `meetings:errors.cannot.${status}`);
    if (status === "held" && before.startsAt > now) throw ValidationError.field("", "meetings:errors.notYetHeld");
    const publish = status === "cancelled" && isAnnounced(before);
    const [after] = await tx
      .update(meetings)
      .set({ status, sequence: publish ? before.sequence + 1 : before.sequence, version: before.version + 1, updatedBy: actor.id })
      .where(eq(meetings.id, before.id))
      .returning();
    await recordAudit(tx, {
      bodyId: before.bodyId,
      actorId: actor.id,
      action: `meeting.${status}`,
      entityType: "meeting",
      entityId: before.id,
      before: auditable(before),
      after: { ...auditable(after), ...(reason ? { reason } : {}) },
    });
    if (publish) {
      await queueMeetingMessages(tx, after, "cancellation", { reason });
      afterCommit(nudgeOutbox);
    }
    await refreshDueDates(tx, before.bodyId);
    return after;
  });
}

/**
 * Cancels the meeting; if invitations went out, every invitee gets METHOD:CANCEL with a higher
 * SEQUENCE. An optional `reason` goes into the CANCEL (COMMENT and DESCRIPTION) and the e-mail.
 */
export function cancelMeeting({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  return setStatus(actor, input, "cancelled", ["draft", "scheduled"], now);
}

/** Records that the meeting took place (only once its start has passed). */
export function markMeetingHeld({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  return setStatus(actor, input, "held", ["scheduled"], now);
}

/** The next meeting that is still to happen (draft or scheduled), if any. */
export async function nextMeeting(tx: DbOrTx, bodyId: string, now = new Date()): Promise<Meeting | null> {
  const rows = await tx
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), ne(meetings.status, "cancelled"), ne(meetings.status, "held")))
    .orderBy(asc(meetings.startsAt));
  return nextAmong(rows, now);
}

/** `nextMeeting` among a body's meetings already read (oldest first). */
export function nextAmong(list: readonly Meeting[], now = new Date()): Meeting | null {
  return list.find((m) => m.status !== "cancelled" && m.status !== "held" && m.startsAt.getTime() + m.durationMinutes * 60_000 > now.getTime()) ?? null;
}
