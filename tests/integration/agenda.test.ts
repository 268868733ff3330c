import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agendaItems, meetings, outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { parseCalendar } from "#tests/support/ical";
import { db, inTransaction } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { subscribe, agendaChannel, type LiveEvent } from "~/lib/events.server";
import { concur, getAgenda, lockAgenda, moveItem, proposeItem, reopenAgenda, updateItem } from "~/models/agenda/agenda.server";
import { getInviteFile } from "~/models/meetings/calendar.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations } from "~/models/meetings/invitations.server";

const NOW = new Date("2027-01-10T12:00:00Z");
type Cast = Awaited<ReturnType<typeof createCast>>;

async function setUp() {
  const cast = await createCast();
  const heads = {
    US: cast.head,
    JP: await createMember(cast.body, "head", "JP"),
    KR: await createMember(cast.body, "head", "KR"),
  };
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
  });
  return { cast, heads, meeting };
}

const proposal = (cast: Cast, overrides: Record<string, string> = {}) => ({
  title: "Threat briefing",
  description: "<p>Latest campaigns</p>",
  kind: "information",
  leadDelegationId: cast.body.delegations.US.id,
  presenterId: cast.delegate.user.id,
  minutes: "20",
  marking: "TLP:GREEN",
  ...overrides,
});

