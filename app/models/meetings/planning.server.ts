import { and, eq, max, ne } from "drizzle-orm";
import { z } from "zod";
import { meetings } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { localParts, proposeNextStart, quarterOf } from "~/lib/meeting-time.server";
import { findSlots, stripGeometry, worstOff, type Capital } from "~/lib/slots.server";
import { isTimeZone } from "~/lib/time-zones";
import { parseInput } from "~/lib/validation";
import { authorize } from "~/models/core/access.server";
import { listDelegations } from "~/models/people/bodies.server";
import { meetingHistory } from "~/models/meetings/meetings.server";
import { bodies } from "#db/schema";

/**
 * What the secretariat needs to plan the next regular meeting: the next number, the host
 * by rotation (after the last meeting's host), and a time from the cadence.
 */
export async function planNextMeeting({ actor, bodyId, now = new Date() }: { actor: Actor; bodyId: string; now?: Date }) {
  await authorize(db(), actor, bodyId, "meetings.manage");
  const [body] = await db().select().from(bodies).where(eq(bodies.id, bodyId));
  const capitals = await listDelegations(db(), bodyId);
  const history = await meetingHistory(db(), bodyId);
  const last = history.at(-1) ?? null;
  const [top] = await db()
    .select({ n: max(meetings.ordinal) })
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), ne(meetings.status, "cancelled")));
  const rotation = body.rotation.length ? body.rotation : capitals.map((c) => c.id);
  const lastHostIndex = last?.hostDelegationId ? rotation.indexOf(last.hostDelegationId) : -1;
  const hostId = rotation[(lastHostIndex + 1) % rotation.length] ?? null;
  const host = capitals.find((c) => c.id === hostId) ?? null;
  const proposal = proposeNextStart({
    last: last ? { start: last.startsAt, timeZone: last.timeZone } : null,
    cadenceMonths: body.cadenceMonths,
    hostZone: host?.timeZone ?? "UTC",
    defaultStartTime: body.defaultStartTime,
    now,
  });
  const end = localParts(new Date(proposal.instant.getTime() + body.defaultDurationMinutes * 60_000), proposal.timeZone);
  return {
    ordinal: Number(top?.n ?? 0) + 1,
    quarter: quarterOf(proposal.instant, proposal.timeZone),
    hostDelegationId: host?.id ?? null,
    date: proposal.date,
    time: proposal.time,
    endTime: end.time,
    timeZone: proposal.timeZone,
    startsAt: proposal.instant,
    durationMinutes: body.defaultDurationMinutes,
  };
}

const slotSchema = z.object({
  week: z.iso.date({ message: "errors:validation.date" }),
  durationMinutes: z.coerce.number().int().min(15).max(12 * 60),
  referenceZone: z.string().refine(isTimeZone, { message: "errors:validation.timeZone" }),
});

/** Fair slots for a virtual or hybrid meeting in a chosen week, with the geometry to draw them. */
export async function findMeetingSlots({ actor, bodyId, input, now = new Date() }: { actor: Actor; bodyId: string; input: unknown; now?: Date }) {
  await authorize(db(), actor, bodyId, "meetings.manage");
  const { week, durationMinutes, referenceZone } = parseInput(slotSchema, input);
  const delegations = await listDelegations(db(), bodyId);
  const capitals: Capital[] = delegations.map((d) => ({ delegationId: d.id, code: d.code, timeZone: d.timeZone }));
  const history = (await meetingHistory(db(), bodyId)).filter((m) => m.startsAt < now);
  const candidates = findSlots({
    weekStart: week,
    referenceZone,
    durationMinutes,
    capitals,
    history: history.map((m) => ({ start: m.startsAt, durationMinutes: m.durationMinutes })),
    notBefore: now,
  });
  const last = history.at(-1);
  const geometry = candidates.length
    ? stripGeometry({ capitals, candidates, day: localParts(candidates[0].start, referenceZone).date, axisZone: referenceZone })
    : null;
  return {
    week,
    durationMinutes,
    candidates,
    geometry,
    lastWorstDelegationId: last ? worstOff(capitals, last.startsAt, last.durationMinutes) : null,
    hasHistory: !!last,
  };
}
