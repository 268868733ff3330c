import { PDFDict, PDFDocument, PDFHexString, PDFName } from "@cantoo/pdf-lib";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { renderPdf } from "~/lib/documents/pdf.server";
import { bindBook, imageToPdf, isStampable, stampPdf } from "~/lib/documents/stamp.server";

async function textOf(bytes: Uint8Array) {
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  const result = await parser.getText();
  await parser.destroy();
  return result;
}

const twoPages = () =>
  renderPdf({
    title: "Threat assessment",
    marking: "TLP:CLEAR",
    lang: "en",
    blocks: Array.from({ length: 120 }, (_, i) => ({ type: "paragraph" as const, content: [{ text: `Paragraph ${i} about laundering routes.` }] })),
  });

// A 1×1 red PNG.
const PNG = new Uint8Array(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64"));

describe("stamping", () => {
  it("puts the marking and the reader's name, in any script, on every page", async () => {
    const source = new Uint8Array(await twoPages());
    const stamped = await stampPdf(source, { marking: "TLP:AMBER", forWhom: "For 山田 花子 · 김민준 — 2027-03-01" });
    const { pages } = await textOf(stamped);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) {
      expect(page.text).toContain("TLP:AMBER");
      expect(page.text).toContain("山田 花子");
      expect(page.text).toContain("김민준");
      expect(page.text).toContain("laundering routes");
    }
  });

  it("refuses what it cannot open", async () => {
    expect(await isStampable(new TextEncoder().encode("%PDF-1.7 not really"))).toBe(false);
    expect(await isStampable(new Uint8Array(await twoPages()))).toBe(true);
  });

  it("turns an image into a page", async () => {
    const pdf = await imageToPdf(PNG, "image/png");
    expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });

  it("binds a book with bookmarks, page numbers and each section's marking", async () => {
    const book = await bindBook(
      [
        { title: "Agenda", marking: "TLP:GREEN", pdf: new Uint8Array(await twoPages()) },
        { title: "TCCB/5/INF.1 Scenario", marking: "TLP:RED", pdf: await imageToPdf(PNG, "image/png") },
      ],
      { title: "Meeting book", forWhom: "For Jane Roe", pageLabel: (n, total) => `Page ${n} of ${total}` },
    );
    const { pages, total } = await textOf(book);
    expect(pages[0].text).toContain("TLP:GREEN");
    expect(pages[0].text).toContain(`Page 1 of ${total}`);
    expect(pages[total - 1].text).toContain("TLP:RED");
    expect(pages[total - 1].text).toContain("For Jane Roe");
    const doc = await PDFDocument.load(book);
    const outlines = doc.catalog.lookup(PDFName.of("Outlines"), PDFDict);
    expect(outlines.get(PDFName.of("Count"))?.toString()).toBe("2");
    const first = outlines.lookup(PDFName.of("First"), PDFDict);
    expect(first.lookup(PDFName.of("Title"), PDFHexString).decodeText()).toBe("Agenda");
  });
});
