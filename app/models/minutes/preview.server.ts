import type { JSONContent } from "@tiptap/core";
import * as Y from "yjs";
import { withDocument } from "~/models/minutes/live.server";
import { contentHash, docToJSON, jsonToHTML } from "~/lib/minutes-doc.server";
import { loadInto } from "~/models/minutes/store.server";

/**
 * The minutes as they are now, read from storage: every update is stored before it is applied,
 * so storage is never behind the live document, and reading it neither opens the document in
 * the collaboration server nor makes it store. Only a document nobody has opened yet goes
 * through the collaboration server, which creates it from the agenda.
 */
export async function currentMinutes(meetingId: string): Promise<JSONContent> {
  const doc = new Y.Doc();
  try {
    if (await loadInto(meetingId, doc)) return docToJSON(doc);
  } finally {
    doc.destroy();
  }
  return withDocument(meetingId, (live) => docToJSON(live));
}

/**
 * The current text as HTML, for the page before the editor loads (or without JavaScript), and
 * its content hash: what a head approves is the text as it was when the page was read.
 */
export async function minutesPreview(meetingId: string, seen: (json: JSONContent) => JSONContent): Promise<{ html: string; hash: string }> {
  const json = await currentMinutes(meetingId);
  // The HTML is the reader's (chips outside their audience as placeholders); the hash is the text's.
  return { html: await jsonToHTML(seen(json)), hash: contentHash(json) };
}
