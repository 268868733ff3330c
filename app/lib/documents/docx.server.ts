import type { Footer, IRunOptions, LevelFormat, Paragraph, ParagraphChild, Table, TextRun } from "docx";
import { assertNoTransaction } from "../transaction.server";
import { LANGUAGE_TAGS, markingColour, scriptRuns, type Block, type DocumentModel, type Inline } from "./model";

/**
 * DocumentModel → DOCX with the `docx` package. Word picks fonts itself, so unlike the PDF only
 * the East Asian font and language need care: Hangul runs are tagged Korean (Malgun Gothic) and
 * runs with kana Japanese (Yu Gothic), whatever the document language, so mixed lines render.
 */

export type DocxOptions = { size?: "A4" | "LETTER" };

// Twips (1/20 pt).
const PAGE = { A4: { width: 11906, height: 16838 }, LETTER: { width: 12240, height: 15840 } } as const;
const MARGIN = 1134; // 2 cm
const LATIN_FONT = "Calibri";
const EAST_ASIAN_FONT = { ja: "Yu Gothic", ko: "Malgun Gothic" } as const;
const GREY = "666666";

type RunStyle = Pick<IRunOptions, "size" | "color">;

// The docx package is loaded on the first export, not at start-up (ADR 033); the helpers
// below run only inside renderDocx, after it is set.
let D = null as unknown as typeof import("docx");

export async function renderDocx(doc: DocumentModel, options: DocxOptions = {}): Promise<Buffer> {
  assertNoTransaction("Rendering a DOCX file");
  D ??= await import("docx");
  const page = PAGE[options.size ?? "A4"];
  const textWidth = page.width - 2 * MARGIN;
  let lists = 0; // each ordered list is its own numbering instance, so it restarts at 1

  const children = [
    ...titleParagraphs(doc),
    ...doc.blocks.flatMap((block) => blockToDocx(block, textWidth, block.type === "list" && block.ordered ? ++lists : 0)),
  ];

  const document = new D.Document({
    creator: "Concord",
    title: doc.title,
    ...(doc.subtitle ? { subject: doc.subtitle } : {}),
    styles: {
      default: {
        document: {
          run: {
            font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: LATIN_FONT, eastAsia: EAST_ASIAN_FONT[doc.lang === "ko" ? "ko" : "ja"] },
            size: 21,
            // As Word itself writes it: Latin text is en-US; East Asian text follows the document.
            language: { value: LANGUAGE_TAGS.en, eastAsia: LANGUAGE_TAGS[doc.lang === "ko" ? "ko" : "ja"] },
          },
          paragraph: { spacing: { after: 120 } },
        },
        title: { run: { size: 40, bold: true, color: "1A1A1A" }, paragraph: { spacing: { after: 60 } } },
        heading1: { run: { size: 30, bold: true, color: "1A1A1A" }, paragraph: { spacing: { before: 280, after: 100 }, keepNext: true } },
        heading2: { run: { size: 26, bold: true, color: "1A1A1A" }, paragraph: { spacing: { before: 220, after: 80 }, keepNext: true } },
        heading3: { run: { size: 23, bold: true, color: "1A1A1A" }, paragraph: { spacing: { before: 160, after: 60 }, keepNext: true } },
        hyperlink: { run: { color: "1A4FA0", underline: {} } },
      },
    },
    numbering: {
      config: [
        { reference: "bullets", levels: [listLevel(D.LevelFormat.BULLET, "•")] },
        { reference: "numbers", levels: [listLevel(D.LevelFormat.DECIMAL, "%1.")] },
      ],
    },
    sections: [
      {
        properties: { page: { size: page, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN, header: 567, footer: 567 } } },
        // A section's default header and footer are on every page (no title-page or even-page variants).
        headers: { default: new D.Header({ children: [new D.Paragraph({ alignment: D.AlignmentType.RIGHT, children: [markingRun(doc.marking, 18)] })] }) },
        footers: { default: footer(doc, textWidth) },
        children,
      },
    ],
  });
  return D.Packer.toBuffer(document);
}

function listLevel(format: (typeof LevelFormat)[keyof typeof LevelFormat], text: string) {
  return { level: 0, format, text, alignment: D.AlignmentType.LEFT, style: { paragraph: { indent: { left: 567, hanging: 340 } } } };
}

/** The TLP label: bold, in its FIRST colour, on black. Non-breaking spaces pad the shading. */
function markingRun(marking: string, size: number): TextRun {
  return new D.TextRun({
    text: `\u00A0${marking}\u00A0`,
    bold: true,
    size,
    color: markingColour(marking),
    shading: { type: D.ShadingType.CLEAR, color: "auto", fill: "000000" },
  });
}

function footer(doc: DocumentModel, textWidth: number): Footer {
  const small = { size: 15, color: GREY };
  return new D.Footer({
    children: [
      new D.Paragraph({ alignment: D.AlignmentType.CENTER, spacing: { after: 60 }, children: [markingRun(doc.marking, 18)] }),
      new D.Paragraph({
        tabStops: [{ type: D.TabStopType.RIGHT, position: textWidth }],
        spacing: { after: 0 },
        children: [
          ...runs(doc.footerNote ? [{ text: doc.footerNote }] : [], small),
          new D.TextRun({ ...small, children: [new D.Tab(), D.PageNumber.CURRENT, " / ", D.PageNumber.TOTAL_PAGES] }),
        ],
      }),
    ],
  });
}

