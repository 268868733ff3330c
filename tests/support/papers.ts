import { renderPdf } from "~/lib/documents/pdf.server";
import { BASE, context } from "./requests";

/** A small real PDF with the given words on it. */
export async function samplePdf(words = "Laundering routes through mixers"): Promise<Uint8Array> {
  return new Uint8Array(await renderPdf({ title: words, marking: "TLP:CLEAR", lang: "en", blocks: [{ type: "paragraph", content: [{ text: words }] }] }));
}

/** A POST of a paper as a browser sends it: multipart/form-data, the file streamed in the body. */
export function uploadRequest(meetingId: string, cookie: string, fields: Record<string, string | string[]>, file?: { name: string; bytes: Uint8Array | Blob; type?: string }): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const value of Array.isArray(v) ? v : [v]) form.append(k, value);
  if (file) form.append("file", file.bytes instanceof Blob ? file.bytes : new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
  return new Request(`${BASE}/meetings/${meetingId}/papers`, { method: "POST", body: form, headers: { origin: BASE, cookie } });
}

export { context };
