import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actionItems, invitations, meetings, participantLists } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { db } from "~/lib/db.server";
import { isClosed } from "~/models/actions/actions.server";
import { actionRecord } from "~/models/actions/audience.server";
import { PAGE_SIZE, actionCounts, listActions } from "~/models/actions/dashboard.server";
import { findMembership } from "~/models/core/access.server";
import { audiencesFor } from "~/models/core/audience.server";
import { createMeeting } from "~/models/meetings/meetings.server";

/**
 * The dashboard pages, orders, counts and draws its trend in SQL (ADR 034). These tests hold it
 * to what reading every item and applying the rules in JavaScript gives — the code it replaced —
 * for readers on each side of the TLP rule, over several pages.
 */

const NOW = new Date("2027-06-10T12:00:00Z");
const MARKINGS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"] as const;
const STATUSES = ["open", "in_progress", "done", "dropped"] as const;

async function world() {
  const cast = await createCast();
  const krDelegate = await createMember(cast.body, "delegate", "KR");
  const jpHead = await createMember(cast.body, "head", "JP");
  const bodyId = cast.body.body.id;
  const held: Array<typeof meetings.$inferSelect> = [];
  for (const [i, date] of ["2027-01-12", "2027-03-15", "2027-05-20"].entries()) {
    const m = await createMeeting({
      actor: cast.secretariat.actor,
      now: new Date("2026-12-01T00:00:00Z"),
      input: { bodyId, ordinal: String(i + 1), date, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
    });
    await db().update(meetings).set({ status: "held" }).where(eq(meetings.id, m.id));
    held.push((await db().select().from(meetings).where(eq(meetings.id, m.id)))[0]);
  }
  // Meeting 2 invited only the US head (AMBER narrows); meeting 3 published a list with the KR delegate (RED narrows).
  await db().insert(invitations).values({ meetingId: held[1].id, userId: cast.head.user.id, invitedAt: NOW });
  await db().insert(participantLists).values({ meetingId: held[2].id, bodyId, number: 1, entries: [], userIds: [krDelegate.user.id], publishedAt: NOW });
  const owners = [cast.body.delegations.US.id, cast.body.delegations.JP.id, cast.body.delegations.KR.id];
  const values = Array.from({ length: 230 }, (_, i) => {
    const origin = i % 4 === 3 ? null : held[i % 3];
    const status = STATUSES[i % 4];
    const createdAt = new Date(Date.UTC(2027, (i * 7) % 6, 1 + (i % 27), 3));
    const due = i % 5 === 4 ? null : new Date(Date.UTC(2027, (i * 5) % 9, 1 + ((i * 3) % 27))).toISOString().slice(0, 10);
    return {
      bodyId,
      ref: i + 1,
      title: `Item ${i + 1}`,
      detail: "<p>x</p>",
      ownerDelegationId: owners[i % 3],
      dueKind: "date" as const,
      dueDate: due,
      dueOn: due,
      status,
      priority: (["low", "normal", "high"] as const)[(i * 7) % 3],
      marking: MARKINGS[(i * 3) % 5],
      originMeetingId: origin?.id ?? null,
      createdBy: i % 23 === 0 ? krDelegate.user.id : cast.secretariat.user.id,
      createdAt,
      // Some close before the next meeting, some much later, one "before it was created" (bad data).
      closedAt: isClosed(status) ? new Date(createdAt.getTime() + (i === 2 ? -86_400_000 : ((i % 9) + 1) * 20 * 86_400_000)) : null,
    };
  });
  await db().insert(actionItems).values(values);
  return { cast, bodyId, held, readers: { secretariat: cast.secretariat, usHead: cast.head, usDelegate: cast.delegate, usOfficial: cast.official, krDelegate, jpHead } };
}

/** The dashboard as it was computed before: every item read, the rule, filters and order in JavaScript. */
async function expectedRows(bodyId: string, userId: string, today: string) {
  const member = (await findMembership(db(), userId, bodyId))!;
  const all = await db().select().from(actionItems).where(eq(actionItems.bodyId, bodyId));
  const audience = await audiencesFor(db(), member, all.map((i) => i.originMeetingId));
  const visible = all.filter((i) => audience(i.originMeetingId).may(actionRecord(i)));
  const rank = { high: 0, normal: 1, low: 2 } as const;
  const group = (r: (typeof all)[number]) => (isClosed(r.status) ? 3 : r.dueOn !== null && r.dueOn < today ? 0 : r.dueOn ? 1 : 2);
  return visible.sort((a, b) => group(a) - group(b) || (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999") || rank[a.priority] - rank[b.priority] || a.ref - b.ref).map((i) => i.ref);
}

describe("the dashboard in SQL", () => {
  it("pages through exactly the items each reader may read, in backlog order, with the right total", async () => {
    const { bodyId, readers } = await world();
    for (const [name, reader] of Object.entries(readers)) {
      const first = await listActions({ actor: reader.actor, bodyId, input: { status: "all" }, now: NOW });
      const pages = [first];
      while (pages.at(-1)!.hasMore) pages.push(await listActions({ actor: reader.actor, bodyId, input: { status: "all", page: String(pages.length + 1) }, now: NOW }));
      const expected = await expectedRows(bodyId, reader.user.id, first.today);
      const got = pages.flatMap((p) => p.rows).map((r) => r.ref);
      expect({ name, got }).toEqual({ name, got: expected });
      expect({ name, total: first.total }).toEqual({ name, total: expected.length });
      expect(first.hasMore).toBe(expected.length > PAGE_SIZE);
      expect(pages.length).toBe(Math.max(1, Math.ceil(expected.length / PAGE_SIZE)));
      expect(pages.slice(0, -1).every((p) => p.rows.length === PAGE_SIZE)).toBe(true);
      expect((await first.all()).map((r) => r.ref)).toEqual(expected);
    }
    // The rule really narrows: the KR delegate and the US official see different sets.
    const kr = await listActions({ actor: readers.krDelegate.actor, bodyId, input: { status: "all" }, now: NOW });
    const sec = await listActions({ actor: readers.secretariat.actor, bodyId, input: { status: "all" }, now: NOW });
    expect(kr.total).toBeLessThan(sec.total);
    expect(sec.total).toBe(230);
  });

  it("filters by due window and overdue in SQL as before", async () => {
    const { bodyId, readers } = await world();
    const list = await listActions({ actor: readers.usHead.actor, bodyId, input: { status: "all" }, now: NOW });
    const every = await list.all();
    const overdue = await listActions({ actor: readers.usHead.actor, bodyId, input: { status: "all", due: "overdue" }, now: NOW });
    expect((await overdue.all()).map((r) => r.ref)).toEqual(every.filter((r) => r.overdue).map((r) => r.ref));
    const none = await listActions({ actor: readers.usHead.actor, bodyId, input: { status: "all", due: "none" }, now: NOW });
    expect((await none.all()).map((r) => r.ref)).toEqual(every.filter((r) => r.dueOn === null).map((r) => r.ref));
  });

  it("draws the trend per held meeting as the item lifetimes give it", async () => {
    const { bodyId, held, readers } = await world();
    const { trend } = await actionCounts({ actor: readers.secretariat.actor, bodyId, now: NOW });
    const lifetimes = await db().select().from(actionItems).where(eq(actionItems.bodyId, bodyId));
    const expected = held.map((m) => {
      const end = m.startsAt.getTime() + m.durationMinutes * 60_000;
      const perDelegation: Record<string, { open: number; closed: number }> = {};
      for (const item of lifetimes) {
        if (item.createdAt.getTime() > end) continue;
        const cell = (perDelegation[item.ownerDelegationId] ??= { open: 0, closed: 0 });
        if (item.closedAt && item.closedAt.getTime() <= end) cell.closed++;
        else cell.open++;
      }
      return { meetingId: m.id, perDelegation };
    });
    expect(trend.map((t) => ({ meetingId: t.meetingId, perDelegation: t.perDelegation }))).toEqual(expected);
    expect(Object.keys(trend[2].perDelegation)).toHaveLength(3);
  });
});

