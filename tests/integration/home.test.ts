import { afterAll, describe, expect, it } from "vitest";
import { memberships } from "#db/schema";
import { createBody, createCast, createMember, type TestBody } from "#tests/factories";
import { db } from "~/lib/db.server";
import { shutdownCollab } from "~/server/collab.server";
import { createAction } from "~/models/actions/actions.server";
import { concur, getAgenda } from "~/models/agenda/agenda.server";
import { getHome, listActionsAcross, listMeetingsAcross, waitingView } from "~/models/home/home.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { listBodiesForUser } from "~/models/people/bodies.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { circulateMinutes } from "~/models/minutes/minutes.server";
import type { Actor } from "~/lib/actor";

afterAll(async () => {
  await shutdownCollab();
});

const NOW = new Date("2027-01-10T12:00:00Z");

async function meetingOf(body: TestBody, secretariat: Actor, date: string, ordinal = "5") {
  return createMeeting({
    actor: secretariat,
    // Planned well before, so that a meeting already held can be set up too.
    now: new Date("2026-10-01T00:00:00Z"),
    input: { bodyId: body.body.id, ordinal, hostDelegationId: body.delegations.US.id, date, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/x" },
  });
}

/** A US head of two bodies: one with an agenda to concur with, one with minutes to approve. */
async function headOfTwoBodies() {
  const cast = await createCast();
  const second = await createBody({ codes: ["US", "JP", "KR"], name: "Critical Technologies Dialogue" });
  await db().insert(memberships).values({ userId: cast.head.user.id, bodyId: second.body.id, role: "head", delegationId: second.delegations.US.id });
  const secondSecretariat = await createMember(second, "secretariat");
  const upcoming = await meetingOf(cast.body, cast.secretariat.actor, "2027-03-09");
  await getAgenda({ actor: cast.secretariat.actor, meetingId: upcoming.id });
  const past = await meetingOf(second, secondSecretariat.actor, "2027-01-05", "2");
  await circulateMinutes({ actor: secondSecretariat.actor, input: { meetingId: past.id } });
  return { cast, second, secondSecretariat, upcoming, past };
}

describe("the home across bodies", () => {
  // The app shell shows the audit link from this flag; the permission rules stay on the server (ADR 047).
  it("says in each body the person belongs to whether its audit trail is theirs to read", async () => {
    const { cast, second, secondSecretariat } = await headOfTwoBodies();
    const head = await listBodiesForUser(cast.head.user.id);
    expect(head.map((b) => [b.id, b.readsAudit]).sort()).toEqual([[cast.body.body.id, false], [second.body.id, false]].sort());
    const secretariat = await listBodiesForUser(secondSecretariat.user.id);
    expect(secretariat).toEqual([expect.objectContaining({ id: second.body.id, role: "secretariat", readsAudit: true })]);
  });

  it("shows a head of two bodies the next meeting of each and what waits for them in each", async () => {
    const { cast, second, upcoming, past } = await headOfTwoBodies();
    const home = await getHome({ actor: cast.head.actor, now: NOW });
    expect(home.bodies.map((b) => b.body.id).sort()).toEqual([cast.body.body.id, second.body.id].sort());
    const first = home.bodies.find((b) => b.body.id === cast.body.body.id)!;
    expect(first.next?.id).toBe(upcoming.id);
    expect(first.waiting).toEqual([expect.objectContaining({ kind: "agenda.concur", state: "pending", ready: true, meeting: expect.objectContaining({ id: upcoming.id }) })]);
    const other = home.bodies.find((b) => b.body.id === second.body.id)!;
    expect(other.waiting).toEqual([expect.objectContaining({ kind: "minutes.approve", state: "pending", meeting: expect.objectContaining({ id: past.id }) })]);
  });

  it("drops a concurrence once given and tells the secretariat to lock when all concurred", async () => {
    const { cast, upcoming } = await headOfTwoBodies();
    const { hash } = await getAgenda({ actor: cast.head.actor, meetingId: upcoming.id });
    await concur({ actor: cast.head.actor, input: { meetingId: upcoming.id, hash } });
    const after = await getHome({ actor: cast.head.actor, now: NOW });
    expect(after.bodies.find((b) => b.body.id === cast.body.body.id)!.waiting).toEqual([]);
    for (const code of ["JP", "KR"] as const) {
      const head = await createMember(cast.body, "head", code);
      await concur({ actor: head.actor, input: { meetingId: upcoming.id, hash } });
    }
    const secretariat = await getHome({ actor: cast.secretariat.actor, now: NOW });
    expect(secretariat.bodies[0].waiting).toEqual([expect.objectContaining({ kind: "agenda.lock" })]);
  });

  it("lists invitations to answer and the delegation's overdue and due-soon items, never another delegation's", async () => {
    const cast = await createCast();
    const meeting = await meetingOf(cast.body, cast.secretariat.actor, "2027-03-09");
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id] } });
    const make = (title: string, code: "US" | "JP", dueOn: string) =>
      createAction({ actor: cast.secretariat.actor, now: new Date("2026-12-01T00:00:00Z"), input: { bodyId: cast.body.body.id, title, detail: "", ownerDelegationId: cast.body.delegations[code].id, dueKind: "date", dueDate: dueOn, marking: "TLP:GREEN" } });
    await make("Overdue US item", "US", "2027-01-02");
    await make("Due-soon US item", "US", "2027-01-15");
    await make("Later US item", "US", "2027-06-01");
    await make("Overdue JP item", "JP", "2027-01-02");
    const home = await getHome({ actor: cast.official.actor, now: NOW });
    const waiting = home.bodies[0].waiting;
    expect(waiting.filter((w) => w.kind === "invitation")).toHaveLength(1);
    const items = waiting.flatMap((w) => (w.kind === "action" ? [w.item] : []));
    expect(items.map((i) => [i.title, i.overdue])).toEqual([
      ["Overdue US item", true],
      ["Due-soon US item", false],
    ]);
  });

  it("shows a title longer than a list shows shortened, on a grapheme boundary, and says so; a shorter one whole", async () => {
    const cast = await createCast();
    // 294 of the 300 characters a title may have; each "👩🏽‍💻" is 7 UTF-16 code units, so a cut by code units would split one.
    const long = `${"Review ".repeat(27)}${"👩🏽‍💻".repeat(15)}`;
    const short = "A".repeat(200);
    for (const [title, dueDate] of [[long, "2027-01-12"], [short, "2027-01-13"]])
      await createAction({ actor: cast.secretariat.actor, now: new Date("2026-12-01T00:00:00Z"), input: { bodyId: cast.body.body.id, title, detail: "", ownerDelegationId: cast.body.delegations.US.id, dueKind: "date", dueDate, marking: "TLP:GREEN" } });
    const home = await getHome({ actor: cast.official.actor, now: NOW });
    const items = home.bodies[0].waiting.map(waitingView).flatMap((w) => (w.kind === "action" && "shortened" in w.item ? [w.item] : []));
    expect(items).toHaveLength(2);
    const [cut, whole] = items;
    expect(cut.shortened).toBe(true);
    expect(cut.title.endsWith("…")).toBe(true);
    expect(cut.title.length).toBeLessThanOrEqual(201);
    expect(long.startsWith(cut.title.slice(0, -1))).toBe(true);
    expect([...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(cut.title.slice(0, -1))].at(-1)!.segment).toBe("👩🏽‍💻");
    expect(whole).toMatchObject({ title: short, shortened: false });
  });

  it("lists meetings and action items across bodies, narrowed by the body filter, and nothing of bodies the person is not in", async () => {
    const { cast, second, upcoming, past } = await headOfTwoBodies();
    const all = await listMeetingsAcross({ actor: cast.head.actor });
    expect(all.meetings.map((m) => m.id).sort()).toEqual([upcoming.id, past.id].sort());
    const one = await listMeetingsAcross({ actor: cast.head.actor, bodySlug: second.body.slug });
    expect(one.meetings.map((m) => m.id)).toEqual([past.id]);
    const outsider = await listMeetingsAcross({ actor: cast.outsider.actor, bodySlug: cast.body.body.slug });
    expect(outsider.meetings).toEqual([]);
    const actions = await listActionsAcross({ actor: cast.head.actor, input: { body: second.body.slug } });
    expect(actions.lists.map((l) => l.body.id)).toEqual([second.body.id]);
  });
});
