import JSZip from "jszip";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { createCast } from "#tests/factories";
import { NotFoundError } from "~/lib/errors";
import { proposeItem } from "~/models/agenda/agenda.server";
import { agendaFile } from "~/models/agenda/export.server";
import { createMeeting } from "~/models/meetings/meetings.server";

const NOW = new Date("2027-01-10T12:00:00Z");

async function setUp() {
  const cast = await createCast();
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "5", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
  await proposeItem({
    actor: cast.delegate.actor,
    input: { meetingId: meeting.id, title: "暗号資産の洗浄経路に関する分析", description: "<p>분석 결과 공유</p>", kind: "discussion", leadDelegationId: cast.body.delegations.JP.id, minutes: "20", marking: "TLP:RED" },
  });
  return { cast, meeting };
}

describe("agenda exports", () => {
  it("put the items, times in the three capitals and the highest marking into the PDF", async () => {
    const { cast, meeting } = await setUp();
    const { content } = await agendaFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "en", format: "pdf" });
    const parser = new PDFParse({ data: new Uint8Array(content) });
    const { text, pages } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("Agenda of the 5th meeting");
    expect(text).toContain("暗号資産の洗浄経路に関する分析");
    expect(text).toContain("분석 결과 공유");
    expect(text).toContain("Adoption of the minutes of the previous meeting");
    expect(text).toMatch(/\(Washington\)[\s\S]*?19:00–21:00 EST/);
    expect(text).toMatch(/\(Tokyo\)[\s\S]*?09:00–11:00 JST/);
    expect(text).toMatch(/\(Seoul\)[\s\S]*?09:00–11:00 KST/);
    for (const page of pages) expect(page.text.match(/TLP:RED/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    // Column headings wrap between words, never inside one ("Lead de / legatio / n").
    expect(text).toMatch(/\bdelegation\b/);
    expect(text).not.toMatch(/legatio\s/);
  });

  it("give item times in the reader's zone, or in a member capital's when asked", async () => {
    const { cast, meeting } = await setUp();
    const textOf = async (zone?: string) => {
      const { content } = await agendaFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", format: "pdf", zone });
      const parser = new PDFParse({ data: new Uint8Array(content) });
      const { text } = await parser.getText();
      await parser.destroy();
      return text;
    };
    // The official is American: their own clock by default.
    expect(await textOf()).toMatch(/Item times in Washington EST\.[\s\S]*1 19:00 Adoption/);
    const tokyo = await textOf("Asia/Tokyo");
    expect(tokyo).toMatch(/Item times in Tokyo JST\.[\s\S]*1 09:00 Adoption/);
    // Anything else falls back to the reader's own zone.
    expect(await textOf("Europe/Paris")).toMatch(/Item times in Washington EST\./);
  });

  it("put the same into the DOCX, with the marking in its header and footer, in Japanese", async () => {
    const { cast, meeting } = await setUp();
    const { content } = await agendaFile({ actor: cast.head.actor, meetingId: meeting.id, locale: "ja", format: "docx" });
    const { value } = await mammoth.extractRawText({ buffer: content });
    expect(value).toContain("第5回会合");
    expect(value).toContain("暗号資産の洗浄経路に関する分析");
    expect(value).toContain("韓国時間");
    expect(value).toContain("議題の時刻はワシントン 米国東部標準時で表示しています。");
    const zip = await JSZip.loadAsync(new Uint8Array(content));
    const parts = Object.keys(zip.files).filter((f) => /word\/(header|footer)\d*\.xml$/.test(f));
    expect(parts.some((p) => p.includes("header"))).toBe(true);
    expect(parts.some((p) => p.includes("footer"))).toBe(true);
    for (const part of parts) expect(await zip.file(part)!.async("string")).toContain("TLP:RED");
  });

  it("show a reader outside a TLP:RED item's audience a placeholder with its minutes, not its words", async () => {
    const { cast, meeting } = await setUp();
    const { content } = await agendaFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", format: "pdf" });
    const parser = new PDFParse({ data: new Uint8Array(content) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).not.toContain("暗号資産の洗浄経路に関する分析");
    expect(text).not.toContain("분석 결과 공유");
    expect(text).toContain("Item for a narrower audience (TLP:RED)");
    expect(text).toMatch(/Item for a narrower audience \(TLP:RED\)\s+—\s+20\s+TLP:RED|narrower audience \(TLP:RED\)[^\n]*\n?[^\n]*20/);
  });

  it("are not for anyone outside the body", async () => {
    const { cast, meeting } = await setUp();
    await expect(agendaFile({ actor: cast.outsider.actor, meetingId: meeting.id, locale: "en", format: "pdf" })).rejects.toBeInstanceOf(NotFoundError);
  });
});
