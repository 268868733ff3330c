import * as Y from "yjs";
import { minutesAnnexes } from "#db/schema";
import type { createCast } from "#tests/factories";
import { db } from "~/lib/db.server";
import { appendAnnexUpdate, compactAnnex, loadAnnexInto } from "~/models/annex/store.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { appendUpdate, compact, loadDoc } from "~/models/minutes/store.server";
import { createOutcome } from "~/models/outcomes/outcomes.server";
import { appendOutcomeUpdate, compactOutcome, loadOutcomeDoc } from "~/models/outcomes/store.server";

/** The three durable live documents (minutes, annex, outcome), each through its own store's functions. */
export interface LiveStore {
  append(id: string, update: Uint8Array): Promise<unknown>;
  compact(id: string, doc: Y.Doc): Promise<unknown>;
  load(id: string): Promise<Y.Doc>;
}

export const liveStores: Record<"minutes" | "annex" | "outcome", LiveStore> = {
  minutes: { append: (id, u) => appendUpdate(id, u, null), compact, load: loadDoc },
  annex: {
    append: (id, u) => appendAnnexUpdate(id, u, null),
    compact: compactAnnex,
    load: async (id) => {
      const doc = new Y.Doc();
      await loadAnnexInto(id, doc);
      return doc;
    },
  },
  outcome: { append: (id, u) => appendOutcomeUpdate(db(), id, u, null), compact: compactOutcome, load: loadOutcomeDoc },
};

/** A new meeting and the id of its document of `kind` (the annex opened, an outcome document created). */
export async function newLiveDocument(cast: Awaited<ReturnType<typeof createCast>>, kind: keyof typeof liveStores, ordinal: string): Promise<string> {
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal, date: "2031-03-09", time: "09:00", endTime: "11:00", timeZone: "UTC", format: "virtual" },
  });
  // The annex's rows hang off the annex (ADR 037): the row opening it is a fixture here.
  if (kind === "annex") await db().insert(minutesAnnexes).values({ meetingId: meeting.id, bodyId: cast.body.body.id });
  if (kind === "outcome") return (await createOutcome({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Joint statement", kind: "joint_statement" } })).id;
  return meeting.id;
}

/** Appends `text` at the end of the document's text "t", as one stored update. */
export function appendText(store: LiveStore, id: string, doc: Y.Doc, text: string): Promise<unknown> {
  const before = Y.encodeStateVector(doc);
  doc.getText("t").insert(doc.getText("t").length, text);
  return store.append(id, Y.encodeStateAsUpdate(doc, before));
}

export const words = (doc: Y.Doc) => doc.getText("t").toString();
