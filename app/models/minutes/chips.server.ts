import type { JSONContent } from "@tiptap/core";
import { asc, eq } from "drizzle-orm";
import { actionItems } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import type { Audience } from "~/models/core/audience.server";
import { withChipTitles } from "~/lib/minutes-doc.server";
import { actionRecord } from "~/models/actions/audience.server";

/**
 * The action items raised at a meeting as one reader sees them in its minutes (ADR 037
 * addendum): the chips the page sends to the browser, and the minutes' text with every chip
 * outside the reader's TLP audience turned into a placeholder — on the page, in its
 * server-rendered HTML, in versions and in every export. A chip whose item is not among the
 * meeting's (pasted from elsewhere) is a placeholder too: nothing is shown that was not checked.
 * The stored text never holds a title (ADR 042); `seen` writes each one in for this reader.
 */
export async function chipsAsSeen(tx: DbOrTx, meetingId: string, audience: Pick<Audience, "may">, placeholder: string) {
  const raised = await tx.select().from(actionItems).where(eq(actionItems.originMeetingId, meetingId)).orderBy(asc(actionItems.ref));
  const readable = new Map(raised.filter((i) => audience.may(actionRecord(i))).map((i) => [i.id, i]));
  const chips = raised.map((i) =>
    readable.has(i.id)
      ? { id: i.id, ref: i.ref, title: i.title, status: i.status, marking: i.marking, restricted: false }
      : { id: i.id, ref: i.ref, title: "", status: "", marking: null, restricted: true },
  );
  // The stored text holds chips as references only (ADR 042): the title is the item's, as it is now.
  const seen = (json: JSONContent) => withChipTitles(json, (id) => (id && readable.get(id)?.title) || placeholder);
  return { chips, seen, readable: raised.filter((i) => readable.has(i.id)) };
}
