import { eq, sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { auditEvents, minutes, minutesApprovals, minutesRecords, minutesVersions, outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { db, dbClient } from "~/lib/db.server";
import { docToJSON, jsonToText } from "~/lib/minutes-doc.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { saveVersion } from "~/models/minutes/content.server";
import { adoptMinutes, approveMinutes, circulateMinutes, restoreVersion, startAmendment } from "~/models/minutes/minutes.server";
import { loadDoc } from "~/models/minutes/store.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations } from "~/models/meetings/invitations.server";

/**
 * Every life-cycle step is one transaction: a failure half-way (injected by the database
 * itself, a trigger refusing the step's audit entry, which each step writes after its other
 * rows) leaves no version, no state change, no approval, no record and no message behind.
 */

afterAll(async () => {
  await shutdownCollab();
});

afterEach(async () => {
  await dbClient().execute("DROP TRIGGER IF EXISTS inject_failure");
});

/** From now on the database refuses to record `action` in the audit log (and so the whole step). */
async function failAt(action: string) {
  await dbClient().execute(`CREATE TRIGGER inject_failure BEFORE INSERT ON audit_events WHEN NEW.action = '${action}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
}

async function setUp() {
  const cast = await createCast();
  const heads = [cast.head, await createMember(cast.body, "head", "JP"), await createMember(cast.body, "head", "KR")];
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "7", date: `${year}-05-12`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual", link: "https://meet.example.org/minutes" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  await typeParagraph(meeting.id, "The body reviewed the incident reports.");
  return { cast, heads, meetingId: meeting.id };
}

function typeParagraph(meetingId: string, words: string) {
  return withDocument(meetingId, (doc) => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(words)]);
    doc.getXmlFragment(MINUTES_FIELD).push([paragraph]);
  });
}

const count = async (table: typeof minutesVersions | typeof minutesApprovals | typeof minutesRecords | typeof outboxMessages, meetingId: string) =>
  (await db().select({ n: sql<number>`count(*)` }).from(table).where(eq(table.meetingId, meetingId)))[0].n;

/** Everything a life-cycle step could write, to compare before and after a failed attempt. */
async function written(meetingId: string) {
  const [row] = await db().select().from(minutes).where(eq(minutes.meetingId, meetingId));
  const audit = await db().select({ action: auditEvents.action }).from(auditEvents).where(eq(auditEvents.entityId, meetingId));
  return {
    row: { status: row.status, amending: row.amending, contentHash: row.contentHash, lastVersionAt: row.lastVersionAt?.getTime() ?? null, circulatedAt: row.circulatedAt, adoptedAt: row.adoptedAt },
    versions: await count(minutesVersions, meetingId),
    approvals: await count(minutesApprovals, meetingId),
    records: await count(minutesRecords, meetingId),
    messages: await count(outboxMessages, meetingId),
    audit: audit.map((a) => a.action),
  };
}

/** The database's refusal, as drizzle reports it (the SQLite error is the cause). */
const injected = (error: unknown) => /injected failure/.test(`${(error as Error).message} ${((error as Error).cause as Error | undefined)?.message ?? ""}`);

async function expectNothingWritten(meetingId: string, step: () => Promise<unknown>, action: string) {
  const before = await written(meetingId);
  await failAt(action);
  await expect(step()).rejects.toSatisfy(injected);
  expect(await written(meetingId)).toEqual(before);
  await dbClient().execute("DROP TRIGGER inject_failure");
  // And once the fault is gone the same step goes through.
  await step();
  expect((await written(meetingId)).audit).toContain(action);
}

describe("a life-cycle step that fails half-way leaves nothing written", () => {
  it("circulating", async () => {
    const { cast, meetingId } = await setUp();
    await expectNothingWritten(meetingId, () => circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId } }), "minutes.circulate");
    expect((await written(meetingId)).row.status).toBe("circulated");
  });

  it("approving", async () => {
    const { cast, heads, meetingId } = await setUp();
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId } });
    await expectNothingWritten(meetingId, () => approveMinutes({ actor: heads[1].actor, input: { meetingId } }), "minutes.approve");
  });

  it("adopting, and adopting an amendment", async () => {
    const { cast, heads, meetingId } = await setUp();
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId } });
    for (const head of heads) await approveMinutes({ actor: head.actor, input: { meetingId } });
    await expectNothingWritten(meetingId, () => adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId } }), "minutes.adopt");

    await expectNothingWritten(meetingId, () => startAmendment({ actor: cast.secretariat.actor, input: { meetingId, reason: "A name was misspelt" } }), "minutes.amendment.start");
    await typeParagraph(meetingId, "Corrected.");
    for (const head of heads) await approveMinutes({ actor: head.actor, input: { meetingId } });
    await expectNothingWritten(meetingId, () => adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId } }), "minutes.amendment.adopt");
    expect(await count(minutesRecords, meetingId)).toBe(2);
  });

  it("approving and adopting when their version cannot be written (it used to follow the commit)", async () => {
    const { cast, heads, meetingId } = await setUp();
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId } });
    const refuseVersion = (kind: string) => dbClient().execute(`CREATE TRIGGER inject_failure BEFORE INSERT ON minutes_versions WHEN NEW.kind = '${kind}' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    let before = await written(meetingId);
    await refuseVersion("approval");
    await expect(approveMinutes({ actor: heads[0].actor, input: { meetingId } })).rejects.toSatisfy(injected);
    expect(await written(meetingId)).toEqual(before);
    await dbClient().execute("DROP TRIGGER inject_failure");
    for (const head of heads) await approveMinutes({ actor: head.actor, input: { meetingId } });
    before = await written(meetingId);
    await refuseVersion("adopted");
    await expect(adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId } })).rejects.toSatisfy(injected);
    expect(await written(meetingId)).toEqual(before);
  });

  it("restoring: neither the version, the audit entry nor the live text change", async () => {
    const { cast, meetingId } = await setUp();
    const versionId = await saveVersion(meetingId, await loadDoc(meetingId), "autosave", null, []);
    await typeParagraph(meetingId, "A later line.");
    const text = () => withDocument(meetingId, (doc) => jsonToText(docToJSON(doc)));
    expect(await text()).toContain("A later line.");
    await expectNothingWritten(meetingId, () => restoreVersion({ actor: cast.delegate.actor, input: { meetingId, versionId } }), "minutes.restore");
    expect(await text()).not.toContain("A later line.");
  });

  it("restoring, when the failure comes before the audit entry: the text stays as it was", async () => {
    const { cast, meetingId } = await setUp();
    const versionId = await saveVersion(meetingId, await loadDoc(meetingId), "autosave", null, []);
    await typeParagraph(meetingId, "Still here after a failed restore.");
    await dbClient().execute(`CREATE TRIGGER inject_failure BEFORE INSERT ON minutes_versions WHEN NEW.kind = 'restored' BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
    await expect(restoreVersion({ actor: cast.delegate.actor, input: { meetingId, versionId } })).rejects.toSatisfy(injected);
    expect(await withDocument(meetingId, (doc) => jsonToText(docToJSON(doc)))).toContain("Still here after a failed restore.");
    expect((await written(meetingId)).audit).not.toContain("minutes.restore");
  });
});
