import type { JSONContent } from "@tiptap/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { actionItems, auditEvents, dataPasses, minutes, minutesApprovals, minutesRecords, minutesSnapshots, minutesUpdates, minutesVersions } from "#db/schema";
import { createCast, createMember, cookieFor } from "#tests/factories";
import { listenForCollab } from "#tests/support/collab-server";
import { rawCollab } from "#tests/support/raw-collab";
import { db } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import { docToJSON, jsonToHTML, jsonToText, jsonToUpdate } from "~/lib/minutes-doc.server";
import { minutesDocumentName } from "~/lib/minutes-schema";
import { createAction, editAction, updateProgress } from "~/models/actions/actions.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { CHIP_REFERENCES_PASS, runChipReferencesPass } from "~/models/minutes/chip-references.server";
import { minutesFile } from "~/models/minutes/export.server";
import { adoptMinutes, approveMinutes, circulateMinutes, getMinutesPage } from "~/models/minutes/minutes.server";
import { appendUpdate } from "~/models/minutes/store.server";
import { search } from "~/models/search/search.server";
import { shutdownCollab } from "~/server/collab.server";

/**
 * ADR 042: the live minutes hold an action item's chip as a reference only. Its title is the
 * item's, whose TLP audience (here AMBER+STRICT for JP) is smaller than the minutes' (AMBER, every
 * invited delegation): it never travels over the live connection, never sits in stored text,
 * versions or adopted records, and every reader's page and export writes it in as they may see it.
 */

const TITLE = "zqstrictjpchiptitle";
let collab: Awaited<ReturnType<typeof listenForCollab>>;
let world: Awaited<ReturnType<typeof build>>;

async function build() {
  const cast = await createCast();
  const jpHead = await createMember(cast.body, "head", "JP");
  const jpDelegate = await createMember(cast.body, "delegate", "JP");
  const krHead = await createMember(cast.body, "head", "KR");
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "11", date: `${year}-05-04`, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/chips" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id), confirmNoLink: "on" } });
  const item = await createAction({
    actor: jpDelegate.actor,
    input: { bodyId: cast.body.body.id, title: TITLE, ownerDelegationId: cast.body.delegations.JP.id, dueKind: "date", dueDate: `${year}-06-01`, marking: "TLP:AMBER+STRICT", originMeetingId: meeting.id },
  });
  return { cast, jpHead, jpDelegate, krHead, meeting, item };
}

/** A document with one chip, written as editors before ADR 042 wrote it: with the item's title. */
const legacyDoc = (item: { id: string; ref: number }, title: string): JSONContent => ({
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2, agendaItemId: null }, content: [{ type: "text", text: "Action items" }] },
    { type: "paragraph", content: [{ type: "text", text: "Raised: " }, { type: "actionItem", attrs: { id: item.id, ref: item.ref, title } }] },
  ],
});

/** Everything stored of a meeting's live minutes, as bytes. */
async function storedBytes(meetingId: string): Promise<string> {
  const updates = await db().select({ update: minutesUpdates.update }).from(minutesUpdates).where(eq(minutesUpdates.meetingId, meetingId));
  const snapshots = await db().select({ state: minutesSnapshots.state }).from(minutesSnapshots).where(eq(minutesSnapshots.meetingId, meetingId));
  return [...updates.map((u) => u.update), ...snapshots.map((s) => s.state)].map((b) => Buffer.from(new Uint8Array(b)).toString("latin1")).join("");
}

async function connectRaw(user: { id: string }, meetingId: string) {
  const raw = await rawCollab({ url: collab.url, cookie: await cookieFor(user.id), documentName: minutesDocumentName(meetingId) });
  await raw.synced;
  return raw;
}

async function closeRaw(raw: Awaited<ReturnType<typeof connectRaw>>) {
  raw.socket.close();
  await raw.closed;
}

