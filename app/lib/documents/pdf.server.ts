import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type PDFDocumentClass from "pdfkit";
import { assertNoTransaction } from "../transaction.server";
import { LANGUAGE_TAGS, markingColour, scriptRuns, type Block, type DocumentModel, type Inline } from "./model";

/**
 * DocumentModel → PDF with pdfkit. pdfkit has no font fallback, so every run is split by script
 * and written in Noto Sans KR (Hangul) or Noto Sans JP (Latin, kana, kanji), as `continued`
 * pieces that flow on one line. Headers and footers are drawn last, once the page count is known.
 */

export type PdfOptions = { size?: "A4" | "LETTER" };

type PDFDoc = PDFKit.PDFDocument;

// pdfkit is loaded on the first export, not at start-up (ADR 033).
let pdfkit: Promise<typeof PDFDocumentClass> | undefined;
const loadPdfkit = () => (pdfkit ??= import("pdfkit").then((m) => m.default as unknown as typeof PDFDocumentClass));
type FontName = "jp" | "jpBold" | "kr" | "krBold";

const FONT_FILES: Record<FontName, string> = {
  jp: "@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf",
  jpBold: "@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf",
  kr: "@expo-google-fonts/noto-sans-kr/400Regular/NotoSansKR_400Regular.ttf",
  krBold: "@expo-google-fonts/noto-sans-kr/700Bold/NotoSansKR_700Bold.ttf",
};

// The packages have no "exports" map, so their font files resolve by path. The fonts are 5–6 MB
// each: read them once per process, not once per document (pdfkit subsets what a document uses).
let fontData: Record<FontName, Buffer> | null = null;
function loadFonts(): Record<FontName, Buffer> {
  if (!fontData) {
    const require = createRequire(import.meta.url);
    const entries = Object.entries(FONT_FILES).map(([name, file]) => [name, readFileSync(require.resolve(file))]);
    fontData = Object.fromEntries(entries) as Record<FontName, Buffer>;
  }
  return fontData;
}

// Layout, in points.
const MARGIN = { top: 64, bottom: 64, left: 56, right: 56 };
const BODY = 10.5;
const LINE_GAP = 2;
const TEXT = "#1a1a1a";
const GREY = "#666666";
const RULE = "#999999";
const LINK = "#1a4fa0";
const HEADING_SIZE = { 1: 15, 2: 13, 3: 11.5 } as const;
/**
 * Degrees of slant for italics: there is no italic CJK face, so the upright one is skewed. The
 * skew makes pdf.js-based readers see a new line where italics start or end (the words are all
 * extracted, but a phrase search across the boundary fails); 0 turns italics off.
 */
const ITALIC_SLANT = 10;

export async function renderPdf(doc: DocumentModel, options: PdfOptions = {}): Promise<Buffer> {
  // Seconds of CPU: never while a transaction holds the write lock every keystroke waits for.
  assertNoTransaction("Rendering a PDF");
  const PDFDocument = await loadPdfkit();
  const pdf = new PDFDocument({
    size: options.size ?? "A4",
    margins: MARGIN,
    bufferPages: true, // headers and footers need the final page count
    lang: LANGUAGE_TAGS[doc.lang],
    displayTitle: true,
    // pdfkit hashes every info value into the file ID: an undefined one throws.
    info: { Title: doc.title, Creator: "Concord", ...(doc.subtitle ? { Subject: doc.subtitle } : {}) },
  });
  for (const [name, data] of Object.entries(loadFonts())) pdf.registerFont(name, data);
  const done = collect(pdf);

  writeTitle(pdf, doc);
  for (const block of doc.blocks) writeBlock(pdf, block);
  writeHeadersAndFooters(pdf, doc);

  pdf.end();
  return done;
}

function collect(pdf: PDFDoc): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  return new Promise((resolve, reject) => {
    pdf.on("data", (chunk: Uint8Array) => chunks.push(chunk));
    pdf.on("end", () => resolve(Buffer.concat(chunks)));
    pdf.on("error", reject);
  });
}

