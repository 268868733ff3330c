import { and, eq } from "drizzle-orm";
import JSZip from "jszip";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { annexUpdates, auditEvents, minutesUpdates } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { expectConsoleError } from "#tests/setup/console";
import { connectMinutes, type MinutesClient } from "#tests/support/collab-client";
import { listenForCollab } from "#tests/support/collab-server";
import { changeOf, rawCollab, type RawCollab } from "#tests/support/raw-collab";
import { annexDocumentName } from "~/lib/annex-schema";
import { db } from "~/lib/db.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { jsonToText, docToJSON } from "~/lib/minutes-doc.server";
import { annexFile, getAnnexPage, openAnnex } from "~/models/annex/annex.server";
import { loadAnnexInto } from "~/models/annex/store.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createOutcome } from "~/models/outcomes/outcomes.server";
import { outcomeDocumentName } from "~/lib/outcome-schema";
import { circulateMinutes } from "~/models/minutes/minutes.server";
import { addParticipant, publishList } from "~/models/participants/participants.server";
import { shutdownCollab } from "~/server/collab.server";

/**
 * The restricted annex (ADR 037) against the real collaboration server: opened once and
 * audited, stored before acknowledged like the minutes, exported marked TLP:RED with the reader's
 * name on every page, frozen with the minutes, and re-decided at once when the meeting's RED
 * audience changes (the list of participants published). Who reaches it on which channel is in
 * the TLP table (tlp.test.ts).
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let cast: Awaited<ReturnType<typeof createCast>>;
const clients: MinutesClient[] = [];
const raws: RawCollab[] = [];
let ordinal = 0;

beforeAll(async () => {
  collab = await listenForCollab();
  cast = await createCast();
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const r of raws) r.socket.close();
  await shutdownCollab();
  await collab.close();
});

async function newMeeting() {
  ordinal += 1;
  const year = new Date().getUTCFullYear() + 1;
  return createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: String(ordinal), date: `${year}-04-${String(10 + ordinal).padStart(2, "0")}`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
  });
}

async function annexClient(userId: string, meetingId: string) {
  const c = connectMinutes({ url: collab.url, cookie: await cookieFor(userId), meetingId, documentName: annexDocumentName(meetingId) });
  clients.push(c);
  await c.whenSynced();
  return c;
}

async function raw(userId: string, meetingId: string) {
  const r = await rawCollab({ url: collab.url, cookie: await cookieFor(userId), documentName: annexDocumentName(meetingId) });
  raws.push(r);
  return r;
}

const textOf = (doc: Y.Doc) => jsonToText(docToJSON(doc));

describe("the restricted annex", () => {
  it("is opened once, by someone in its TLP:RED audience, with an audit event; a delegate outside it is told nothing", async () => {
    const meeting = await newMeeting();
    await expect(openAnnex({ actor: cast.delegate.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(getAnnexPage({ actor: cast.delegate.actor, meetingId: meeting.id })).rejects.toBeInstanceOf(NotFoundError);
    expect(await openAnnex({ actor: cast.head.actor, input: { meetingId: meeting.id } })).toEqual({ created: true });
    expect(await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } })).toEqual({ created: false });
    const events = await db().select().from(auditEvents).where(and(eq(auditEvents.entityId, meeting.id), eq(auditEvents.action, "minutes.annex.create")));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actorId: cast.head.user.id, entityType: "minutes", after: { marking: "TLP:RED" } });
    const page = await getAnnexPage({ actor: cast.head.actor, meetingId: meeting.id });
    expect(page).toMatchObject({ open: true, writable: true, marking: "TLP:RED", audience: "heads" });
  });

  it("stores every update before acknowledging it, in its own tables: what a head typed is stored once acknowledged, survives the server, and never reaches the minutes", async () => {
    const meeting = await newMeeting();
    await openAnnex({ actor: cast.head.actor, input: { meetingId: meeting.id } });
    const head = await annexClient(cast.head.user.id, meeting.id);
    head.appendParagraph("zqannexstored the source is a liaison officer");
    await head.whenAcknowledged();
    // Acknowledged means stored: read from the database, not from the live document.
    const stored = new Y.Doc();
    await loadAnnexInto(meeting.id, stored);
    expect(textOf(stored)).toContain("zqannexstored");
    expect((await db().select().from(annexUpdates).where(eq(annexUpdates.meetingId, meeting.id))).some((r) => r.userId === cast.head.user.id)).toBe(true);
    // Nothing of it is in the minutes' storage.
    const minutesRows = await db().select().from(minutesUpdates).where(eq(minutesUpdates.meetingId, meeting.id));
    for (const row of minutesRows) expect(row.update.toString("latin1")).not.toContain("zqannexstored");
    head.close();
    // The server goes (storing what is open) and comes back: the text is still there.
    await shutdownCollab();
    const again = await annexClient(cast.secretariat.user.id, meeting.id);
    expect(textOf(again.doc)).toContain("zqannexstored");
    again.close();
  });

  it("exports PDF, DOCX and Markdown marked TLP:RED on every page and in the footer, with the reader's name", async () => {
    const meeting = await newMeeting();
    await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const writer = await annexClient(cast.secretariat.user.id, meeting.id);
    // Enough text for several pages.
    for (let i = 0; i < 90; i += 1) writer.appendParagraph(`zqannexexport paragraph ${i}: a long sentence about the intrusion set and the infrastructure it used.`);
    await writer.whenAcknowledged();
    writer.close();
    const reader = cast.head;
    const pdf = await annexFile({ actor: reader.actor, meetingId: meeting.id, locale: "en", format: "pdf" });
    expect(pdf.filename).toMatch(/annex-tlp-red\.pdf$/);
    const parser = new PDFParse({ data: new Uint8Array(pdf.content) });
    const { text, pages } = await parser.getText();
    await parser.destroy();
    expect(pages.length).toBeGreaterThan(1);
    expect(text).toContain("zqannexexport paragraph 89");
    for (const page of pages) {
      expect(page.text.match(/TLP:RED/g)?.length ?? 0, `page ${page.num}: marking at top and bottom`).toBeGreaterThanOrEqual(2);
      expect(page.text.replace(/\s+/g, " "), `page ${page.num}: the reader`).toContain(`For ${reader.user.name}`);
    }
    const docx = await annexFile({ actor: reader.actor, meetingId: meeting.id, locale: "ja", format: "docx" });
    const { value } = await mammoth.extractRawText({ buffer: docx.content });
    expect(value).toContain("限定附属書");
    const zip = await JSZip.loadAsync(new Uint8Array(docx.content));
    const parts = Object.keys(zip.files).filter((f) => /word\/(header|footer)\d*\.xml$/.test(f));
    expect(parts.some((p) => p.includes("footer"))).toBe(true);
    for (const part of parts) expect(await zip.file(part)!.async("string")).toContain("TLP:RED");
    const footers = await Promise.all(parts.filter((p) => p.includes("footer")).map((p) => zip.file(p)!.async("string")));
    expect(footers.join("")).toContain(reader.user.name);
    const md = (await annexFile({ actor: reader.actor, meetingId: meeting.id, locale: "ko", format: "md" })).content.toString("utf8");
    expect(md.startsWith("<!-- TLP:RED -->")).toBe(true);
    expect(md).toContain(reader.user.name);
    expect(md.trim().split("\n").at(-1), "the marking closes the file").toContain("TLP:RED");
    // Outside the audience: no file at all.
    await expect(annexFile({ actor: cast.delegate.actor, meetingId: meeting.id, locale: "en", format: "pdf" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("follows the audience at once: publishing the list closes the connection of a head not on it (the one who opened it), whose reconnection is refused with a reason, and admits the delegate on it", async () => {
    const meeting = await newMeeting();
    // Opened by the JP head, who is no author of it: off the list, they lose it like anyone else.
    const jpHead = await createMember(cast.body, "head", "JP");
    await openAnnex({ actor: jpHead.actor, input: { meetingId: meeting.id } });
    const head = await raw(jpHead.user.id, meeting.id);
    expect(await head.answer).toEqual({ admitted: true, scope: "read-write" });
    await head.synced;
    const before = await raw(cast.delegate.user.id, meeting.id);
    expect(await before.answer).toEqual({ admitted: false, reason: "not-found" });
    expect(before.syncMessages()).toBe(0);

    await addParticipant({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.delegate.user.id, role: "expert" } });
    await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    expect((await head.closed).code).toBe(4403);
    // What it sends after the change is never stored.
    const again = await raw(jpHead.user.id, meeting.id);
    expect(await again.answer).toEqual({ admitted: false, reason: "not-found" });
    expect(again.syncMessages()).toBe(0);
    const delegate = await raw(cast.delegate.user.id, meeting.id);
    expect(await delegate.answer).toEqual({ admitted: true, scope: "read-write" });
  });

  it("is frozen with the minutes: circulation closes its editors, they come back read-only and nothing more is stored; it cannot be opened afterwards", async () => {
    const meeting = await newMeeting();
    await openAnnex({ actor: cast.head.actor, input: { meetingId: meeting.id } });
    const head = await raw(cast.head.user.id, meeting.id);
    expect(await head.answer).toEqual({ admitted: true, scope: "read-write" });
    await head.synced;
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    await head.closed;
    // Hocuspocus logs each refused update (the hook's error and the closing).
    expectConsoleError(4);
    for (const person of [cast.head, cast.secretariat]) {
      const back = await raw(person.user.id, meeting.id);
      expect(await back.answer, person.user.name).toEqual({ admitted: true, scope: "readonly" });
      await back.synced;
      const stored = (await db().select().from(annexUpdates).where(eq(annexUpdates.meetingId, meeting.id))).length;
      back.sendUpdate(changeOf(back.doc, (d) => d.getXmlFragment("default").push([new Y.XmlText("zqfrozen")])));
      await back.closed;
      expect((await db().select().from(annexUpdates).where(eq(annexUpdates.meetingId, meeting.id))).length).toBe(stored);
    }
    expect((await getAnnexPage({ actor: cast.head.actor, meetingId: meeting.id })).writable).toBe(false);
    const other = await newMeeting();
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: other.id } });
    await expect(openAnnex({ actor: cast.head.actor, input: { meetingId: other.id } })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("live documents follow their meeting's TLP audience", () => {
  it("invitations going out close the minutes' connection of a member they leave out, whose reconnection is refused; an invited member's stays admitted", async () => {
    const meeting = await newMeeting();
    const kr = await createMember(cast.body, "delegate", "KR");
    const minutesOf = async (userId: string) => {
      const r = await rawCollab({ url: collab.url, cookie: await cookieFor(userId), documentName: `minutes:${meeting.id}` });
      raws.push(r);
      return r;
    };
    // No invitation yet: the meeting's audience is not narrowed, every member reads the minutes.
    const before = await minutesOf(kr.user.id);
    expect(await before.answer).toEqual({ admitted: true, scope: "read-write" });
    await before.synced;
    const us = await minutesOf(cast.delegate.user.id);
    expect(await us.answer).toEqual({ admitted: true, scope: "read-write" });
    await us.synced;
    // The sync step a client sends after the change, if any, is refused as revoked (and logged by Hocuspocus).
    expectConsoleError(2);
    await sendInvitations({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationIds: [cast.body.delegations.US.id, cast.body.delegations.JP.id], confirmNoLink: "on" } });
    expect((await before.closed).code).toBe(4403);
    const again = await minutesOf(kr.user.id);
    expect(await again.answer).toEqual({ admitted: false, reason: "not-found" });
    expect(again.syncMessages()).toBe(0);
    // The US delegate's provider would reconnect and be admitted again.
    expect((await us.closed).code).toBe(4403);
    const back = await minutesOf(cast.delegate.user.id);
    expect(await back.answer).toEqual({ admitted: true, scope: "read-write" });
  });

  it("publishing the list closes a head's connection to a TLP:RED outcome document too; the head, not on the list, is refused on reconnecting", async () => {
    const meeting = await newMeeting();
    const document = await createOutcome({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, title: "Readout", kind: "readout", marking: "TLP:RED" } });
    const connect = async (userId: string) => {
      const r = await rawCollab({ url: collab.url, cookie: await cookieFor(userId), documentName: outcomeDocumentName(document.id) });
      raws.push(r);
      return r;
    };
    const head = await connect(cast.head.user.id);
    expect((await head.answer).admitted).toBe(true);
    await head.synced;
    await addParticipant({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationId: cast.body.delegations.US.id, userId: cast.delegate.user.id, role: "expert" } });
    // A message the client sends after the change, if any, is refused as revoked (and logged by Hocuspocus).
    expectConsoleError(2);
    await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    expect((await head.closed).code).toBe(4403);
    const again = await connect(cast.head.user.id);
    expect(await again.answer).toEqual({ admitted: false, reason: "not-found" });
    expect(again.syncMessages()).toBe(0);
  });
});
