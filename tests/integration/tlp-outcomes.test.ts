import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { authorizeOutcomeConnection } from "~/models/outcomes/access.server";
import { outcomeFile } from "~/models/outcomes/export.server";
import { createOutcome, getOutcomePage, listOutcomes, requestClearance } from "~/models/outcomes/outcomes.server";
import { watchOutcome } from "~/models/outcomes/events.server";
import { addParticipant, publishList } from "~/models/participants/participants.server";
import { createSession } from "~/models/people/sessions.server";
import { search } from "~/models/search/search.server";
// The outcome pages read the live text through the collaboration server.
import "~/server/collab.server";

/**
 * Outcome documents under the one TLP audience rule (ADR 019, 027): marking × reader
 * (role, delegation, invited or not, on the published list or not) × channel — the meeting's
 * list, the document's page, the live connection, its change stream, its exports, search and
 * mail. Every channel must give the rule's answer.
 */

const NOW = new Date("2027-01-10T12:00:00Z");
type Reader = "secretariat" | "usHead" | "usDelegate" | "jpHead" | "jpDelegate" | "krDelegate" | "krOfficial" | "krUninvited" | "krHeadUninvited";
const READERS: Reader[] = ["secretariat", "usHead", "usDelegate", "jpHead", "jpDelegate", "krDelegate", "krOfficial", "krUninvited", "krHeadUninvited"];
const HEADS: Reader[] = ["usHead", "jpHead", "krHeadUninvited"];

type Phase = "before the list is published" | "once the list (US delegate, KR delegate) is published";
const BEFORE: Phase = "before the list is published";
const AFTER: Phase = "once the list (US delegate, KR delegate) is published";

// Every document is created by the secretariat, so no reader sees one as its author.
const expected: Record<string, Record<Phase, Reader[]>> = {
  "TLP:CLEAR": { [BEFORE]: READERS, [AFTER]: READERS },
  "TLP:GREEN": { [BEFORE]: READERS, [AFTER]: READERS },
  "TLP:AMBER": { [BEFORE]: READERS.filter((r) => !r.endsWith("Uninvited")), [AFTER]: READERS.filter((r) => !r.endsWith("Uninvited")) },
  "TLP:RED": { [BEFORE]: ["secretariat", "usHead", "jpHead", "krHeadUninvited"], [AFTER]: ["secretariat", "usDelegate", "krDelegate"] },
};

let world: Awaited<ReturnType<typeof build>>;
const word = (marking: string) => `zq${marking.replace(/\W/g, "").toLowerCase()}outcome`;

async function build() {
  const cast = await createCast();
  const people = {
    secretariat: cast.secretariat,
    usHead: cast.head,
    usDelegate: cast.delegate,
    jpHead: await createMember(cast.body, "head", "JP"),
    jpDelegate: await createMember(cast.body, "delegate", "JP"),
    krDelegate: await createMember(cast.body, "delegate", "KR"),
    krOfficial: await createMember(cast.body, "official", "KR"),
  };
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "8", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id), confirmNoLink: "on" } });
  // Joined after the invitations went out: members of the body, not invited to this meeting.
  const krUninvited = await createMember(cast.body, "delegate", "KR");
  const krHeadUninvited = await createMember(cast.body, "head", "KR");
  const all: Record<Reader, { actor: Actor; user: { id: string } }> = { ...people, krUninvited, krHeadUninvited };
  const documents: Record<string, string> = {};
  for (const marking of Object.keys(expected)) {
    documents[marking] = (await createOutcome({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, title: `${word(marking)} statement`, kind: "joint_statement", marking } })).id;
  }
  return { cast, people: all, meeting, documents };
}

async function publishTheList() {
  const { cast, people, meeting } = world;
  for (const reader of ["usDelegate", "krDelegate"] as const) {
    const delegationId = reader === "usDelegate" ? cast.body.delegations.US.id : cast.body.delegations.KR.id;
    await addParticipant({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationId, userId: people[reader].user.id, role: "expert" } });
  }
  await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
}

const opens = (work: Promise<unknown>) => work.then(() => true, (e) => (e instanceof NotFoundError ? false : Promise.reject(e)));