const until = async (what: string, check: () => boolean | Promise<boolean>) => {
  for (let tries = 0; !(await check()); tries++) {
    if (tries > 150) throw new Error(`never: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

beforeAll(async () => {
  collab = await listenForCollab();
  world = await build();
  // The meeting's minutes as an older editor left them: the chip with its title, stored.
  await appendUpdate(world.meeting.id, jsonToUpdate(legacyDoc(world.item, TITLE)), null);
}, 60_000);

afterAll(async () => {
  await shutdownCollab();
  await collab.close();
});

describe("action-item chips in the live minutes (ADR 042)", () => {
  it("a title stored in the document reaches no client, inside the item's audience or not, and is gone from storage", async () => {
    for (const reader of [world.krHead, world.jpDelegate]) {
      const raw = await connectRaw(reader.user, world.meeting.id);
      try {
        const received = raw.received().toString("latin1");
        expect(received, "the chip's reference").toContain(world.item.id);
        expect(received.includes(TITLE), "the title over the connection").toBe(false);
        expect(JSON.stringify(docToJSON(raw.doc))).not.toContain(TITLE);
      } finally {
        await closeRaw(raw);
      }
    }
    expect((await storedBytes(world.meeting.id)).includes(TITLE), "the title in the stored rows").toBe(false);
  });

  it("each reader's page gets the chip's title as they may see it; a change of the item reaches open pages at once", async () => {
    const outside = await getMinutesPage({ actor: world.krHead.actor, meetingId: world.meeting.id });
    expect(outside.chips.find((c) => c.id === world.item.id)).toMatchObject({ restricted: true, title: "" });
    const inside = await getMinutesPage({ actor: world.jpDelegate.actor, meetingId: world.meeting.id });
    expect(inside.chips.find((c) => c.id === world.item.id)).toMatchObject({ restricted: false, title: TITLE });

    const raw = await connectRaw(world.krHead.user, world.meeting.id);
    try {
      const [row] = await db().select().from(actionItems).where(eq(actionItems.id, world.item.id));
      await updateProgress({ actor: world.jpDelegate.actor, input: { itemId: row.id, version: String(row.version), status: "in_progress" } });
      await until("a notice of the item's change", () => raw.notices.some((n) => JSON.parse(n).what === "actions"));
      // The notice says only that something changed: the page's data (per reader) says what.
      expect(raw.notices.join("\n")).not.toContain(TITLE);
      expect(raw.received().toString("latin1").includes(TITLE)).toBe(false);
    } finally {
      await closeRaw(raw);
    }
  });

  it("the adopted record, its hash, its search text and its exports hold the chip as a reference; each reader's export writes in the title they may see, as it is now", async () => {
    const { meeting, cast } = world;
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    for (const head of [cast.head, world.jpHead, world.krHead]) await approveMinutes({ actor: head.actor, input: { meetingId: meeting.id } });
    await adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const [record] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    expect(JSON.parse(record.json).content[1].content[1]).toEqual({ type: "actionItem", attrs: { id: world.item.id, ref: world.item.ref } });
    expect(record.html).toContain(`No.${world.item.ref}</span>`);
    expect(record.text).toContain(`[No.${world.item.ref}]`);
    for (const stored of [record.json, record.html, record.text]) expect(stored).not.toContain(TITLE);
    expect(record.sha256).toBe(sha256(record.html));
    const [row] = await db().select({ text: minutes.text }).from(minutes).where(eq(minutes.meetingId, meeting.id));
    expect(row.text).not.toContain(TITLE);

    // Search: the minutes are never found by the title (their snippet would show it); the item is, by those who may read it.
    for (const [reader, may] of [[world.krHead, false], [world.jpDelegate, true]] as const) {
      const found = await search({ actor: reader.actor, input: { q: TITLE } });
      expect(found.hits.minutes, "minutes hits").toEqual([]);
      expect(found.hits.actions.some((h) => h.id === world.item.id), "the item itself").toBe(may);
    }

    const exported = async (reader: { actor: typeof world.krHead.actor }) =>
      (await minutesFile({ actor: reader.actor, meetingId: meeting.id, locale: "en", source: { kind: "record", amendment: 0 }, format: "md" })).content.toString("utf8");
    expect(await exported(world.krHead)).not.toContain(TITLE);
    expect(await exported(world.krHead)).toContain("Action item for a narrower audience");
    expect(await exported(world.jpDelegate)).toContain(TITLE);

    // Re-titled: the record's text and hash stay as adopted; the chip reads the item's title as it is now.
    const [item] = await db().select().from(actionItems).where(eq(actionItems.id, world.item.id));
    await editAction({
      actor: world.jpDelegate.actor,
      input: { itemId: item.id, version: String(item.version), title: `${TITLE}renamed`, ownerDelegationId: item.ownerDelegationId, dueKind: "date", dueDate: item.dueDate, marking: item.marking, originMeetingId: meeting.id },
    });
    expect(await exported(world.jpDelegate)).toContain(`${TITLE}renamed`);
    expect(await exported(world.krHead)).not.toContain(TITLE);
    const [again] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    expect(again.sha256).toBe(record.sha256);
  });
});

describe("the one-time pass over minutes stored with chip titles (ADR 042)", () => {
  it("makes the live rows, versions, search text and adopted records references only, keeps approvals current, records the record's new hash, and runs once", async () => {
    const { cast, item } = world;
    const year = new Date().getUTCFullYear() + 1;
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "12", date: `${year}-07-06`, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/pass" },
    });
    // What an older server stored: the title in the live rows, a version, the search text, an approval's hash and a record.
    const json = legacyDoc(item, TITLE);
    const update = jsonToUpdate(json);
    await appendUpdate(meeting.id, update, null);
    const state = new Y.Doc();
    Y.applyUpdate(state, update);
    const oldHash = sha256(JSON.stringify(json));
    const html = await jsonToHTML(json);
    const legacyText = jsonToText(json);
    expect(legacyText).toContain(TITLE);
    await db().insert(minutes).values({ meetingId: meeting.id, bodyId: cast.body.body.id, status: "adopted", text: legacyText, contentHash: oldHash });
    await db().insert(minutesVersions).values({ meetingId: meeting.id, kind: "adopted", state: Buffer.from(Y.encodeStateAsUpdateV2(state)), contentHash: oldHash, at: new Date() });
    await db().insert(minutesApprovals).values({ meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.head.user.id, contentHash: oldHash, at: new Date() });
    await db().insert(minutesRecords).values({ meetingId: meeting.id, json: JSON.stringify(json), html, text: legacyText, sha256: sha256(html), adoptedAt: new Date() });
    await until("the legacy text indexed", async () => (await search({ actor: cast.secretariat.actor, input: { q: TITLE } })).hits.minutes.some((h) => h.id === meeting.id));

    await db().delete(dataPasses).where(eq(dataPasses.name, CHIP_REFERENCES_PASS));
    const counts = await runChipReferencesPass();
    expect(counts.documents).toBeGreaterThanOrEqual(1);
    expect(counts.versions).toBeGreaterThanOrEqual(1);
    expect(counts.records).toBeGreaterThanOrEqual(1);

    expect((await storedBytes(meeting.id)).includes(TITLE), "the live rows").toBe(false);
    const [version] = await db().select().from(minutesVersions).where(eq(minutesVersions.meetingId, meeting.id));
    expect(Buffer.from(new Uint8Array(version.state)).toString("latin1").includes(TITLE), "the version").toBe(false);
    const [row] = await db().select().from(minutes).where(eq(minutes.meetingId, meeting.id));
    expect(row.text).not.toContain(TITLE);
    expect(row.text).toContain(`[No.${item.ref}]`);
    expect(row.contentHash).toBe(version.contentHash);
    const [approval] = await db().select().from(minutesApprovals).where(eq(minutesApprovals.meetingId, meeting.id));
    expect(approval.contentHash, "the approval follows the text's new hash").toBe(row.contentHash);
    const [record] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    for (const stored of [record.json, record.html, record.text]) expect(stored).not.toContain(TITLE);
    expect(record.sha256).toBe(sha256(record.html));
    const [rehash] = await db().select().from(auditEvents).where(and(eq(auditEvents.entityId, meeting.id), eq(auditEvents.action, "minutes.record.rehash")));
    expect(rehash.before).toEqual({ amendment: 0, sha256: sha256(html) });
    expect(rehash.after).toEqual({ amendment: 0, sha256: record.sha256 });
    await until("the search index follows", async () => !(await search({ actor: cast.secretariat.actor, input: { q: TITLE } })).hits.minutes.length);

    // Once per database; and run again regardless, it finds nothing left to change.
    expect(await runChipReferencesPass()).toEqual({ documents: 0, versions: 0, records: 0, annexes: 0 });
    await db().delete(dataPasses).where(eq(dataPasses.name, CHIP_REFERENCES_PASS));
    expect(await runChipReferencesPass()).toEqual({ documents: 0, versions: 0, records: 0, annexes: 0 });
  });
  it("leaves the search text of minutes that have no live document as it was", async () => {
    // Minutes whose text was stored without a live document (imported, or written before live
    // minutes existed): the pass has nothing to rewrite and must not blank the text — it did,
    // which emptied the 100,000-paragraph search bench's minutes at its server's first start.
    const year = new Date().getUTCFullYear() + 1;
    const meeting = await createMeeting({
      actor: world.cast.secretariat.actor,
      input: { bodyId: world.cast.body.body.id, ordinal: "12", date: `${year}-08-04`, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/plain" },
    });
    const text = "zqplaintext the delegations exchanged views 注意喚起 해킹";
    await db().delete(minutes).where(eq(minutes.meetingId, meeting.id));
    await db().insert(minutes).values({ meetingId: meeting.id, bodyId: world.cast.body.body.id, status: "adopted", text });
    await db().delete(dataPasses).where(eq(dataPasses.name, CHIP_REFERENCES_PASS));
    await runChipReferencesPass();
    const [row] = await db().select().from(minutes).where(eq(minutes.meetingId, meeting.id));
    expect(row.text).toBe(text);
  });
});
