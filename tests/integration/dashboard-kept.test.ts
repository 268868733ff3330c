import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { actionItemAssignees, actionItems, bodies, meetings, participantLists, users } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { db } from "~/lib/db.server";
import { actionCounts, listActions } from "~/models/actions/dashboard.server";
import { createMeeting } from "~/models/meetings/meetings.server";

/**
 * The dashboard keeps a page and its counts until the body's data version moves (ADR 055). Each
 * test reads once (so the answer is kept), writes, and reads again: the second read must show
 * the write, whatever wrote it — the models or plain SQL, as another instance or an import
 * would — and must never give one reader what was kept for another.
 */

const NOW = new Date("2027-06-10T12:00:00Z");

async function world() {
  const cast = await createCast();
  const bodyId = cast.body.body.id;
  const m = await createMeeting({
    actor: cast.secretariat.actor,
    now: new Date("2026-12-01T00:00:00Z"),
    input: { bodyId, ordinal: "1", date: "2027-03-15", time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
  await db().update(meetings).set({ status: "held" }).where(eq(meetings.id, m.id));
  const item = (ref: number, over: Partial<typeof actionItems.$inferInsert> = {}) => ({
    bodyId,
    ref,
    title: `Item ${ref}`,
    ownerDelegationId: cast.body.delegations.US.id,
    dueKind: "date" as const,
    dueDate: "2027-06-01",
    dueOn: "2027-06-01",
    marking: "TLP:AMBER" as const,
    originMeetingId: m.id,
    createdBy: cast.secretariat.user.id,
    createdAt: new Date("2027-02-01T00:00:00Z"),
    ...over,
  });
  await db().insert(actionItems).values([item(1), item(2), item(3, { marking: "TLP:RED" })]);
  const read = async (actor = cast.secretariat.actor, now = NOW) => {
    const list = await listActions({ actor, bodyId, input: {}, now });
    const { counts, trend } = await actionCounts({ actor, bodyId, now });
    return { list, counts, trend };
  };
  const idOf = async (ref: number) => (await db().select({ id: actionItems.id }).from(actionItems).where(and(eq(actionItems.bodyId, bodyId), eq(actionItems.ref, ref))))[0].id;
  const version = async () => (await db().select({ v: bodies.actionsVersion }).from(bodies).where(eq(bodies.id, bodyId)))[0].v;
  return { cast, bodyId, meeting: m, item, read, idOf, version };
}

describe("the dashboard's kept pages and counts", () => {
  it("show every write to the body's items at once, through the models or plain SQL", async () => {
    const w = await world();
    const us = w.cast.body.delegations.US.id;
    const first = await w.read();
    expect(first.list.rows.map((r) => r.title)).toEqual(["Item 1", "Item 2", "Item 3"]);
    expect(first.counts[us].open).toBe(3);
    // Read again with nothing written: the kept answer, the same.
    expect((await w.read()).list.rows.map((r) => r.ref)).toEqual([1, 2, 3]);

    // A new item.
    await db().insert(actionItems).values(w.item(4, { dueOn: "2027-05-01", dueDate: "2027-05-01" }));
    let now = await w.read();
    expect(now.list.rows.map((r) => r.ref)).toEqual([4, 1, 2, 3]);
    expect(now.list.total).toBe(4);
    expect(now.counts[us].open).toBe(4);
    expect(now.counts[us].overdue).toBe(4);

    // A title, in plain SQL (another instance, an import).
    await db().run(sql`update action_items set title = 'Renamed in SQL' where id = ${await w.idOf(2)}`);
    expect((await w.read()).list.rows.find((r) => r.ref === 2)!.title).toBe("Renamed in SQL");

    // A status: done leaves the active list and moves the counts and the trend.
    await db().update(actionItems).set({ status: "done", closedAt: new Date("2027-03-01T00:00:00Z") }).where(eq(actionItems.id, await w.idOf(1)));
    now = await w.read();
    expect(now.list.rows.map((r) => r.ref)).toEqual([4, 2, 3]);
    expect(now.counts[us]).toMatchObject({ open: 3, done: 1 });
    expect(now.trend[0].perDelegation[us]).toEqual({ open: 3, closed: 1 });

    // Due date, priority, marking, owner.
    await db().update(actionItems).set({ dueOn: "2027-07-01", dueDate: "2027-07-01" }).where(eq(actionItems.id, await w.idOf(4)));
    expect((await w.read()).list.rows.map((r) => r.ref)).toEqual([2, 3, 4]);
    await db().update(actionItems).set({ ownerDelegationId: w.cast.body.delegations.JP.id }).where(eq(actionItems.id, await w.idOf(4)));
    now = await w.read();
    expect(now.list.rows.find((r) => r.ref === 4)!.ownerDelegationId).toBe(w.cast.body.delegations.JP.id);
    expect(now.counts[w.cast.body.delegations.JP.id].open).toBe(1);

    // An assignee added, renamed, removed.
    const person = await createMember(w.cast.body, "delegate", "US");
    await db().insert(actionItemAssignees).values({ itemId: await w.idOf(2), userId: person.user.id });
    expect((await w.read()).list.rows.find((r) => r.ref === 2)!.assignees.map((a) => a.name)).toEqual([person.user.name]);
    await db().update(users).set({ name: "Renamed Person" }).where(eq(users.id, person.user.id));
    expect((await w.read()).list.rows.find((r) => r.ref === 2)!.assignees.map((a) => a.name)).toEqual(["Renamed Person"]);
    await db().delete(actionItemAssignees).where(eq(actionItemAssignees.userId, person.user.id));
    expect((await w.read()).list.rows.find((r) => r.ref === 2)!.assignees).toEqual([]);

    // An item deleted.
    await db().delete(actionItems).where(eq(actionItems.id, await w.idOf(3)));
    now = await w.read();
    expect(now.list.rows.map((r) => r.ref)).toEqual([2, 4]);
    expect(now.list.total).toBe(2);
  });

  it("moves the body's data version only for what the dashboard reads, and only that body's", async () => {
    const w = await world();
    const other = w.cast.other.body.id;
    const otherVersion = async () => (await db().select({ v: bodies.actionsVersion }).from(bodies).where(eq(bodies.id, other)))[0].v;
    const before = await w.version();
    const otherBefore = await otherVersion();
    // The item's detail is not on the dashboard: its edit keeps what is kept.
    await db().update(actionItems).set({ detail: "<p>more</p>" }).where(eq(actionItems.id, await w.idOf(1)));
    expect(await w.version()).toBe(before);
    await db().update(actionItems).set({ title: "Changed" }).where(eq(actionItems.id, await w.idOf(1)));
    expect(await w.version()).toBe(before + 1);
    // A member's name that no item of the body assigns does not move it either.
    await db().update(users).set({ name: "Someone Else" }).where(eq(users.id, w.cast.official.user.id));
    expect(await w.version()).toBe(before + 1);
    expect(await otherVersion()).toBe(otherBefore);
  });

  it("never gives one reader what was kept for another, and follows what the reader may see", async () => {
    const w = await world();
    const krHead = await createMember(w.cast.body, "head", "KR");
    const krDelegate = await createMember(w.cast.body, "delegate", "KR");
    // The secretariat reads first: all three items, the RED one included, are kept for it.
    expect((await w.read()).list.total).toBe(3);
    // Others read the same body, filters and day: each its own answer. With no participant list
    // published, TLP:RED is for heads of delegation.
    expect((await w.read(krDelegate.actor)).list.rows.map((r) => r.ref)).toEqual([1, 2]);
    expect((await w.read(krHead.actor)).list.rows.map((r) => r.ref)).toEqual([1, 2, 3]);
    // A participant list without the KR head is published: TLP:RED of that meeting is no longer
    // theirs. No item was written; what the reader may see changed, and the page with it.
    await db().insert(participantLists).values({ meetingId: w.meeting.id, bodyId: w.bodyId, number: 1, entries: [], userIds: [w.cast.secretariat.user.id], publishedAt: NOW });
    const after = await w.read(krHead.actor);
    expect(after.list.rows.map((r) => r.ref)).toEqual([1, 2]);
    expect(after.counts[w.cast.body.delegations.US.id].open).toBe(2);
    expect((await w.read()).list.total).toBe(3);
  });

  it("follows the reader's day: what is overdue tomorrow is overdue tomorrow", async () => {
    const w = await world();
    const us = w.cast.body.delegations.US.id;
    const before = new Date("2027-05-31T12:00:00Z");
    expect((await w.read(w.cast.secretariat.actor, before)).counts[us].overdue).toBe(0);
    expect((await w.read(w.cast.secretariat.actor, new Date("2027-06-02T12:00:00Z"))).counts[us].overdue).toBe(3);
    const page = await w.read(w.cast.secretariat.actor, new Date("2027-06-02T12:00:00Z"));
    expect(page.list.rows.every((r) => r.overdue)).toBe(true);
  });
});