// ---------------------------------------------------------------------------------------------
// Script runs

type Piece = Inline & { korean: boolean };

const pieces = (content: Inline[]): Piece[] =>
  content.flatMap((inline) => scriptRuns(inline.text).map((run) => ({ ...inline, text: run.text, korean: run.korean })));

const fontOf = (piece: { korean: boolean; bold?: boolean }): FontName =>
  piece.korean ? (piece.bold ? "krBold" : "kr") : piece.bold ? "jpBold" : "jp";

type Flow = { x: number; width: number; size?: number; color?: string; height?: number };

/**
 * Styled runs split into lines at "\n" and into pieces of one font. Each line is written as its
 * own chain of `continued` pieces: pdfkit misplaces text after a "\n" that ends or starts a
 * continued piece (the next piece keeps the previous line's x offset).
 */
function linesOf(content: Inline[]): Piece[][] {
  const lines: Inline[][] = [[]];
  for (const inline of content) {
    inline.text.split("\n").forEach((text, i) => {
      if (i > 0) lines.push([]);
      if (text) lines[lines.length - 1].push({ ...inline, text });
    });
  }
  return lines.map(pieces);
}

/**
 * Write styled runs as one wrapped paragraph at (x, doc.y). Every style option is given on every
 * piece: pdfkit carries options of `continued` text over to the next piece unless overridden.
 */
function writeRuns(pdf: PDFDoc, content: Inline[], flow: Flow): void {
  const size = flow.size ?? BODY;
  const top = pdf.y;
  for (const line of linesOf(content)) {
    if (line.length === 0) {
      pdf.y += pdf.fontSize(size).currentLineHeight(true) + LINE_GAP; // an empty line
      continue;
    }
    const room = flow.height === undefined ? Infinity : flow.height - (pdf.y - top);
    if (room < pdf.fontSize(size).currentLineHeight()) return; // the rest of a cut table cell
    line.forEach((piece, i) => {
      pdf.font(fontOf(piece)).fontSize(size).fillColor(piece.link ? LINK : (flow.color ?? TEXT));
      const options: PDFKit.Mixins.TextOptions = {
        width: flow.width,
        lineGap: LINE_GAP,
        continued: i < line.length - 1,
        link: piece.link ?? null,
        underline: !!piece.link,
        oblique: piece.italic ? ITALIC_SLANT : false,
        // In a table cell: cut (with an ellipsis) what would not fit the row.
        ...(room !== Infinity ? { height: room, ellipsis: true } : {}),
      };
      if (i === 0) pdf.text(piece.text, flow.x, pdf.y, options);
      else pdf.text(piece.text, options);
    });
  }
}

/** Height `writeRuns` would take. Summing heightOfString over the `continued` pieces is exact. */
function measureRuns(pdf: PDFDoc, content: Inline[], width: number, size = BODY): number {
  let height = 0;
  for (const line of linesOf(content)) {
    if (line.length === 0) height += pdf.fontSize(size).currentLineHeight(true) + LINE_GAP;
    line.forEach((piece, i) => {
      pdf.font(fontOf(piece)).fontSize(size);
      height += pdf.heightOfString(piece.text, { width, lineGap: LINE_GAP, continued: i < line.length - 1 });
    });
  }
  return height;
}

/**
 * Write text on one line at (x, y), without wrapping or page breaks and without moving the flow
 * position: for labels, list markers, headers and footers.
 */
function writeLine(pdf: PDFDoc, text: string, x: number, y: number, size: number, color: string, bold = false): void {
  const saved = { x: pdf.x, y: pdf.y };
  const list = pieces([{ text: text.replace(/\s*\n\s*/g, " "), bold }]);
  list.forEach((piece, i) => {
    pdf.font(fontOf(piece)).fontSize(size).fillColor(color);
    const options = { lineBreak: false, continued: i < list.length - 1 };
    if (i === 0) pdf.text(piece.text, x, y, options);
    else pdf.text(piece.text, options);
  });
  pdf.x = saved.x;
  pdf.y = saved.y;
}