function titleParagraphs(doc: DocumentModel): Paragraph[] {
  const out = [new D.Paragraph({ heading: D.HeadingLevel.TITLE, children: runs([{ text: doc.title }]) })];
  if (doc.subtitle) out.push(new D.Paragraph({ spacing: { after: 160 }, children: runs([{ text: doc.subtitle }], { size: 26, color: GREY }) }));
  for (const { label, value } of doc.meta ?? []) {
    out.push(new D.Paragraph({ spacing: { after: 40 }, children: runs([{ text: `${label}: `, bold: true }, { text: value }], { size: 19 }) }));
  }
  out.push(new D.Paragraph({ spacing: { after: 200 }, border: { bottom: { style: D.BorderStyle.SINGLE, size: 6, color: "999999", space: 4 } }, children: [] }));
  return out;
}

const headingLevel = (level: 1 | 2 | 3) => ({ 1: D.HeadingLevel.HEADING_1, 2: D.HeadingLevel.HEADING_2, 3: D.HeadingLevel.HEADING_3 })[level];

/** `listInstance`: the numbering instance of an ordered list. */
function blockToDocx(block: Block, textWidth: number, listInstance: number): Array<Paragraph | Table> {
  switch (block.type) {
    case "heading": {
      const label = block.marking ? [new D.TextRun("\u2002"), markingRun(block.marking, 16)] : [];
      return [new D.Paragraph({ heading: headingLevel(block.level), children: [...runs([{ text: block.text }]), ...label] })];
    }
    case "paragraph":
      return [new D.Paragraph({ children: runs(block.content) })];
    case "list":
      return block.items.map(
        (item) =>
          new D.Paragraph({
            numbering: block.ordered ? { reference: "numbers", level: 0, instance: listInstance } : { reference: "bullets", level: 0 },
            spacing: { after: 40 },
            children: runs(item),
          }),
      );
    case "table":
      return [table(block, textWidth)];
    case "quote":
      return [
        new D.Paragraph({
          indent: { left: 400 },
          border: { left: { style: D.BorderStyle.SINGLE, size: 18, color: "BBBBBB", space: 10 } },
          children: runs(block.content, { color: "444444" }),
        }),
      ];
    case "note":
      return [new D.Paragraph({ children: runs([{ text: block.text }], { size: 17, color: GREY }) })];
  }
}

function table(block: Extract<Block, { type: "table" }>, textWidth: number): Table {
  const columns = Math.max(block.header.length, ...block.rows.map((r) => r.length), 1);
  const weights = Array.from({ length: columns }, (_, i) => Math.max(block.widths?.[i] ?? 1, 0.01));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((w / total) * textWidth));

  const row = (cells: string[], header: boolean) =>
    new D.TableRow({
      tableHeader: header, // Word repeats it at the top of every page the table spans
      cantSplit: true,
      children: widths.map(
        (width, i) =>
          new D.TableCell({
            width: { size: width, type: D.WidthType.DXA },
            margins: { top: 60, bottom: 60, left: 100, right: 100 },
            ...(header ? { shading: { type: D.ShadingType.CLEAR, color: "auto", fill: "EEEEEE" } } : {}),
            children: [new D.Paragraph({ spacing: { after: 0 }, children: runs([{ text: cells[i] ?? "", bold: header }], { size: 19 }) })],
          }),
      ),
    });

  return new D.Table({
    width: { size: textWidth, type: D.WidthType.DXA },
    columnWidths: widths,
    rows: [...(block.header.length ? [row(block.header, true)] : []), ...block.rows.map((r) => row(r, false))],
  });
}

const KANA = /[\u3040-\u30FF\u31F0-\u31FF\uFF66-\uFF9F]/;

/**
 * Word runs for styled inlines: one run per script (see scriptRuns), "\n" as a line break,
 * links as external hyperlinks in the Hyperlink style.
 */
function runs(content: Inline[], style: RunStyle = {}): ParagraphChild[] {
  return content.flatMap((inline): ParagraphChild[] => {
    // A link keeps the size but takes its colour from the Hyperlink style.
    const base: IRunOptions = inline.link ? { ...(style.size ? { size: style.size } : {}), style: "Hyperlink" } : style;
    const textRuns = scriptRuns(inline.text).flatMap(({ text, korean }) =>
      text.split("\n").map(
        (line, i) =>
          new D.TextRun({
            ...base,
            ...(inline.bold ? { bold: true } : {}),
            ...(inline.italic ? { italics: true } : {}),
            ...eastAsian(korean ? "ko" : KANA.test(line) ? "ja" : null),
            ...(i > 0 ? { break: 1 } : {}),
            text: line,
          }),
      ),
    );
    return inline.link ? [new D.ExternalHyperlink({ link: inline.link, children: textRuns })] : textRuns;
  });
}

/** East Asian font and language for a run in a known script; none keeps the document default. */
function eastAsian(script: "ja" | "ko" | null): Pick<IRunOptions, "font" | "language"> {
  if (!script) return {};
  return {
    font: { ascii: LATIN_FONT, hAnsi: LATIN_FONT, cs: LATIN_FONT, eastAsia: EAST_ASIAN_FONT[script] },
    language: { value: LANGUAGE_TAGS.en, eastAsia: LANGUAGE_TAGS[script] },
  };
}
