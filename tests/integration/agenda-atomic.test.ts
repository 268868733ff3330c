import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { agendaConcurrences, agendaItems, agendas } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { db, dbClient } from "~/lib/db.server";
import { agendaChannel, subscribe, type LiveEvent } from "~/lib/events.server";
import { concur, getAgenda, lockAgenda, moveItem, proposeItem, reopenAgenda, updateItem } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";

/**
 * Each agenda verb checks, writes and records its audit event in one transaction. A failure
 * injected into the database at the very last write (the audit row) must leave nothing of the
 * verb behind, and announce nothing.
 */
async function failAuditOf(action: string) {
  await dbClient().execute(
    `CREATE TRIGGER inject_failure BEFORE INSERT ON audit_events WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`,
  );
}

afterEach(async () => {
  await dbClient().execute("DROP TRIGGER IF EXISTS inject_failure");
});

async function setUp() {
  const cast = await createCast();
  const heads = [cast.head, await createMember(cast.body, "head", "JP"), await createMember(cast.body, "head", "KR")];
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: new Date("2027-01-10T12:00:00Z"),
    input: { bodyId: cast.body.body.id, ordinal: "4", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
  });
  return { cast, heads, meeting };
}

/** Everything an agenda verb may write, to compare before and after. */
async function snapshot(meetingId: string) {
  const [agenda] = await db().select().from(agendas).where(eq(agendas.meetingId, meetingId));
  const items = await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(agendaItems.position);
  const [concurrences] = await db().select({ n: sql<number>`count(*)` }).from(agendaConcurrences).where(eq(agendaConcurrences.meetingId, meetingId));
  return { agenda, items, concurrences: Number(concurrences.n) };
}

async function expectNothingLeft(meetingId: string, action: string, verb: () => Promise<unknown>) {
  const before = await snapshot(meetingId);
  const heard: LiveEvent[] = [];
  const stop = subscribe(agendaChannel(meetingId), (e) => heard.push(e));
  await failAuditOf(action);
  try {
    const error = await verb().then(
      () => null,
      (e: Error & { cause?: Error }) => e,
    );
    expect(String(error?.cause?.message ?? error?.message)).toContain("injected failure");
  } finally {
    stop();
    await dbClient().execute("DROP TRIGGER IF EXISTS inject_failure");
  }
  expect(await snapshot(meetingId)).toEqual(before);
  expect(heard).toEqual([]);
}

const proposal = (cast: Awaited<ReturnType<typeof createCast>>, meetingId: string, title = "Ransomware negotiators") => ({
  meetingId,
  title,
  description: "",
  kind: "discussion",
  leadDelegationId: cast.body.delegations.US.id,
  presenterId: "",
  minutes: "10",
  marking: "TLP:GREEN",
});

describe("an agenda verb that fails half-way", () => {
  it("leaves no proposed, edited or moved item behind", async () => {
    const { cast, meeting } = await setUp();
    await expectNothingLeft(meeting.id, "agenda.item.propose", () => proposeItem({ actor: cast.delegate.actor, input: proposal(cast, meeting.id) }));
    const item = await proposeItem({ actor: cast.delegate.actor, input: proposal(cast, meeting.id) });
    await expectNothingLeft(meeting.id, "agenda.item.update", () =>
      updateItem({ actor: cast.delegate.actor, input: { ...proposal(cast, meeting.id, "Renamed"), itemId: item.id, version: String(item.version), status: "agreed" } }),
    );
    const { items } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await expectNothingLeft(meeting.id, "agenda.item.move", () => moveItem({ actor: cast.delegate.actor, input: { itemId: item.id, afterId: "", beforeId: items[0].id } }));
  });

  it("leaves no concurrence, lock or reopening behind", async () => {
    const { cast, heads, meeting } = await setUp();
    const { hash } = await getAgenda({ actor: cast.delegate.actor, meetingId: meeting.id });
    await expectNothingLeft(meeting.id, "agenda.concur", () => concur({ actor: heads[0].actor, input: { meetingId: meeting.id, hash } }));
    for (const head of heads) await concur({ actor: head.actor, input: { meetingId: meeting.id, hash } });
    await expectNothingLeft(meeting.id, "agenda.lock", () => lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } }));
    await lockAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    await expectNothingLeft(meeting.id, "agenda.reopen", () => reopenAgenda({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, reason: "A late item" } }));
  });
});
