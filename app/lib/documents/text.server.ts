// pdf.js (with its canvas binding) and mammoth are loaded on the first upload that needs them,
// not at start-up: together they cost the idle server ~60 MB and 350 ms (ADR 033).

/** Words of a PDF (pdf.js through pdf-parse) or DOCX (mammoth) for search; other formats have none. */
export async function extractText(mediaType: string, bytes: Uint8Array): Promise<string> {
  try {
    if (mediaType === "application/pdf") {
      const { PDFParse } = await import("pdf-parse");
      const parser = new PDFParse({ data: new Uint8Array(bytes) }) // a copy: pdf.js takes over its buffer;
      try {
        return (await parser.getText()).text;
      } finally {
        await parser.destroy();
      }
    }
    if (mediaType === "application/vnd.openxmlformats-officedocument.wordprocessingml.document") {
      const { default: mammoth } = await import("mammoth");
      return (await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })).value;
    }
  } catch {
    // A file pdf.js or mammoth cannot read is still a paper; it is found by its title.
  }
  return "";
}
