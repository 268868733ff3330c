import type { Actor } from "~/lib/actor";
import { formatInstant } from "~/lib/datetime";
import { imageToPdf, stampPdf } from "~/lib/documents/stamp.server";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { isStamped } from "~/lib/markings";
import { assertNoTransaction } from "~/lib/transaction.server";
import { getProfile } from "~/models/people/accounts.server";
import { openPaper } from "./papers.server";
import { readStoredBytes, readStoredFile } from "./storage.server";

export interface PaperDownload {
  filename: string;
  mediaType: string;
  sha256: string | null;
  /** Streamed from storage (CLEAR, GREEN), or a stamped copy made for this reader (AMBER and above). */
  body: ReadableStream<Uint8Array> | Uint8Array;
  size: number;
}

/** The response headers of a paper download, wherever it is served from. */
export function downloadHeaders(file: PaperDownload): Record<string, string> {
  const headers: Record<string, string> = {
    "Content-Type": file.mediaType,
    "Content-Length": String(file.size),
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
    // no-transform: compression would hold a copy of the file and drop its length.
    "Cache-Control": "private, no-store, no-transform",
    "X-Content-Type-Options": "nosniff",
  };
  if (file.sha256) headers["Digest"] = `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`;
  return headers;
}

/** "For Jane Roe · 1 March 2027 14:00 (Asia/Seoul)": who a stamped copy was made for, and when. */
export async function stampLine(actor: Actor, locale: Locale): Promise<string> {
  const profile = await getProfile(actor.id);
  const zone = profile?.effectiveTimeZone ?? "UTC";
  return getT(locale)("papers:stamp.for", { name: actor.name, when: formatInstant(new Date(), locale, zone), zone });
}

/**
 * A paper's file for its reader. Below TLP:AMBER the stored bytes stream out unchanged (their
 * SHA-256 is the stored one). From TLP:AMBER up the reader gets a PDF stamped on every page with
 * the marking and their name; images become a stamped PDF page. Formats that cannot be stamped
 * were refused at upload for these markings, so nothing is ever served unstamped.
 */
export async function downloadPaper({ actor, paperId, fileId, locale }: { actor: Actor; paperId: string; fileId?: string; locale: Locale }): Promise<PaperDownload> {
  assertNoTransaction("downloadPaper");
  const { paper, file, symbol } = await openPaper({ actor, paperId, fileId });
  const base = `${symbol.replace(/\//g, "-")} ${file.filename}`.replace(/[\\"\r\n]/g, "_");
  if (!isStamped(paper.marking)) {
    return { filename: base, mediaType: file.mediaType, sha256: file.sha256, body: readStoredFile(file), size: file.size };
  }
  const bytes = await readStoredBytes(file);
  const pdf = file.mediaType === "application/pdf" ? bytes : await imageToPdf(bytes, file.mediaType);
  const stamped = await stampPdf(pdf, { marking: paper.marking, forWhom: await stampLine(actor, locale) });
  return { filename: base.replace(/\.[A-Za-z0-9]+$/, "") + ".pdf", mediaType: "application/pdf", sha256: null, body: stamped, size: stamped.byteLength };
}
