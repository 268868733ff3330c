import type * as Y from "yjs";
import * as YJS from "yjs";
import { authorizeMinutesConnection } from "~/models/minutes/access.server";
import { afterMinutesStored, initialMinutesContent } from "~/models/minutes/content.server";
import { noteContributor } from "~/models/minutes/live.server";
import { appendUpdate, compact, loadInto } from "~/models/minutes/store.server";
import { docToJSON, jsonToText, jsonToUpdate } from "~/lib/minutes-doc.server";
import { isAgendaHeading, MINUTES_FIELD, meetingIdOfDocument } from "~/lib/minutes-schema";
import type { DocumentKind } from "~/server/collab/document-kind";
import { dropStoredChipTitles } from "~/server/collab/chip-references.server";

/** Lines of `after`'s text that `before` lacks: what a refused update would have added. */
function addedLines(before: Y.Doc, update: Uint8Array): string {
  const after = new YJS.Doc();
  YJS.applyUpdate(after, YJS.encodeStateAsUpdate(before));
  YJS.applyUpdate(after, update);
  const had = new Map<string, number>();
  for (const line of jsonToText(docToJSON(before)).split("\n")) had.set(line, (had.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of jsonToText(docToJSON(after)).split("\n")) {
    const n = had.get(line) ?? 0;
    if (n > 0) had.set(line, n - 1);
    else if (line.trim()) added.push(line);
  }
  after.destroy();
  return added.join("\n");
}

/** The minutes of a meeting (`minutes:<meetingId>`), stored as in ADR 007. */
export const minutesKind: DocumentKind = {
  keyOf: meetingIdOfDocument,
  field: MINUTES_FIELD,
  async authorize({ token, key }) {
    const access = await authorizeMinutesConnection({ token, meetingId: key });
    return { userId: access.actor.id, readOnly: access.readOnly, sessionId: access.sessionId, expiresAt: access.expiresAt };
  },
  async load(key, document) {
    const stored = await loadInto(key, document);
    // Chips are references only (ADR 042): a title stored before is gone before anyone connects.
    if (stored) return void (await dropStoredChipTitles(document, (update) => appendUpdate(key, update, null), () => compact(key, document)));
    // A new record starts from the meeting's attendance and agenda; stored at once.
    const update = jsonToUpdate(await initialMinutesContent(key));
    await appendUpdate(key, update, null);
    YJS.applyUpdate(document, update, "storage");
  },
  async append(key, update, userId) {
    await appendUpdate(key, update, userId);
    if (userId) noteContributor(key, userId);
  },
  async store(key, document) {
    if (!(await dropStoredChipTitles(document, (update) => appendUpdate(key, update, null), () => compact(key, document)))) await compact(key, document);
    await afterMinutesStored(key, document);
  },
  isProtected: isAgendaHeading,
  // Agenda headings come from the agenda, through the server (models/minutes/headings.server.ts).
  serverAttributes: ["agendaItemId"],
  refusedText: addedLines,
};