function widthOfLine(pdf: PDFDoc, text: string, size: number, bold = false): number {
  return pieces([{ text, bold }]).reduce((sum, p) => sum + pdf.font(fontOf(p)).fontSize(size).widthOfString(p.text), 0);
}

// ---------------------------------------------------------------------------------------------
// Blocks

const contentWidth = (pdf: PDFDoc) => pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
const left = (pdf: PDFDoc) => pdf.page.margins.left;

/** Start a new page unless `height` more points fit on this one. */
function ensureSpace(pdf: PDFDoc, height: number): void {
  if (pdf.y + height > pdf.page.maxY()) pdf.addPage();
}

function writeTitle(pdf: PDFDoc, doc: DocumentModel): void {
  const width = contentWidth(pdf);
  writeRuns(pdf, [{ text: doc.title, bold: true }], { x: left(pdf), width, size: 20 });
  if (doc.subtitle) writeRuns(pdf, [{ text: doc.subtitle }], { x: left(pdf), width, size: 13, color: GREY });
  if (doc.meta?.length) {
    pdf.moveDown(0.4);
    for (const { label, value } of doc.meta) {
      writeRuns(pdf, [{ text: `${label}: `, bold: true }, { text: value }], { x: left(pdf), width, size: 9.5 });
    }
  }
  pdf.y += 6;
  pdf.moveTo(left(pdf), pdf.y).lineTo(left(pdf) + width, pdf.y).lineWidth(0.75).strokeColor(RULE).stroke();
  pdf.y += 10;
}

function writeBlock(pdf: PDFDoc, block: Block): void {
  const x = left(pdf);
  const width = contentWidth(pdf);
  switch (block.type) {
    case "heading":
      return writeHeading(pdf, block);
    case "paragraph":
      writeRuns(pdf, block.content, { x, width });
      pdf.y += 6;
      return;
    case "list":
      return writeList(pdf, block);
    case "table":
      return writeTable(pdf, block);
    case "quote":
      return writeQuote(pdf, block.content);
    case "note":
      writeRuns(pdf, [{ text: block.text }], { x, width, size: 8.5, color: GREY });
      pdf.y += 6;
      return;
  }
}

function writeHeading(pdf: PDFDoc, block: Extract<Block, { type: "heading" }>): void {
  const size = HEADING_SIZE[block.level];
  const x = left(pdf);
  const label = block.marking ? labelSize(pdf, block.marking, 8) : null;
  // The section's label sits at the right end of the heading's first line; the text wraps before it.
  const width = contentWidth(pdf) - (label ? label.width + 8 : 0);
  const content = [{ text: block.text, bold: true }];
  pdf.y += block.level === 1 ? 8 : 4;
  // Keep the heading with the first lines of what follows it.
  ensureSpace(pdf, measureRuns(pdf, content, width, size) + 3 * (BODY + LINE_GAP));
  const top = pdf.y;
  writeRuns(pdf, content, { x, width, size });
  if (label && block.marking) drawLabel(pdf, block.marking, x + contentWidth(pdf) - label.width, top + 2, 8);
  pdf.y += 3;
}

function writeList(pdf: PDFDoc, block: Extract<Block, { type: "list" }>): void {
  const x = left(pdf);
  // Room for the widest marker ("12.") left of the items' text.
  const indent = block.ordered ? Math.max(20, widthOfLine(pdf, `${block.items.length}.`, BODY) + 10) : 14;
  block.items.forEach((item, i) => {
    // The marker is drawn where the item's first line will be, so that line must fit here.
    ensureSpace(pdf, BODY * 1.5 + LINE_GAP);
    const top = pdf.y;
    writeLine(pdf, block.ordered ? `${i + 1}.` : "•", x + 4, top, BODY, TEXT);
    writeRuns(pdf, item, { x: x + indent, width: contentWidth(pdf) - indent });
    pdf.y += 2;
  });
  pdf.y += 4;
}

