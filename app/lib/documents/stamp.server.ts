import type { PDFDocument, PDFDict, PDFRef, PDFPage } from "@cantoo/pdf-lib";
import { renderStrips, STRIP_HEIGHT, type Strip } from "./pdf.server";

/**
 * Marked copies of uploaded files with @cantoo/pdf-lib: stamping every page with the marking
 * and the reader's name, turning images into PDF pages, and binding a meeting book with an
 * outline and page numbers. Only pdfkit's strips (pdf.server.ts) carry text, so the fonts stay
 * the ones the exports use.
 */

// Loaded on first use, not at start-up (ADR 033).
type PdfLib = typeof import("@cantoo/pdf-lib");
let pdfLib: Promise<PdfLib> | undefined;
const loadPdfLib = () => (pdfLib ??= import("@cantoo/pdf-lib"));

/** Whether pdf-lib can open (and so stamp) a PDF: encrypted or broken files cannot be. */
export async function isStampable(bytes: Uint8Array): Promise<boolean> {
  try {
    const { PDFDocument } = await loadPdfLib();
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    return doc.getPageCount() > 0 && !doc.isEncrypted;
  } catch {
    return false;
  }
}

async function drawStrips(doc: PDFDocument, pages: PDFPage[], stripsFor: (page: PDFPage, index: number) => { top: Strip; bottom: Strip }) {
  const all: Strip[] = [];
  pages.forEach((page, i) => {
    const { top, bottom } = stripsFor(page, i);
    all.push(top, bottom);
  });
  if (all.length === 0) return;
  const embedded = await doc.embedPdf(await renderStrips(all), all.map((_, i) => i));
  pages.forEach((page, i) => {
    const { width, height } = page.getSize();
    const { x, y } = cropOrigin(page);
    page.drawPage(embedded[2 * i], { x, y: y + height - STRIP_HEIGHT, width, height: STRIP_HEIGHT });
    page.drawPage(embedded[2 * i + 1], { x, y, width, height: STRIP_HEIGHT });
  });
}

function cropOrigin(page: PDFPage) {
  const box = page.getCropBox();
  return { x: box.x, y: box.y };
}

/** A copy of a PDF with the marking and `forWhom` at the top and bottom of every page. */
export async function stampPdf(bytes: Uint8Array, stamp: { marking: string; forWhom: string }): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLib();
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const pages = doc.getPages();
  await drawStrips(doc, pages, (page) => {
    const width = page.getSize().width;
    const strip = { width, marking: stamp.marking, left: stamp.forWhom };
    return { top: strip, bottom: strip };
  });
  return doc.save();
}

const A4 = { width: 595.28, height: 841.89 };

/** A PNG or JPEG as a one-page A4 PDF, the image fitted inside the margins. */
export async function imageToPdf(bytes: Uint8Array, mediaType: string): Promise<Uint8Array> {
  const { PDFDocument } = await loadPdfLib();
  const doc = await PDFDocument.create();
  const image = mediaType === "image/png" ? await doc.embedPng(bytes) : await doc.embedJpg(bytes);
  const landscape = image.width > image.height;
  const size = landscape ? { width: A4.height, height: A4.width } : A4;
  const page = doc.addPage([size.width, size.height]);
  const margin = 36;
  const scale = Math.min((size.width - 2 * margin) / image.width, (size.height - 2 * margin - 2 * STRIP_HEIGHT) / image.height, 1);
  const w = image.width * scale;
  const h = image.height * scale;
  page.drawImage(image, { x: (size.width - w) / 2, y: (size.height - h) / 2, width: w, height: h });
  return doc.save();
}

export interface BookSection {
  /** The bookmark's text. */
  title: string;
  marking: string;
  pdf: Uint8Array;
}

/**
 * One PDF of several sections in order: a bookmark per section, every page numbered "n / N"
 * with its section's marking, and `forWhom` on every page.
 */
export async function bindBook(sections: BookSection[], options: { title: string; forWhom: string; pageLabel: (n: number, total: number) => string }): Promise<Uint8Array> {
  const lib = await loadPdfLib();
  const { PDFDocument } = lib;
  const book = await PDFDocument.create();
  book.setTitle(options.title);
  book.setCreator("Concord");
  const starts: Array<{ title: string; page: PDFPage }> = [];
  const markingOf: string[] = [];
  for (const section of sections) {
    const source = await PDFDocument.load(section.pdf, { updateMetadata: false });
    const copied = await book.copyPages(source, source.getPageIndices());
    copied.forEach((page, i) => {
      book.addPage(page);
      markingOf.push(section.marking);
      if (i === 0) starts.push({ title: section.title, page });
    });
  }
  const pages = book.getPages();
  await drawStrips(book, pages, (page, i) => {
    const width = page.getSize().width;
    return {
      top: { width, marking: markingOf[i], left: options.forWhom },
      bottom: { width, marking: markingOf[i], left: options.forWhom, right: options.pageLabel(i + 1, pages.length) },
    };
  });
  addOutline(lib, book, starts);
  return book.save();
}

/** The document outline (bookmarks): pdf-lib has no API for it, so the dictionaries are built by hand. */
function addOutline({ PDFName, PDFNumber, PDFHexString }: PdfLib, doc: PDFDocument, entries: Array<{ title: string; page: PDFPage }>) {
  if (entries.length === 0) return;
  const context = doc.context;
  const rootRef = context.nextRef();
  const refs: PDFRef[] = entries.map(() => context.nextRef());
  entries.forEach((entry, i) => {
    const item = context.obj({}) as PDFDict;
    item.set(PDFName.of("Title"), PDFHexString.fromText(entry.title));
    item.set(PDFName.of("Parent"), rootRef);
    if (i > 0) item.set(PDFName.of("Prev"), refs[i - 1]);
    if (i < entries.length - 1) item.set(PDFName.of("Next"), refs[i + 1]);
    item.set(PDFName.of("Dest"), context.obj([entry.page.ref, PDFName.of("Fit")]));
    context.assign(refs[i], item);
  });
  const root = context.obj({}) as PDFDict;
  root.set(PDFName.of("Type"), PDFName.of("Outlines"));
  root.set(PDFName.of("First"), refs[0]);
  root.set(PDFName.of("Last"), refs[refs.length - 1]);
  root.set(PDFName.of("Count"), PDFNumber.of(entries.length));
  context.assign(rootRef, root);
  doc.catalog.set(PDFName.of("Outlines"), rootRef);
  doc.catalog.set(PDFName.of("PageMode"), PDFName.of("UseOutlines"));
}
