import { fileTypeFromStream } from "file-type";

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

/** Whether the content, read from its start, is what the extension claims. */
export async function contentMatches(ext: PaperExtension, content: ReadableStream<Uint8Array>): Promise<boolean> {
  const found = await fileTypeFromStream(content as never);
  return !!found && (PAPER_FORMATS[ext].detected as readonly string[]).includes(found.ext);
}
