import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { actionItems } from "#db/schema";
import { createCast } from "#tests/factories";
import { db } from "~/lib/db.server";
import { DENSE, matchingRecordIds, search } from "~/models/search/search.server";

/**
 * A term in every entry of a kind (ADR 054): the kind's query then checks only that a row has
 * an entry, without the set of the term's rowids. A file of its own, so that every action item
 * of its database is one this test made.
 */
type Cast = Awaited<ReturnType<typeof createCast>>;
let cast: Cast;

beforeAll(async () => {
  cast = await createCast();
});

describe("a term in every action item", () => {
  it("shows the same rows, in order, without the ones the reader may not see, before and after one item without it is added", async () => {
    const values = Array.from({ length: DENSE + 60 }, (_, i) => ({
      bodyId: cast.body.body.id,
      ref: 5000 + i,
      title: i % 7 === 0 ? `Okapi ${i}` : `Gnu migration ${i}`,
      // Where the title does not hold it, the detail does (rich text, flattened for the check).
      detail: i % 7 === 0 ? "<p>A <strong>gnu</strong> was seen</p>" : "<p>Details</p>",
      ownerDelegationId: i % 3 === 0 ? cast.body.delegations.JP.id : cast.body.delegations.US.id,
      dueKind: "next_meeting" as const,
      marking: i % 3 === 0 ? ("TLP:AMBER+STRICT" as const) : ("TLP:GREEN" as const),
    }));
    await db().insert(actionItems).values(values);
    const entries = await db().all<{ n: number }>(sql`SELECT count(*) AS n FROM search_entries WHERE kind = 'actions'`);
    // The case under test: every action item's entry holds the term.
    expect(Number(entries[0].n)).toBe(values.length);
    const visible = values.filter((v) => v.marking === "TLP:GREEN").sort((a, b) => b.ref - a.ref).map((v) => v.title);
    const shown = async (q: string) => {
      const result = await search({ actor: cast.official.actor, input: { q, kind: "actions" } });
      return { titles: result.hits.actions.map((h) => h.title), more: result.more };
    };
    expect(await shown("gnu")).toEqual({ titles: visible.slice(0, 25), more: ["actions"] });
    expect(await shown("gnu okapi")).toEqual({ titles: visible.filter((t) => t.startsWith("Okapi")).slice(0, 25), more: ["actions"] });
    const all = values.sort((a, b) => b.ref - a.ref);
    const ids = async (q: string) => {
      const found = await matchingRecordIds({ kind: "actions", bodyIds: [cast.body.body.id], query: q });
      const refs = await db().select({ id: actionItems.id, ref: actionItems.ref }).from(actionItems);
      const refOf = new Map(refs.map((r) => [r.id, r.ref]));
      return found.map((id) => refOf.get(id));
    };
    expect(await ids("gnu")).toEqual(all.map((v) => v.ref));

    // One item without the term: the term is no longer everywhere, and the results are the same.
    await db().insert(actionItems).values({ ...values[0], ref: 9999, title: "Zebra", detail: "<p>none</p>", marking: "TLP:GREEN" });
    expect(await shown("gnu")).toEqual({ titles: visible.slice(0, 25), more: ["actions"] });
    expect(await ids("gnu")).toEqual(all.map((v) => v.ref));
    // The newest item, found by a word only it holds.
    expect(await shown("zebra")).toEqual({ titles: ["Zebra"], more: [] });
  });
});
