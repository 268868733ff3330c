import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createCast } from "#tests/factories";
import { appendText, liveStores, newLiveDocument, words } from "#tests/support/live-stores";

/**
 * A document is loaded (a server opening it, a version, an export) while a compaction of the
 * same document commits. Whatever the interleaving, the loaded copy holds every stored update:
 * those the compaction folded into the snapshot and those it left. Two reads (snapshot, then
 * updates) lost them all on a libSQL server: the first saw no snapshot yet, the second no
 * updates any more.
 */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("loading a live document while it is compacted", () => {
  it.each(Object.keys(liveStores) as Array<keyof typeof liveStores>)("never loses what the compaction folded in, at any interleaving (%s)", async (kind) => {
    const store = liveStores[kind];
    const cast = await createCast();
    const lost: string[] = [];
    let reads = 0;
    for (let round = 0; round < 8; round++) {
      const id = await newLiveDocument(cast, kind, `${10 + round}`);
      const writer = new Y.Doc();
      for (const line of ["One. ", "Two. ", "Three. ", "Four. "]) await appendText(store, id, writer, line);
      // Loads start one after another, a turn of the event loop apart, for as long as the
      // compaction runs: some read before its commit, some across it, some after.
      let compacted = false;
      const compacting = store.compact(id, writer).finally(() => (compacted = true));
      const loads: Promise<Y.Doc>[] = [];
      while (!compacted) {
        loads.push(store.load(id));
        await turn();
      }
      await compacting;
      for (const loaded of await Promise.all(loads)) if (words(loaded) !== "One. Two. Three. Four. ") lost.push(words(loaded));
      reads += loads.length;
    }
    // At least one load per round overlaps the compaction (on a libSQL server, dozens do).
    expect(reads).toBeGreaterThanOrEqual(8);
    expect(lost).toEqual([]);
  });
});