const channels = {
  async list(reader: Reader, marking: string) {
    const list = await listOutcomes({ actor: world.people[reader].actor, meetingId: world.meeting.id });
    return list.documents.some((d) => d.id === world.documents[marking]);
  },
  page: (reader: Reader, marking: string) => opens(getOutcomePage({ actor: world.people[reader].actor, documentId: world.documents[marking] })),
  async live(reader: Reader, marking: string) {
    const token = await createSession(db(), world.people[reader].user.id, "vitest");
    return opens(authorizeOutcomeConnection({ token, documentId: world.documents[marking] }));
  },
  async events(reader: Reader, marking: string) {
    const controller = new AbortController();
    const opened = await opens(watchOutcome({ actor: world.people[reader].actor, documentId: world.documents[marking], signal: controller.signal }));
    controller.abort();
    return opened;
  },
  async exports(reader: Reader, marking: string) {
    const results = await Promise.all((["pdf", "docx", "md"] as const).map((format) => opens(outcomeFile({ actor: world.people[reader].actor, documentId: world.documents[marking], language: "en", format }))));
    expect(new Set(results).size, "every format answers alike").toBe(1);
    return results[0];
  },
  async search(reader: Reader, marking: string) {
    const found = await search({ actor: world.people[reader].actor, input: { q: word(marking) } });
    return found.hits.outcomes.some((h) => h.id === world.documents[marking]);
  },
};

/** Asks the heads to clear each document once per phase; returns who was written to, by document. */
async function mailedHeads(phase: Phase) {
  const { cast, documents } = world;
  const out: Record<string, Set<string>> = {};
  for (const [marking, documentId] of Object.entries(documents)) {
    const page = await getOutcomePage({ actor: cast.secretariat.actor, documentId });
    const before = new Set((await db().select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.kind, "outcome.clearanceRequested"))).map((r) => r.id));
    await requestClearance({ actor: cast.secretariat.actor, input: { documentId, hash: page.hash } });
    const rows = await db().select().from(outboxMessages).where(and(eq(outboxMessages.kind, "outcome.clearanceRequested"), eq(outboxMessages.meetingId, world.meeting.id)));
    out[marking] = new Set(rows.filter((r) => !before.has(r.id)).map((r) => r.userId!));
    expect(rows.every((r) => r.subject.includes(word(marking)) || before.has(r.id)), phase).toBe(true);
  }
  return out;
}

describe("TLP rules on every channel of outcome documents", () => {
  beforeAll(async () => {
    world = await build();
  }, 120_000);

  for (const phase of [BEFORE, AFTER]) {
    describe(phase, () => {
      let mailed: Record<string, Set<string>>;
      beforeAll(async () => {
        if (phase === AFTER) await publishTheList();
        mailed = await mailedHeads(phase);
      }, 60_000);

      for (const marking of Object.keys(expected)) {
        for (const reader of READERS) {
          const may = expected[marking][phase].includes(reader);
          it(`a ${marking} outcome document ${may ? "reaches" : "never reaches"} ${reader} (list, page, live, events, exports, search${HEADS.includes(reader) ? ", mail" : ""})`, async () => {
            expect(await channels.list(reader, marking), "list").toBe(may);
            expect(await channels.page(reader, marking), "page").toBe(may);
            expect(await channels.live(reader, marking), "live connection").toBe(may);
            expect(await channels.events(reader, marking), "events").toBe(may);
            expect(await channels.exports(reader, marking), "exports").toBe(may);
            expect(await channels.search(reader, marking), "search").toBe(may);
            if (HEADS.includes(reader)) expect(mailed[marking].has(world.people[reader].user.id), "mail").toBe(may);
          });
        }
      }
    });
  }

  it("refuses AMBER+STRICT for a text every delegation negotiates", async () => {
    await expect(createOutcome({ actor: world.cast.secretariat.actor, input: { meetingId: world.meeting.id, title: "Strict", kind: "readout", marking: "TLP:AMBER+STRICT" } })).rejects.toMatchObject({ name: "ValidationError" });
  });
});