describe("agenda items", () => {
  it("start from the items every agenda carries", async () => {
    const { cast, meeting } = await setUp();
    const { items } = await getAgenda({ actor: cast.official.actor, meetingId: meeting.id });
    expect(items.map((i) => i.special)).toEqual(["minutes_adoption", "action_review"]);
  });

  it("are proposed and edited by delegates, never by officials", async () => {
    const { cast, meeting } = await setUp();
    const item = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    expect(item.status).toBe("proposed");
    await expect(proposeItem({ actor: cast.official.actor, input: { ...proposal(cast), meetingId: meeting.id } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(proposeItem({ actor: cast.outsider.actor, input: { ...proposal(cast), meetingId: meeting.id } })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuse a presenter from another body and sanitise hostile descriptions", async () => {
    const { cast, meeting } = await setUp();
    await expect(proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { presenterId: cast.outsider.user.id }), meetingId: meeting.id } })).rejects.toMatchObject({
      fieldErrors: { presenterId: [{ key: "agenda:errors.presenterNotMember" }] },
    });
    const item = await proposeItem({
      actor: cast.delegate.actor,
      input: { ...proposal(cast, { description: '<script>alert(1)</script><p onclick="x()">Text</p><a href="javascript:alert(1)">bad</a>' }), meetingId: meeting.id },
    });
    expect(item.description).toBe("<p>Text</p>bad");
  });

  it("refuse a stale save with 409: the saved version and who saved it", async () => {
    const { cast, heads, meeting } = await setUp();
    const item = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    await updateItem({ actor: heads.JP.actor, input: { ...proposal(cast, { title: "JP's title" }), itemId: item.id, version: "1", status: "proposed" } });
    const error = await updateItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "Mine" }), itemId: item.id, version: "1", status: "proposed" } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.current).toMatchObject({ title: "JP's title", version: 2 });
    expect(error.changedBy).toMatchObject({ id: heads.JP.user.id });
  });

  it("move by rewriting only the moved item's key, and never among another meeting's items", async () => {
    const { cast, meeting } = await setUp();
    const a = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "A" }), meetingId: meeting.id } });
    const b = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "B" }), meetingId: meeting.id } });
    const before = await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id));
    const adoption = (await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id })).items[0];
    await moveItem({ actor: cast.delegate.actor, input: { itemId: b.id, afterId: adoption.id, beforeId: a.id } });
    const after = await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id));
    const changed = after.filter((row) => before.find((r) => r.id === row.id)!.position !== row.position);
    expect(changed.map((r) => r.id)).toEqual([b.id]);
    const { items } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(items.map((i) => i.special ?? i.title)).toEqual(["minutes_adoption", "B", "A", "action_review"]);

    const other = await createMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { bodyId: cast.body.body.id, ordinal: "2", date: "2027-06-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
    });
    const foreign = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "Elsewhere" }), meetingId: other.id } });
    await expect(moveItem({ actor: cast.delegate.actor, input: { itemId: a.id, afterId: foreign.id, beforeId: "" } })).rejects.toMatchObject({
      fieldErrors: { "": [{ key: "agenda:errors.otherMeeting" }] },
    });
    // Two people dropping into the same gap: the second gets a clear answer, not a duplicate key.
    const { items: now } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await expect(moveItem({ actor: cast.delegate.actor, input: { itemId: now[2].id, afterId: "", beforeId: now[1].id } })).rejects.toMatchObject({
      fieldErrors: { "": [{ key: "agenda:errors.positionTaken" }] },
    });
  });

  it("announce every change to the agenda's live channel", async () => {
    const { cast, meeting } = await setUp();
    const heard: LiveEvent[] = [];
    const stop = subscribe(agendaChannel(meeting.id), (e) => heard.push(e));
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    stop();
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ what: "propose", by: { id: cast.delegate.user.id } });
  });

  it("announce a concurrence, a lock and a reopening only once they are committed", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    // What a page that reloads on the event would read at that moment, on another connection.
    const seen: Array<{ what: string; insideTransaction: boolean; state: Promise<{ concurred: number; locked: boolean }> }> = [];
    const stop = subscribe(agendaChannel(meeting.id), (e) =>
      seen.push({
        what: e.what,
        insideTransaction: inTransaction(),
        state: getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id }).then((a) => ({
          concurred: a.concurrences.filter((c) => c.state === "current").length,
          locked: a.agenda.lockedAt !== null,
        })),
      }),
    );
    // Each reload is let finish before the next verb: on a libSQL server under load a read begun
    // at one event could otherwise see the next verb's commit too (seen once: 2 concurrences at
    // the first event), which says nothing about when the event was sent.
    const settled = () => Promise.all(seen.map((s) => s.state));
    try {
      for (const head of Object.values(heads)) {
        await concur({ actor: head.actor, input: { meetingId: meeting.id, hash } });
        await settled();
      }
      await lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
      await settled();
      await reopenAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, reason: "A late item" } });
    } finally {
      stop();
    }
    expect(seen.map((s) => [s.what, s.insideTransaction])).toEqual([
      ["concur", false],
      ["concur", false],
      ["concur", false],
      ["lock", false],
      ["reopen", false],
    ]);
    expect(await Promise.all(seen.map((s) => s.state))).toEqual([
      { concurred: 1, locked: false },
      { concurred: 2, locked: false },
      { concurred: 3, locked: false },
      { concurred: 3, locked: true },
      { concurred: 0, locked: false },
    ]);
  });

  it("carry only TLP:CLEAR and TLP:GREEN titles into the calendar invitation, re-issuing it only for those", async () => {
    const { cast, meeting } = await setUp();
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id], confirmNoLink: "on" } });
    const sequence = async () => (await db().select({ s: meetings.sequence }).from(meetings).where(eq(meetings.id, meeting.id)))[0].s;
    expect(await sequence()).toBe(0);
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "Open discussion item", marking: "TLP:GREEN" }), meetingId: meeting.id } });
    expect(await sequence()).toBe(1);
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "Secret sources item", marking: "TLP:AMBER" }), meetingId: meeting.id } });
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { title: "Red item", marking: "TLP:RED" }), meetingId: meeting.id } });
    expect(await sequence()).toBe(1);
    const updates = await db().select().from(outboxMessages).where(and(eq(outboxMessages.meetingId, meeting.id), eq(outboxMessages.kind, "update")));
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((m) => parseCalendar(m.attachmentContent!).events[0].sequence === 1)).toBe(true);
    const { content } = await getInviteFile({ actor: cast.delegate.actor, meetingId: meeting.id, locale: "en" });
    expect(parseCalendar(content).events[0].sequence).toBe(1);
    const description = parseCalendar(content).events[0].description ?? "";
    expect(description).toContain("Open discussion item");
    expect(description).toContain("Adoption of the minutes of the previous meeting");
    expect(description).not.toContain("Secret sources item");
    expect(description).not.toContain("Red item");
    expect(content).not.toContain("Secret sources");
  });
});

