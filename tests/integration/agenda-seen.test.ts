import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agendaItems, standingItems } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { db } from "~/lib/db.server";
import { ConflictError } from "~/lib/errors";
import { concur, getAgenda, proposeItem, updateItem } from "~/models/agenda/agenda.server";
import { agendasAwaitingConcurrence } from "~/models/agenda/waiting.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { initialMinutesContent } from "~/models/minutes/content.server";
import { addParticipant, publishList } from "~/models/participants/participants.server";

const NOW = new Date("2027-01-10T12:00:00Z");

/**
 * A meeting whose agenda holds a TLP:RED item, with a published list of participants that has
 * the US head on it and not the KR head: the US head reads the item, the KR head sees a placeholder.
 */
async function setUp() {
  const cast = await createCast();
  const krHead = await createMember(cast.body, "head", "KR");
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "4", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
  });
  const input = { meetingId: meeting.id, kind: "discussion", minutes: "20", status: "agreed" };
  await proposeItem({ actor: cast.secretariat.actor, input: { ...input, title: "Open briefing", marking: "TLP:AMBER" } });
  await proposeItem({ actor: cast.secretariat.actor, input: { ...input, title: "Source zqredsource", marking: "TLP:RED" } });
  const items = await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id));
  for (const item of items.filter((i) => i.status === "proposed")) {
    await updateItem({ actor: cast.secretariat.actor, input: { itemId: item.id, version: String(item.version), title: item.title, kind: item.kind, minutes: String(item.minutes), marking: item.marking, status: "agreed" } });
  }
  await addParticipant({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.head.user.id, role: "head" } });
  await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
  const red = (await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id))).find((i) => i.marking === "TLP:RED")!;
  return { cast, krHead, meeting, red };
}

const stateOf = async (actor: Parameters<typeof getAgenda>[0]["actor"], meetingId: string, delegationId: string) =>
  (await getAgenda({ actor, meetingId })).concurrences.find((c) => c.delegationId === delegationId)?.state;

describe("heads concur with the agenda as they see it", () => {
  it("takes a head's concurrence with placeholders, and refuses the hash of words they cannot read", async () => {
    const { cast, krHead, meeting } = await setUp();
    const asKr = await getAgenda({ actor: krHead.actor, meetingId: meeting.id });
    const asUs = await getAgenda({ actor: cast.head.actor, meetingId: meeting.id });
    expect(asKr.hash).not.toBe(asUs.hash);
    // The full agenda's hash is not what the KR head saw: a stale view, 409.
    await expect(concur({ actor: krHead.actor, input: { meetingId: meeting.id, hash: asUs.hash } })).rejects.toBeInstanceOf(ConflictError);
    await concur({ actor: krHead.actor, input: { meetingId: meeting.id, hash: asKr.hash } });
    await concur({ actor: cast.head.actor, input: { meetingId: meeting.id, hash: asUs.hash } });
    expect(await stateOf(cast.secretariat.actor, meeting.id, cast.body.delegations.KR.id)).toBe("current");
    expect(await stateOf(cast.secretariat.actor, meeting.id, cast.body.delegations.US.id)).toBe("current");
    // Straight from "Waiting for you": nothing waits for a head who concurred with what they see.
    expect(await agendasAwaitingConcurrence(db(), [meeting], { userId: krHead.user.id, role: "head", delegationId: cast.body.delegations.KR.id })).toEqual([]);
  });

  it("keeps a concurrence when only words the head cannot read change, and voids it when what they see changes", async () => {
    const { cast, krHead, meeting, red } = await setUp();
    await concur({ actor: krHead.actor, input: { meetingId: meeting.id, hash: (await getAgenda({ actor: krHead.actor, meetingId: meeting.id })).hash } });
    await concur({ actor: cast.head.actor, input: { meetingId: meeting.id, hash: (await getAgenda({ actor: cast.head.actor, meetingId: meeting.id })).hash } });

    const edit = (version: number, changes: Record<string, string>) =>
      updateItem({ actor: cast.secretariat.actor, input: { itemId: red.id, version: String(version), title: red.title, kind: red.kind, minutes: String(red.minutes), marking: red.marking, status: "agreed", ...changes } });
    const renamed = await edit(red.version, { title: "Source zqredsource, revised" });
    expect(await stateOf(cast.secretariat.actor, meeting.id, cast.body.delegations.KR.id)).toBe("current");
    expect(await stateOf(cast.secretariat.actor, meeting.id, cast.body.delegations.US.id)).toBe("stale");

    // Its minutes are on the KR head's agenda too (the clock adds up): that change voids theirs.
    await edit(renamed.version, { title: "Source zqredsource, revised", minutes: "25" });
    expect(await stateOf(cast.secretariat.actor, meeting.id, cast.body.delegations.KR.id)).toBe("stale");
    const waiting = await agendasAwaitingConcurrence(db(), [meeting], { userId: krHead.user.id, role: "head", delegationId: cast.body.delegations.KR.id });
    expect(waiting).toMatchObject([{ meetingId: meeting.id, state: "stale", hash: (await getAgenda({ actor: krHead.actor, meetingId: meeting.id })).hash }]);
  });
});

describe("the minutes scaffold", () => {
  it("writes a placeholder with number and minutes for an item above the minutes' audience, never its title", async () => {
    const { meeting } = await setUp();
    const doc = JSON.stringify(await initialMinutesContent(meeting.id));
    expect(doc).toContain("Open briefing");
    expect(doc).not.toContain("zqredsource");
    expect(doc).toMatch(/"3\. Item for a narrower audience \(TLP:RED\) — 20 min"/);
  });
});

describe("standing items", () => {
  it("never carry AMBER+STRICT into a new agenda, even one saved before the form refused it", async () => {
    const cast = await createCast();
    await db().insert(standingItems).values({ bodyId: cast.body.body.id, position: "a0", title: "Legacy strict item", kind: "standing", minutes: 10, marking: "TLP:AMBER+STRICT" });
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { bodyId: cast.body.body.id, ordinal: "9", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
    });
    const { items } = await getAgenda({ actor: cast.secretariat.actor, meetingId: meeting.id });
    expect(items.find((i) => i.title === "Legacy strict item")?.marking).toBe("TLP:RED");
  });
});
