import { meetingIdOfAnnex } from "~/lib/annex-schema";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { authorizeAnnexConnection } from "~/models/annex/access.server";
import { appendAnnexEdit, appendAnnexUpdate, compactAnnex, loadAnnexInto } from "~/models/annex/store.server";
import type { DocumentKind } from "~/server/collab/document-kind";
import { dropStoredChipTitles } from "~/server/collab/chip-references.server";

/**
 * A meeting's restricted annex (`annex:<meetingId>`, ADR 037): the minutes' editor schema and
 * durability (stored before acknowledged, ADR 007), for the meeting's TLP:RED audience only.
 * Its first text was stored when it was opened, so loading never creates anything; agenda
 * headings, decisions and action items belong to the minutes, so nothing here is protected.
 */
export const annexKind: DocumentKind = {
  keyOf: meetingIdOfAnnex,
  field: MINUTES_FIELD,
  async authorize({ token, key }) {
    const access = await authorizeAnnexConnection({ token, meetingId: key });
    return { userId: access.actor.id, readOnly: access.readOnly, sessionId: access.sessionId, expiresAt: access.expiresAt };
  },
  async load(key, document) {
    await loadAnnexInto(key, document);
    // A chip pasted from the minutes is a reference only here too (ADR 042).
    await dropStoredChipTitles(document, (update) => appendAnnexUpdate(key, update, null), () => compactAnnex(key, document));
  },
  async append(key, update, userId) {
    // A person's edit is refused once the minutes have left the draft; the connection closes,
    // and the editor is reconnected read-only and shown what was not saved. The server's own
    // changes (userId null) are stored as they come.
    if (userId === null) await appendAnnexUpdate(key, update, null);
    else await appendAnnexEdit(key, update, userId);
  },
  async store(key, document) {
    if (!(await dropStoredChipTitles(document, (update) => appendAnnexUpdate(key, update, null), () => compactAnnex(key, document)))) await compactAnnex(key, document);
  },
};
