import { and, eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { annexRecords, annexUpdates, annexVersions, auditEvents, minutesRecords, outboxMessages } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { connectMinutes } from "#tests/support/collab-client";
import { listenForCollab } from "#tests/support/collab-server";
import { annexDocumentName } from "~/lib/annex-schema";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { db } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { annexFile, getAnnexPage, openAnnex } from "~/models/annex/annex.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { adoptMinutes, approveMinutes, circulateMinutes } from "~/models/minutes/minutes.server";
import { search } from "~/models/search/search.server";
import { shutdownCollab } from "~/server/collab.server";
import { annexKind } from "~/server/collab/annex-kind.server";

/**
 * The restricted annex's versions and adopted record (ADR 042 addendum): kept when the minutes
 * are circulated, adopted with them as a record of its own with its own SHA-256, exported
 * (stamped, TLP:RED) to its audience only, audited, and found by no search or mail.
 */

const WORD = "zvannexrecordword";
let collab: Awaited<ReturnType<typeof listenForCollab>>;

beforeAll(async () => {
  collab = await listenForCollab();
});

afterAll(async () => {
  await shutdownCollab();
  await collab.close();
});

const pdfText = async (content: Buffer) => {
  const parser = new PDFParse({ data: new Uint8Array(content) });
  const { text } = await parser.getText();
  await parser.destroy();
  return text.replace(/\s+/g, " ");
};

describe("the restricted annex's versions and adopted record", () => {
  it("are kept at circulation and adoption, for the TLP:RED audience only, with the record's own SHA-256, audited and never searched or mailed", async () => {
    const cast = await createCast();
    const heads = [cast.head, await createMember(cast.body, "head", "JP"), await createMember(cast.body, "head", "KR")];
    const year = new Date().getUTCFullYear() + 1;
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "21", date: `${year}-08-04`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
    });
    await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const writer = connectMinutes({ url: collab.url, cookie: await cookieFor(cast.secretariat.user.id), meetingId: meeting.id, documentName: annexDocumentName(meeting.id) });
    try {
      await writer.whenSynced();
      writer.appendParagraph(`${WORD} attribution`);
      await writer.whenAcknowledged();
    } finally {
      writer.close();
    }

    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const circulated = await db().select().from(annexVersions).where(eq(annexVersions.meetingId, meeting.id));
    expect(circulated.map((v) => v.kind)).toEqual(["circulated"]);
    expect(Buffer.from(new Uint8Array(circulated[0].state)).toString("utf8")).toContain(WORD);

    for (const head of heads) await approveMinutes({ actor: head.actor, input: { meetingId: meeting.id } });
    await adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const [record] = await db().select().from(annexRecords).where(eq(annexRecords.meetingId, meeting.id));
    expect(record.amendment).toBe(0);
    expect(record.html).toContain(WORD);
    expect(record.sha256).toBe(sha256(record.html));
    const versions = await db().select().from(annexVersions).where(eq(annexVersions.meetingId, meeting.id));
    expect(versions.map((v) => v.kind).sort()).toEqual(["adopted", "circulated"]);
    // The minutes' own record is not the annex's: nothing of it in there.
    const [minutesRecord] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    expect(minutesRecord.html).not.toContain(WORD);

    // Audited: frozen at circulation, adopted with the minutes with its hash (and no words of it).
    const audits = await db().select().from(auditEvents).where(and(eq(auditEvents.entityId, meeting.id)));
    expect(audits.find((a) => a.action === "minutes.annex.circulate")?.after).toMatchObject({ marking: "TLP:RED", contentHash: circulated[0].contentHash });
    expect(audits.find((a) => a.action === "minutes.annex.adopt")?.after).toEqual({ marking: "TLP:RED", amendment: 0, sha256: record.sha256 });
    expect(JSON.stringify(audits)).not.toContain(WORD);

    // Its audience (the heads and the secretariat, the list not being published): the page lists them; exports say what they are.
    const page = await getAnnexPage({ actor: cast.head.actor, meetingId: meeting.id });
    expect(page.records.map((r) => [r.amendment, r.sha256])).toEqual([[0, record.sha256]]);
    expect(page.versions.map((v) => v.kind)).toEqual(["circulated", "adopted"]);
    const md = (await annexFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en", format: "md", source: { kind: "record", amendment: 0 } })).content.toString("utf8");
    expect(md).toContain(WORD);
    expect(md).toContain("Adopted record");
    expect(md).toContain(record.sha256);
    const pdf = await pdfText((await annexFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en", format: "pdf", source: { kind: "record", amendment: 0 } })).content);
    expect(pdf).toContain("TLP:RED");
    expect(pdf).toContain(cast.head.user.name);
    expect(pdf).toContain(record.sha256);
    const version = (await annexFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en", format: "md", source: { kind: "version", id: circulated[0].id } })).content.toString("utf8");
    expect(version).toContain(WORD);
    expect(version).toContain("not adopted");
    await expect(annexFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en", format: "md", source: { kind: "record", amendment: 4 } })).rejects.toBeInstanceOf(NotFoundError);

    // Outside it (a delegate, not a head): no page, no record, no version.
    await expect(getAnnexPage({ actor: cast.delegate.actor, meetingId: meeting.id })).rejects.toBeInstanceOf(NotFoundError);
    for (const source of [{ kind: "record", amendment: 0 }, { kind: "version", id: circulated[0].id }] as const) {
      await expect(annexFile({ actor: cast.delegate.actor, meetingId: meeting.id, locale: "en", format: "md", source })).rejects.toBeInstanceOf(NotFoundError);
    }

    // Never in search or mail, whoever asks: the adoption's mail carries the minutes only.
    for (const actor of [cast.secretariat.actor, cast.head.actor]) expect(Object.values((await search({ actor, input: { q: WORD } })).hits).flat()).toEqual([]);
    const mail = await db().select({ text: outboxMessages.text, subject: outboxMessages.subject }).from(outboxMessages).where(eq(outboxMessages.bodyId, cast.body.body.id));
    expect(mail.length).toBeGreaterThan(0);
    expect(JSON.stringify(mail)).not.toContain(WORD);
  });

  it("refuses a person's edit that arrives after circulation, before the editors are reconnected read-only", async () => {
    const cast = await createCast();
    const year = new Date().getUTCFullYear() + 1;
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "22", date: `${year}-08-11`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
    });
    await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const edit = () => {
      const doc = new Y.Doc();
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("zvlateannexedit")]);
      doc.getXmlFragment(MINUTES_FIELD).insert(0, [paragraph]);
      return Y.encodeStateAsUpdate(doc);
    };
    const stored = async () => (await db().select({ id: annexUpdates.id }).from(annexUpdates).where(eq(annexUpdates.meetingId, meeting.id))).length;
    // While the minutes are a draft, an edit as the collaboration server receives it is stored.
    const before = await stored();
    await annexKind.append(meeting.id, edit(), cast.secretariat.user.id);
    expect(await stored()).toBe(before + 1);
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    // The same edit a moment later, on a connection not yet closed: refused, nothing stored.
    const frozen = await stored();
    await expect(annexKind.append(meeting.id, edit(), cast.secretariat.user.id)).rejects.toThrow(/frozen/);
    expect(await stored()).toBe(frozen);
  });
});