function writeQuote(pdf: PDFDoc, content: Inline[]): void {
  const x = left(pdf);
  const startPage = currentPage(pdf);
  const startY = pdf.y;
  writeRuns(pdf, content, { x: x + 14, width: contentWidth(pdf) - 14, color: "#444444" });
  // The rule follows the quote across a page break: one segment per page it spans.
  const endPage = currentPage(pdf);
  for (let page = startPage; page <= endPage; page++) {
    pdf.switchToPage(page);
    const from = page === startPage ? startY : pdf.page.margins.top;
    const to = page === endPage ? pdf.y : pdf.page.maxY();
    pdf.moveTo(x + 3, from).lineTo(x + 3, to).lineWidth(2).strokeColor("#BBBBBB").stroke();
  }
  pdf.y += 6;
}

const currentPage = (pdf: PDFDoc) => {
  const range = pdf.bufferedPageRange();
  return range.start + range.count - 1;
};

const CELL_PAD = 4;
const TABLE_SIZE = 9.5;

/**
 * Column widths by weight, but never narrower than the longest word of the column's header, so
 * a heading such as "Lead delegation" wraps between words and never inside one ("Lead de /
 * legatio / n"). The other columns give up the room in proportion to their weight.
 */
function columnWidths(pdf: PDFDoc, header: string[], weights: number[]): number[] {
  const available = contentWidth(pdf);
  const minimum = weights.map((_, i) =>
    Math.max(0, ...(header[i] ?? "").split(/\s+/).filter(Boolean).map((word) => widthOfLine(pdf, word, TABLE_SIZE, true) + 2 * CELL_PAD + 1)),
  );
  const fixed = new Set<number>();
  let widths = weights.map((w) => w);
  for (let round = 0; round <= weights.length; round++) {
    const room = available - [...fixed].reduce((sum, i) => sum + minimum[i], 0);
    const free = weights.reduce((sum, w, i) => (fixed.has(i) ? sum : sum + w), 0);
    widths = weights.map((w, i) => (fixed.has(i) ? minimum[i] : (w / free) * room));
    const short = widths.findIndex((w, i) => !fixed.has(i) && w < minimum[i]);
    if (short === -1) break;
    fixed.add(short);
  }
  return widths;
}

function writeTable(pdf: PDFDoc, block: Extract<Block, { type: "table" }>): void {
  const columns = Math.max(block.header.length, ...block.rows.map((r) => r.length));
  if (columns === 0) return;
  const weights = Array.from({ length: columns }, (_, i) => Math.max(block.widths?.[i] ?? 1, 0.01));
  const widths = columnWidths(pdf, block.header, weights);

  const drawRow = (cells: string[], header: boolean) => {
    const content = (i: number) => [{ text: cells[i] ?? "", bold: header }];
    const textHeights = widths.map((w, i) => measureRuns(pdf, content(i), w - 2 * CELL_PAD, TABLE_SIZE));
    // A row taller than a whole page is cut (with an ellipsis) rather than run off the page.
    const room = pdf.page.maxY() - pdf.page.margins.top - 2 * CELL_PAD;
    const textHeight = Math.min(Math.max(...textHeights, TABLE_SIZE), room);
    const height = textHeight + 2 * CELL_PAD;
    if (pdf.y + height > pdf.page.maxY()) {
      pdf.addPage();
      if (!header && block.header.length) drawRow(block.header, true); // repeat the header row
    }
    const top = pdf.y;
    let x = left(pdf);
    widths.forEach((w, i) => {
      if (header) pdf.rect(x, top, w, height).fillColor("#EEEEEE").fill();
      pdf.rect(x, top, w, height).lineWidth(0.5).strokeColor(RULE).stroke();
      pdf.y = top + CELL_PAD;
      writeRuns(pdf, content(i), { x: x + CELL_PAD, width: w - 2 * CELL_PAD, size: TABLE_SIZE, height: textHeight + 1 });
      x += w;
    });
    pdf.x = left(pdf);
    pdf.y = top + height;
  };

  // Keep the header row with at least a couple of body rows.
  ensureSpace(pdf, 3 * (TABLE_SIZE * 1.5 + 2 * CELL_PAD));
  if (block.header.length) drawRow(block.header, true);
  for (const row of block.rows) drawRow(row, false);
  pdf.y += 8;
}

