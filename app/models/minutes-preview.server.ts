import { contentHash, docToJSON, jsonToHTML } from "~/lib/minutes-doc.server";
import { loadDoc } from "./minutes-store.server";

/**
 * The stored text as HTML, for the page before the editor loads (or without JavaScript), and
 * its content hash: what a head approves is the text as it was when the page was read.
 */
export async function minutesPreview(meetingId: string): Promise<{ html: string; hash: string }> {
  const doc = await loadDoc(meetingId);
  try {
    const json = docToJSON(doc);
    return { html: jsonToHTML(json), hash: contentHash(json) };
  } finally {
    doc.destroy();
  }
}
