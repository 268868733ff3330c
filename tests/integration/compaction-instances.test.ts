import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createCast } from "#tests/factories";
import { appendText, liveStores, newLiveDocument, words } from "#tests/support/live-stores";

/**
 * Two instances hold the same live document (ADR 021): each has stored its own clients'
 * updates, and each may compact before the other's updates have reached it through Redis.
 * Neither compaction may lose what the other instance folded — for the minutes, the annex and
 * outcome documents alike.
 */
describe("compaction when two instances hold one document", () => {
  it.each(Object.keys(liveStores) as Array<keyof typeof liveStores>)("keeps every stored update when each instance compacts a document that lacks the other's latest (%s)", async (kind) => {
    const store = liveStores[kind];
    const cast = await createCast();
    const id = await newLiveDocument(cast, kind, "9");
    // The shared starting point, loaded by both instances.
    await appendText(store, id, new Y.Doc(), "Opening. ");
    const onA = await store.load(id);
    const onB = await store.load(id);

    // A delegate on instance A types; so does one on instance B. Each update is stored first.
    await appendText(store, id, onA, "Alpha said yes. ");
    await appendText(store, id, onB, "Bravo said no. ");

    // Both compact before Redis has carried either update across.
    await store.compact(id, onA);
    await store.compact(id, onB);

    const stored = words(await store.load(id));
    expect(stored).toContain("Opening.");
    expect(stored).toContain("Alpha said yes.");
    expect(stored).toContain("Bravo said no.");
  });
});
