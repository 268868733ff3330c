import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { minutesAnnexes } from "#db/schema";
import { createCast } from "#tests/factories";
import { db } from "~/lib/db.server";
import { appendAnnexUpdate, compactAnnex, loadAnnexInto } from "~/models/annex/store.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { appendUpdate, compact, loadDoc } from "~/models/minutes/store.server";
import { createOutcome } from "~/models/outcomes/outcomes.server";
import { appendOutcomeUpdate, compactOutcome, loadOutcomeDoc } from "~/models/outcomes/store.server";

/**
 * Two instances hold the same live document (ADR 021): each has stored its own clients'
 * updates, and each may compact before the other's updates have reached it through Redis.
 * Neither compaction may lose what the other instance folded — for the minutes, the annex and
 * outcome documents alike.
 */
type Store = {
  append(id: string, update: Uint8Array): Promise<unknown>;
  compact(id: string, doc: Y.Doc): Promise<unknown>;
  load(id: string): Promise<Y.Doc>;
};

const stores: Record<string, Store> = {
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

const words = (doc: Y.Doc) => doc.getText("t").toString();

describe("compaction when two instances hold one document", () => {
  it.each(Object.keys(stores))("keeps every stored update when each instance compacts a document that lacks the other's latest (%s)", async (kind) => {
    const store = stores[kind];
    const cast = await createCast();
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "9", date: "2031-03-09", time: "09:00", endTime: "11:00", timeZone: "UTC", format: "virtual" },
    });
    if (kind === "annex") await db().insert(minutesAnnexes).values({ meetingId: meeting.id, bodyId: cast.body.body.id });
    const id = kind === "outcome" ? (await createOutcome({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Joint statement", kind: "joint_statement" } })).id : meeting.id;
    // The shared starting point, loaded by both instances.
    const base = new Y.Doc();
    base.getText("t").insert(0, "Opening. ");
    await store.append(id, Y.encodeStateAsUpdate(base));
    const onA = await store.load(id);
    const onB = await store.load(id);

    // A delegate on instance A types; so does one on instance B. Each update is stored first.
    const record = (doc: Y.Doc, text: string) => {
      const before = Y.encodeStateVector(doc);
      doc.getText("t").insert(doc.getText("t").length, text);
      return store.append(id, Y.encodeStateAsUpdate(doc, before));
    };
    await record(onA, "Alpha said yes. ");
    await record(onB, "Bravo said no. ");

    // Both compact before Redis has carried either update across.
    await store.compact(id, onA);
    await store.compact(id, onB);

    const stored = words(await store.load(id));
    expect(stored).toContain("Opening.");
    expect(stored).toContain("Alpha said yes.");
    expect(stored).toContain("Bravo said no.");
  });
});