// ---------------------------------------------------------------------------------------------
// Marking labels, headers and footers

const LABEL_PAD_X = 5;

function labelSize(pdf: PDFDoc, marking: string, size: number) {
  const width = widthOfLine(pdf, marking, size, true) + 2 * LABEL_PAD_X;
  const height = pdf.font("jpBold").fontSize(size).currentLineHeight() + 2;
  return { width, height };
}

/** The TLP label: its FIRST colour on a black rounded rectangle. */
function drawLabel(pdf: PDFDoc, marking: string, x: number, y: number, size: number): void {
  const { width, height } = labelSize(pdf, marking, size);
  pdf.roundedRect(x, y, width, height, 2).fillColor("#000000").fill();
  writeLine(pdf, marking, x + LABEL_PAD_X, y + 1, size, `#${markingColour(marking)}`, true);
}

function writeHeadersAndFooters(pdf: PDFDoc, doc: DocumentModel): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = 0; i < count; i++) {
    pdf.switchToPage(start + i);
    const { width, height, margins } = pdf.page;
    const labelWidth = labelSize(pdf, doc.marking, 9).width;
    drawLabel(pdf, doc.marking, width - margins.right - labelWidth, 28, 9);

    const footerY = height - margins.bottom + 22;
    drawLabel(pdf, doc.marking, (width - labelWidth) / 2, footerY, 9);
    const pageText = `${i + 1} / ${count}`;
    writeLine(pdf, pageText, width - margins.right - widthOfLine(pdf, pageText, 8), footerY + 2, 8, GREY);
    if (doc.footerNote) {
      // The note gets the space left of the centred label; a long note is set smaller to fit.
      const room = (width - labelWidth) / 2 - margins.left - 8;
      const size = Math.max(5, Math.min(7.5, (7.5 * room) / widthOfLine(pdf, doc.footerNote, 7.5)));
      writeLine(pdf, doc.footerNote, margins.left, footerY + 2, size, GREY);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Stamp strips: the marking and a line of text, drawn over pages that pdfkit did not make

export interface Strip {
  width: number;
  marking: string;
  /** Left of the label: whom the copy is for. */
  left?: string;
  /** Right of the label: a page number. */
  right?: string;
}

export const STRIP_HEIGHT = 20;

/**
 * One page per strip, each `width` × STRIP_HEIGHT: a black band with the TLP label in the
 * middle and grey text either side. The strips are embedded over uploaded pages
 * (stamp.server.ts); drawing them with pdfkit keeps Japanese and Korean names in the fonts the
 * exports already use, and one document holds every strip so the fonts are embedded once.
 */
export async function renderStrips(strips: Strip[]): Promise<Buffer> {
  const PDFDocument = await loadPdfkit();
  const pdf = new PDFDocument({ autoFirstPage: false, info: { Title: "stamp", Creator: "Concord" } });
  for (const [name, data] of Object.entries(loadFonts())) pdf.registerFont(name, data);
  const done = collect(pdf);
  for (const strip of strips) {
    pdf.addPage({ size: [strip.width, STRIP_HEIGHT], margin: 0 });
    pdf.rect(0, 0, strip.width, STRIP_HEIGHT).fillColor("#ffffff").fill();
    const { width: labelWidth } = labelSize(pdf, strip.marking, 9);
    const labelX = (strip.width - labelWidth) / 2;
    drawLabel(pdf, strip.marking, labelX, 4, 9);
    if (strip.left) {
      const room = labelX - 16;
      const size = Math.max(4, Math.min(8, (8 * room) / Math.max(1, widthOfLine(pdf, strip.left, 8))));
      writeLine(pdf, strip.left, 8, 6, size, TEXT);
    }
    if (strip.right) writeLine(pdf, strip.right, strip.width - 8 - widthOfLine(pdf, strip.right, 8), 6, 8, TEXT);
  }
  pdf.end();
  return done;
}
