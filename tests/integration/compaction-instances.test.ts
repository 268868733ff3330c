import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createCast } from "#tests/factories";
import { createMeeting } from "~/models/meetings/meetings.server";
import { appendUpdate, compact, loadDoc } from "~/models/minutes/store.server";

/**
 * Two instances hold the same minutes document (ADR 021): each has stored its own clients'
 * updates, and each may compact before the other's updates have reached it through Redis.
 * Neither compaction may lose what the other instance folded.
 */
const words = (doc: Y.Doc) => doc.getText("t").toString();

describe("compaction when two instances hold one document", () => {
  it("keeps every stored update when each instance compacts a document that lacks the other's latest", async () => {
    const cast = await createCast();
    const meeting = await createMeeting({
      actor: cast.secretariat.actor,
      input: { bodyId: cast.body.body.id, ordinal: "9", date: "2031-03-09", time: "09:00", endTime: "11:00", timeZone: "UTC", format: "virtual" },
    });
    // The shared starting point, loaded by both instances.
    const base = new Y.Doc();
    base.getText("t").insert(0, "Opening. ");
    await appendUpdate(meeting.id, Y.encodeStateAsUpdate(base), null);
    const onA = await loadDoc(meeting.id);
    const onB = await loadDoc(meeting.id);

    // A delegate on instance A types; so does one on instance B. Each update is stored first.
    const record = (doc: Y.Doc, text: string) => {
      const before = Y.encodeStateVector(doc);
      doc.getText("t").insert(doc.getText("t").length, text);
      return appendUpdate(meeting.id, Y.encodeStateAsUpdate(doc, before), null);
    };
    await record(onA, "Alpha said yes. ");
    await record(onB, "Bravo said no. ");

    // Both compact before Redis has carried either update across.
    await compact(meeting.id, onA);
    await compact(meeting.id, onB);

    const stored = words(await loadDoc(meeting.id));
    expect(stored).toContain("Opening.");
    expect(stored).toContain("Alpha said yes.");
    expect(stored).toContain("Bravo said no.");
  });
});
