import JSZip from "jszip";
import mammoth from "mammoth";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { renderDocx } from "~/lib/documents/docx.server";
import { htmlToBlocks } from "~/lib/documents/html.server";
import type { Block, DocumentModel } from "~/lib/documents/model";
import { renderPdf } from "~/lib/documents/pdf.server";

// The generated files are read back with independent readers (pdf.js via pdf-parse, mammoth,
// the raw OOXML parts): the tests check what a reader sees, not bytes.

const JA = "日本の代表団は次回会合の日程について提案した。";
const KO = "대한민국 대표단은 공동성명 초안을 검토했다.";
const MIXED = "Presenter: 김민준 (KR)";
const MARKING = "TLP:AMBER+STRICT";

function sampleDocument(items = 12): DocumentModel {
  const blocks: Block[] = [
    { type: "heading", level: 1, text: "Opening / 開会 / 개회", marking: "TLP:GREEN" },
    { type: "paragraph", content: [{ text: MIXED }] },
    { type: "paragraph", content: [{ text: JA }] },
    { type: "paragraph", content: [{ text: KO }] },
    {
      type: "paragraph",
      content: [{ text: "See " }, { text: "the draft", link: "https://example.org/draft" }, { text: " and " }, { text: "comment", bold: true }, { text: " by Friday.", italic: true }],
    },
    { type: "list", ordered: true, items: [[{ text: "Adopt the agenda" }], [{ text: "議事録の承認" }], [{ text: "공동성명 검토" }]] },
    { type: "quote", content: [{ text: "We reaffirm our trilateral cooperation." }] },
    {
      type: "table",
      header: ["Action", "Owner", "Due"],
      widths: [3, 2, 1],
      rows: [
        ["Circulate the revised draft", "外務省", "2027-03-15"],
        ["Confirm the venue", "외교부", "2027-03-20"],
      ],
    },
    { type: "note", text: "Times are given in the three capitals." },
  ];
  for (let i = 1; i <= items; i++) {
    blocks.push({ type: "heading", level: 2, text: `Item ${i}: regional outlook / 地域情勢 / 지역 정세` });
    blocks.push({
      type: "paragraph",
      content: [{ text: `The delegations exchanged views on item ${i}. ${JA} ${KO} Follow-up will be discussed at the next working-level meeting. `.repeat(2) }],
    });
  }
  return {
    title: "Trilateral Consultative Body — 12th Plenary",
    subtitle: "日米韓協議体 / 한미일 협의체",
    marking: MARKING,
    lang: "ja",
    meta: [
      { label: "Washington", value: "2027-03-01 00:00 EST" },
      { label: "東京", value: "2027-03-01 14:00 JST" },
      { label: "서울", value: "2027-03-01 14:00 KST" },
    ],
    blocks,
    footerNote: "Generated 2027-03-01 05:00 UTC",
  };
}

async function readPdf(buffer: Buffer) {
  const parser = new PDFParse({ data: new Uint8Array(buffer) });
  try {
    const text = await parser.getText();
    const info = await parser.getInfo({ parsePageInfo: true });
    return { text, info };
  } finally {
    await parser.destroy();
  }
}

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

describe("htmlToBlocks", () => {
  it("converts the rich-text subset into blocks", () => {
    const html = [
      "<h3>Background &amp; scope</h3>",
      '<p>The <strong>joint <em>statement</em></strong> draft &lt;v2&gt; is <a href="https://example.org/a?x=1&amp;y=2">here</a>.<br>Second   line</p>',
      "<ul><li><p>First</p></li><li>Second<ul><li>Nested</li></ul></li></ul>",
      "<ol><li>One</li><li><u>Two</u> <s>old</s> <code>x</code></li></ol>",
      "<blockquote><p>Quoted</p></blockquote>",
      "<pre>\na  b\nc\n</pre>",
      "<h4>Sub</h4>",
      "loose <i>text</i>",
    ].join("\n");
    expect(htmlToBlocks(html)).toEqual([
      { type: "heading", level: 3, text: "Background & scope" },
      {
        type: "paragraph",
        content: [
          { text: "The " },
          { text: "joint ", bold: true },
          { text: "statement", bold: true, italic: true },
          { text: " draft <v2> is " },
          { text: "here", link: "https://example.org/a?x=1&y=2" },
          { text: ".\nSecond line" },
        ],
      },
      { type: "list", ordered: false, items: [[{ text: "First" }], [{ text: "Second" }], [{ text: "– Nested" }]] },
      { type: "list", ordered: true, items: [[{ text: "One" }], [{ text: "Two old x" }]] },
      { type: "quote", content: [{ text: "Quoted" }] },
      { type: "paragraph", content: [{ text: "a  b\nc" }] },
      { type: "paragraph", content: [{ text: "Sub", bold: true }] },
      { type: "paragraph", content: [{ text: "loose " }, { text: "text", italic: true }] },
    ]);
  });

  it("returns nothing for empty or whitespace-only input", () => {
    expect(htmlToBlocks("")).toEqual([]);
    expect(htmlToBlocks("<p> </p>\n<p><br></p>")).toEqual([]);
  });
});

