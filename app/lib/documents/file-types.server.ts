
/**
 * The formats a paper may have, by file name extension, and what its content must be. The
 * extension says what the sender claims; the magic bytes (file-type) say what it is.
 */
export const PAPER_FORMATS = {
  pdf: { mediaType: "application/pdf", detected: ["pdf"] },
  docx: { mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", detected: ["docx"] },
  xlsx: { mediaType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", detected: ["xlsx"] },
  pptx: { mediaType: "application/vnd.openxmlformats-officedocument.presentationml.presentation", detected: ["pptx"] },
  png: { mediaType: "image/png", detected: ["png"] },
  jpg: { mediaType: "image/jpeg", detected: ["jpg"] },
  jpeg: { mediaType: "image/jpeg", detected: ["jpg"] },
  gif: { mediaType: "image/gif", detected: ["gif"] },
  webp: { mediaType: "image/webp", detected: ["webp"] },
} as const;

export type PaperExtension = keyof typeof PAPER_FORMATS;

export const ACCEPT_ATTRIBUTE = Object.keys(PAPER_FORMATS)
  .map((ext) => `.${ext}`)
  .join(",");

export function extensionOf(filename: string): PaperExtension | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return ext && ext in PAPER_FORMATS ? (ext as PaperExtension) : null;
}

/**
 * Media types that can be stamped page by page (PDF, and PNG/JPEG turned into a PDF page). Other
 * formats are accepted only up to TLP:GREEN: docs/decisions/020-papers-stored-stamped.md.
 */
export const STAMPABLE_TYPES = new Set(["application/pdf", "image/png", "image/jpeg"]);

const HEAD_BYTES = 64 * 1024;
/** Office files are ZIP archives: their type shows in the entry names, usually near the start. */
const ZIP_SCAN_BYTES = 16 * 1024 * 1024;

/** The first `limit` bytes of a stream (the rest is never read). */
function take(stream: ReadableStream<Uint8Array>, limit: number): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  let seen = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = seen >= limit ? { done: true, value: undefined } : await reader.read();
      if (done || !value) {
        void reader.cancel();
        return controller.close();
      }
      const piece = value.subarray(0, limit - seen);
      seen += piece.byteLength;
      controller.enqueue(piece);
    },
    cancel: () => reader.cancel(),
  });
}

async function head(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  const reader = take(stream, HEAD_BYTES).getReader();
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    parts.push(next.value);
    size += next.value.byteLength;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/**
 * Whether the content is what the extension claims, from its magic bytes. Only the start is
 * read: file-type would otherwise scan a whole PDF (for Illustrator markers) in memory. A ZIP
 * is read further, up to ZIP_SCAN_BYTES, to tell DOCX, XLSX and PPTX apart.
 */
export async function contentMatches(ext: PaperExtension, open: () => ReadableStream<Uint8Array>): Promise<boolean> {
  const wanted = PAPER_FORMATS[ext].detected as readonly string[];
  const { fileTypeFromBuffer, fileTypeFromStream } = await import("file-type"); // on first upload (ADR 033)
  const first = await fileTypeFromBuffer(await head(open()));
  if (first && wanted.includes(first.ext)) return true;
  if (first?.ext !== "zip" || !["docx", "xlsx", "pptx"].includes(ext)) return false;
  const found = await fileTypeFromStream(take(open(), ZIP_SCAN_BYTES) as never);
  return !!found && wanted.includes(found.ext);
}
