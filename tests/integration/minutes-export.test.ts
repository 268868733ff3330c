import mammoth from "mammoth";
import { eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { minutesRecords } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { db } from "~/lib/db.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { minutesFile } from "~/models/minutes/export.server";
import { adoptMinutes, approveMinutes, circulateMinutes } from "~/models/minutes/minutes.server";
import { createMeeting } from "~/models/meetings/meetings.server";

/** Every export says what it is: the adopted record with its adoption, approvals and hash; a draft as a draft. */

afterAll(async () => {
  await shutdownCollab();
});

const pdfText = async (content: Buffer) => {
  const parser = new PDFParse({ data: new Uint8Array(content) });
  const { text } = await parser.getText();
  await parser.destroy();
  // Long lines wrap in the PDF: compare without line breaks.
  return text.replace(/\s+/g, " ");
};

describe("exports of the minutes", () => {
  it("of the adopted record carry its status, adoption time, approvals and SHA-256; the draft says it is not adopted", async () => {
    const cast = await createCast();
    const heads = [cast.head, await createMember(cast.body, "head", "JP"), await createMember(cast.body, "head", "KR")];
    const year = new Date().getUTCFullYear() + 1;
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "9", date: `${year}-06-02`, time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/minutes" },
    });
    await withDocument(meeting.id, (doc) => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("The body adopted the joint advisory.")]);
      doc.getXmlFragment(MINUTES_FIELD).push([p]);
    });
    const draft = await minutesFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", source: { kind: "current" }, format: "pdf" });
    expect(await pdfText(draft.content)).toContain("Draft (not adopted)");

    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    for (const head of heads) await approveMinutes({ actor: head.actor, input: { meetingId: meeting.id } });
    await adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const [record] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));

    const source = { kind: "record", amendment: 0 } as const;
    const pdf = await pdfText((await minutesFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", source, format: "pdf" })).content);
    const md = (await minutesFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", source, format: "md" })).content.toString("utf8");
    const docx = (await mammoth.extractRawText({ buffer: (await minutesFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", source, format: "docx" })).content })).value;
    for (const text of [pdf, md, docx]) {
      expect(text).toContain("Adopted record");
      expect(text).toContain("Approvals");
      for (const head of heads) expect(text).toContain(head.user.name);
      expect(text).toContain(record.sha256);
      expect(text).not.toContain("Draft");
    }
    // The hash is in the footer of every page too, beside the status and the adoption date.
    expect(pdf).toMatch(new RegExp(`Adopted record · Adopted [^·]+ · SHA-256 of the adopted record: ${record.sha256}`));
  });
});