describe("renderPdf", () => {
  it("writes extractable English, Japanese, Korean and mixed text, with the marking on every page", async () => {
    const { text, info } = await readPdf(await renderPdf(sampleDocument()));

    expect(text.total).toBeGreaterThanOrEqual(2);
    const all = text.text;
    for (const expected of ["Trilateral Consultative Body — 12th Plenary", "日米韓協議体 / 한미일 협의체", JA, KO, MIXED, "Washington: 2027-03-01 00:00 EST", "서울: 2027-03-01 14:00 KST"]) {
      expect(all).toContain(expected);
    }
    for (const cell of ["Action", "Owner", "Due", "Circulate the revised draft", "外務省", "외교부", "2027-03-20"]) expect(all).toContain(cell);
    expect(all).toContain("Adopt the agenda");
    expect(all).toContain("공동성명 검토");
    expect(all).toContain("We reaffirm our trilateral cooperation.");
    expect(all).toContain("TLP:GREEN"); // the section's own label

    // Header and footer: the marking twice on every page, page numbers and the footer note.
    text.pages.forEach((page, i) => {
      expect(count(page.text, MARKING)).toBe(2);
      expect(page.text).toContain(`${i + 1} / ${text.total}`);
      expect(page.text).toContain("Generated 2027-03-01 05:00 UTC");
    });

    expect(info.info?.Title).toBe("Trilateral Consultative Body — 12th Plenary");
    expect(info.info?.Language).toBe("ja-JP");
    expect(info.pages[0].links.map((l) => l.url)).toContain("https://example.org/draft");
    expect(Math.round(info.pages[0].width)).toBe(595); // A4
  });

  it("renders US Letter on request", async () => {
    const { info } = await readPdf(await renderPdf({ ...sampleDocument(0), marking: "TLP:CLEAR" }, { size: "LETTER" }));
    expect([Math.round(info.pages[0].width), Math.round(info.pages[0].height)]).toEqual([612, 792]);
  });

  it("renders an agenda-sized document quickly and small (fonts are subset)", async () => {
    await renderPdf(sampleDocument(0)); // fonts are read once per process: measure a warm render
    const blocks: Block[] = [];
    for (let i = 1; i <= 60; i++) {
      blocks.push({ type: "heading", level: 2, text: `${i}. Agenda item ${i} — 議題 ${i} / 안건 ${i}` });
      blocks.push({ type: "paragraph", content: [{ text: `${MIXED}. ${JA} ${KO} Background papers were circulated in advance.` }] });
    }
    blocks.push({
      type: "table",
      header: ["#", "Action", "Owner"],
      rows: Array.from({ length: 60 }, (_, i) => [`${i + 1}`, `Prepare the briefing on item ${i + 1} (関係各省へ共有)`, i % 2 ? "외교부" : "外務省"]),
    });
    const start = performance.now();
    const pdf = await renderPdf({ ...sampleDocument(0), blocks });
    const elapsed = performance.now() - start;

    expect(elapsed).toBeLessThan(3000);
    expect(pdf.length).toBeLessThan(300_000); // the four fonts are 23 MB whole
    const { text } = await readPdf(pdf);
    expect(text.total).toBeGreaterThan(5);
    expect(text.text).toContain("60. Agenda item 60 — 議題 60 / 안건 60");
    text.pages.forEach((page) => expect(count(page.text, MARKING)).toBe(2));
  });
});

describe("renderDocx", () => {
  it("writes the content, and the marking in every header and footer", async () => {
    const buffer = await renderDocx(sampleDocument(2));

    const { value: raw } = await mammoth.extractRawText({ buffer });
    for (const expected of ["Trilateral Consultative Body — 12th Plenary", "日米韓協議体 / 한미일 협의체", JA, KO, MIXED, "Circulate the revised draft", "外務省", "외교부", "2027-03-20", "TLP:GREEN"]) {
      expect(raw).toContain(expected);
    }

    // Structure as another reader sees it: headings, a numbered list, a link, a table.
    const { value: html } = await mammoth.convertToHtml({ buffer });
    expect(html).toMatch(/<h1>Opening \/ 開会 \/ 개회/);
    expect(html).toContain("<ol><li>Adopt the agenda</li><li>議事録の承認</li><li>공동성명 검토</li></ol>");
    expect(html).toContain('<a href="https://example.org/draft">the draft</a>');
    expect(html).toContain("<table><thead><tr><th><p><strong>Action</strong></p></th>");

    // mammoth skips headers and footers: read those parts of the package directly.
    const zip = await JSZip.loadAsync(new Uint8Array(buffer));
    const parts = Object.keys(zip.files);
    const headers = parts.filter((p) => /^word\/header\d*\.xml$/.test(p));
    const footers = parts.filter((p) => /^word\/footer\d*\.xml$/.test(p));
    expect(headers.length).toBeGreaterThan(0);
    expect(footers.length).toBeGreaterThan(0);
    for (const part of [...headers, ...footers]) {
      const xml = await zip.file(part)!.async("string");
      expect(xml).toContain(MARKING);
      expect(xml).toMatch(/<w:shd [^>]*w:fill="000000"/);
    }
    const footerXml = await zip.file(footers[0])!.async("string");
    expect(footerXml).toContain("Generated 2027-03-01 05:00 UTC");
    expect(footerXml).toMatch(/NUMPAGES/);

    // Hangul runs carry the Korean East Asian font and language.
    const body = await zip.file("word/document.xml")!.async("string");
    expect(body).toMatch(/<w:rFonts [^>]*w:eastAsia="Malgun Gothic"[^>]*\/>(?:(?!<\/w:rPr>).)*<w:lang [^>]*w:eastAsia="ko-KR"/);
  });
});