describe("concurrence", () => {
  it("is given by heads only, for their own delegation only", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await expect(concur({ actor: cast.delegate.actor, input: { meetingId: meeting.id, hash } })).rejects.toMatchObject({ reason: { key: "permissions:denied.agenda.concur" } });
    await expect(concur({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, hash } })).rejects.toBeInstanceOf(ForbiddenError);
    await concur({ actor: heads.JP.actor, input: { meetingId: meeting.id, hash } });
    const { concurrences } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(concurrences.find((c) => c.delegationId === cast.body.delegations.JP.id)?.state).toBe("current");
    expect(concurrences.find((c) => c.delegationId === cast.body.delegations.US.id)?.state).toBe("pending");
  });

  it("is voided visibly by any later change", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await concur({ actor: heads.KR.actor, input: { meetingId: meeting.id, hash } });
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    const { concurrences } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(concurrences.find((c) => c.delegationId === cast.body.delegations.KR.id)?.state).toBe("stale");
  });

  it("refuses to concur with an agenda that changed since it was read", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    await expect(concur({ actor: heads.US.actor, input: { meetingId: meeting.id, hash } })).rejects.toBeInstanceOf(ConflictError);
  });

  it("must be complete before the secretariat locks; a locked agenda changes only after reopening, which voids it", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await concur({ actor: heads.US.actor, input: { meetingId: meeting.id, hash } });
    await expect(lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } })).rejects.toMatchObject({
      fieldErrors: { "": [{ key: "agenda:errors.notAllConcurred" }] },
    });
    await concur({ actor: heads.JP.actor, input: { meetingId: meeting.id, hash } });
    await concur({ actor: heads.KR.actor, input: { meetingId: meeting.id, hash } });
    await expect(lockAgenda({ actor: heads.US.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(ForbiddenError);
    await lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    await expect(proposeItem({ actor: cast.secretariat.actor, input: { ...proposal(cast), meetingId: meeting.id } })).rejects.toMatchObject({ reason: { key: "agenda:errors.locked" } });
    await expect(reopenAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, reason: "" } })).rejects.toBeInstanceOf(ValidationError);
    await reopenAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, reason: "JP asked to add an item" } });
    const reopened = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(reopened.agenda.lockedAt).toBeNull();
    expect(reopened.concurrences.every((c) => c.state === "stale")).toBe(true);
  });

  it("refuses a head's concurrence with an agenda that runs over the meeting, so a lock never voids it", async () => {
    const { cast, heads, meeting } = await setUp();
    const item = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast, { minutes: "200" }), meetingId: meeting.id } });
    const over = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(over.readiness).toMatchObject({ ready: false, overBy: 100 });
    await expect(concur({ actor: heads.US.actor, input: { meetingId: meeting.id, hash: over.hash } })).rejects.toMatchObject({
      fieldErrors: { "": [{ key: "agenda:errors.overrun", values: { minutes: 100 } }] },
    });
    // Shortened and agreed: now the heads concur, and the lock keeps every concurrence.
    await updateItem({ actor: cast.secretariat.actor, input: { ...proposal(cast, { minutes: "30" }), itemId: item.id, version: String(item.version), status: "agreed" } });
    const ready = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(ready.readiness.ready).toBe(true);
    for (const head of Object.values(heads)) await concur({ actor: head.actor, input: { meetingId: meeting.id, hash: ready.hash } });
    await lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const locked = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(locked.concurrences.every((c) => c.state === "current")).toBe(true);
    expect(locked.items.some((i) => i.status === "proposed")).toBe(false);
  });

  it("refuses a concurrence while items are still proposed, naming how many", async () => {
    const { cast, heads, meeting } = await setUp();
    await proposeItem({ actor: cast.delegate.actor, input: { ...proposal(cast), meetingId: meeting.id } });
    const { hash, readiness } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(readiness.unsettled).toHaveLength(1);
    await expect(concur({ actor: heads.JP.actor, input: { meetingId: meeting.id, hash } })).rejects.toMatchObject({
      fieldErrors: { "": [{ key: "agenda:errors.unsettled", values: { count: 1 } }] },
    });
  });
});
