import { notFound } from "~/lib/http.server";

/** The formats a live document (the minutes, the restricted annex) is exported in. */
const TYPES = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
} as const;

export type ExportFormat = keyof typeof TYPES;
export type ExportSource = { kind: "current" } | { kind: "version"; id: string } | { kind: "record"; amendment: number };

/**
 * What `…/export.pdf|docx|md?version=<id>|?record=<n>` asks for: the current text, a saved
 * version, or an adopted record (0 the original, n the nth amendment). Anything else is a 404,
 * never quietly the original record.
 */
export function exportRequest(file: string | undefined, url: URL): { format: ExportFormat; source: ExportSource } {
  const format = /^export\.(pdf|docx|md)$/.exec(file ?? "")?.[1] as ExportFormat | undefined;
  if (!format) throw notFound();
  const record = url.searchParams.get("record");
  const version = url.searchParams.get("version");
  if (record !== null && !/^\d{1,4}$/.test(record)) throw notFound();
  const source: ExportSource = record !== null ? { kind: "record", amendment: Number(record) } : version ? { kind: "version", id: version } : { kind: "current" };
  return { format, source };
}

/** The exported file as a download for this reader only (stamped with their name: never cached). */
export function exportResponse(file: { content: Uint8Array | Buffer; filename: string }, format: ExportFormat): Response {
  return new Response(new Uint8Array(file.content), {
    headers: { "Content-Type": TYPES[format], "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" },
  });
}
