import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { actionItems, minutes, searchEntries } from "#db/schema";
import { createCast } from "#tests/factories";
import { db } from "~/lib/db.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { snippetOf, type SearchKind } from "~/lib/search";
import { kindRange } from "~/lib/search-index";
import { proposeItem, updateItem } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { getMinutesPage } from "~/models/minutes/minutes.server";
import { DENSE, matchingRecordIds, search } from "~/models/search/search.server";
import { shutdownCollab, withDocument } from "~/server/collab.server";

/** The full-text index (ADR 035): what it finds, and that it follows every write. */
type Cast = Awaited<ReturnType<typeof createCast>>;
let cast: Cast;
let meetingId: string;

const find = (q: string, kind?: string) => search({ actor: cast.official.actor, input: { q, kind } });
const titles = async (q: string, kind: "agenda" | "actions") => (await find(q, kind)).hits[kind].map((h) => h.title);

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "3", date: `${year}-06-02`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
  meetingId = meeting.id;
});

afterAll(async () => {
  await shutdownCollab();
});

describe("the search index", () => {
  it("finds one and two Japanese and Korean characters, and punctuation, anywhere in the text", async () => {
    await proposeItem({
      actor: cast.delegate.actor,
      input: { meetingId, title: "秘密鍵の管理と랜섬 대응", description: "<p>50% (a % of all) file_name cases; path C:\\evidence; the 'key' and \"quoted\" words, _draft_</p>", kind: "discussion", minutes: "10", marking: "TLP:GREEN" },
    });
    for (const q of ["鍵", "管理", "秘密鍵", "섬", "랜섬", "대응", "%", "50%", "_", "file_name", "\\", "'", '"', '"quoted"', "C:\\evidence"]) {
      expect(await titles(q, "agenda"), q).toEqual(["秘密鍵の管理と랜섬 대응"]);
    }
    // Not found: a character that is not there, and a Latin word inside another word.
    expect(await titles("錠", "agenda")).toEqual([]);
    expect(await titles("vidence", "agenda")).toEqual([]);
  });

  it("takes FTS5 syntax in a query as text: no error, nothing found by accident", async () => {
    for (const q of ["NEAR(a b)", "*", "a OR b", "-", "^x", "title:x", '"', "(", "AND"]) {
      const result = await find(q);
      expect(result.error, q).toBeNull();
    }
    expect(await titles("NEAR(key quoted)", "agenda")).toEqual([]);
  });

  it("follows an edit in the same transaction: the old words stop finding the item, the new ones find it", async () => {
    const item = await proposeItem({ actor: cast.delegate.actor, input: { meetingId, title: "Cryptocurrency mixers", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
    expect(await titles("mixers", "agenda")).toEqual(["Cryptocurrency mixers"]);
    await updateItem({ actor: cast.delegate.actor, input: { meetingId, title: "Cross-chain bridges", description: "<p>暗号資産</p>", kind: "discussion", minutes: "10", marking: "TLP:GREEN", itemId: item.id, version: "1", status: "proposed" } });
    expect(await titles("mixers", "agenda")).toEqual([]);
    expect(await titles("bridges", "agenda")).toEqual(["Cross-chain bridges"]);
    expect(await titles("資産", "agenda")).toEqual(["Cross-chain bridges"]);
    const [entry] = await db().select().from(searchEntries).where(eq(searchEntries.recordId, item.id));
    expect(entry).toMatchObject({ kind: "agenda", source: "agenda_items" });
    // In the agenda's range of ids (ADR 054), as every entry of every kind.
    const entries = await db().select().from(searchEntries);
    expect(entries.length).toBeGreaterThan(1);
    for (const e of entries) expect(e.id >= kindRange(e.kind as SearchKind).from && e.id < kindRange(e.kind as SearchKind).to, `${e.kind} ${e.id}`).toBe(true);
  });

  it("indexes minutes when the live document is stored, once per meeting", async () => {
    await getMinutesPage({ actor: cast.secretariat.actor, meetingId });
    await withDocument(meetingId, (doc) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText("北朝鮮のサイバー攻撃について報告があった。")]);
      doc.getXmlFragment(MINUTES_FIELD).push([paragraph]);
    });
    expect((await find("攻撃", "minutes")).hits.minutes.map((h) => h.id)).toEqual([meetingId]);
    expect((await find("북", "minutes")).hits.minutes).toEqual([]);

    const count = async () => (await db().all<{ n: number }>(sql`SELECT count(*) AS n FROM search_entries WHERE source = 'minutes' AND record_id = ${meetingId}`))[0].n;
    expect(await count()).toBe(1);
  });

  it("finds a word in a long minutes text before and after the part read first, with the passage the whole text gives (ADR 054)", async () => {
    const year = new Date().getUTCFullYear() + 2;
    const made = [];
    for (const [i, text] of [
      `Quagga opening. ${"filler words 注意 ".repeat(800)}`,
      `${"filler words 注意 ".repeat(800)} the quagga report ${"tail ".repeat(50)}`,
      `${"filler words ".repeat(360)}quagga near the head's end ${"tail ".repeat(400)}`,
    ].entries()) {
      const meeting = await createMeeting({
        actor: cast.secretariat.actor,
        input: { bodyId: cast.body.body.id, ordinal: String(10 + i), date: `${year}-0${i + 1}-02`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
      });
      await db().insert(minutes).values({ meetingId: meeting.id, bodyId: cast.body.body.id, status: "adopted", text });
      made.push({ id: meeting.id, text });
    }
    const result = await find("quagga", "minutes");
    // Newest meeting first, each passage as cut from the whole text.
    expect(result.hits.minutes.map((h) => h.id)).toEqual(made.map((m) => m.id).reverse());
    for (const hit of result.hits.minutes) expect(hit.snippet).toEqual(snippetOf(made.find((m) => m.id === hit.id)!.text, ["quagga"]));
    expect((await find("quagga 注意", "minutes")).hits.minutes.map((h) => h.id)).toEqual([made[1].id, made[0].id]);
    expect((await find('"quagga report"', "minutes")).hits.minutes.map((h) => h.snippet.match)).toEqual(["quagga report"]);
  });

  it("finds a punctuation mark where it begins a word behind many rows where it only follows letters or digits", async () => {
    const values = Array.from({ length: 60 }, (_, i) => ({
      bodyId: cast.body.body.id,
      ref: 2000 + i,
      title: i === 7 ? "Keep a % margin and a _spare key, the 'draft'" : `Raise it by 5${i}% in name_${i} of the delegation's list`,
      ownerDelegationId: cast.body.delegations.US.id,
      dueKind: "next_meeting" as const,
      marking: "TLP:GREEN" as const,
    }));
    await db().insert(actionItems).values(values);
    for (const q of ["%", "_", "'"]) expect(await titles(q, "actions"), q).toEqual(["Keep a % margin and a _spare key, the 'draft'"]);
    // Where it follows a non-ASCII letter, the exact rule still decides (not a word's beginning).
    await db().insert(actionItems).values({ ...values[0], ref: 2100, title: "Taux 5é% ou ü_x" });
    expect(await titles("%", "actions")).toEqual(["Keep a % margin and a _spare key, the 'draft'"]);
    await db().insert(actionItems).values({ ...values[0], ref: 2101, title: "(%) and (_)" });
    expect(await titles("%", "actions")).toEqual(["(%) and (_)", "Keep a % margin and a _spare key, the 'draft'"]);
    expect(await titles("_", "actions")).toEqual(["(%) and (_)", "Keep a % margin and a _spare key, the 'draft'"]);
    await db().delete(actionItems).where(sql`${actionItems.ref} >= 2000`);
  });

  it("finds nothing for a punctuation mark that only ever follows letters or digits, and finds it once a text has it at a word's beginning (ADR 054)", async () => {
    // "~" occurs nowhere else in this database: the vocabulary's totals decide the first search.
    const values = Array.from({ length: 40 }, (_, i) => ({
      bodyId: cast.body.body.id,
      ref: 4000 + i,
      title: `Version 1~${i} of the draft, x~y`,
      ownerDelegationId: cast.body.delegations.US.id,
      dueKind: "next_meeting" as const,
      marking: "TLP:GREEN" as const,
    }));
    await db().insert(actionItems).values(values);
    expect(await titles("~", "actions")).toEqual([]);
    expect(await matchingRecordIds({ kind: "actions", bodyIds: [cast.body.body.id], query: "~" })).toEqual([]);
    await db().insert(actionItems).values({ ...values[0], ref: 4100, title: "About ~40 delegations" });
    expect(await titles("~", "actions")).toEqual(["About ~40 delegations"]);
    await db().insert(actionItems).values({ ...values[0], ref: 4101, title: "~ first" });
    expect(await titles("~", "actions")).toEqual(["~ first", "About ~40 delegations"]);
    await db().delete(actionItems).where(sql`${actionItems.ref} >= 4000`);
    expect(await titles("~", "actions")).toEqual([]);
  });

  it("finds the one real hit behind more than 200 rows that only contain the word inside another (it was cut off before)", async () => {
    const values = Array.from({ length: 230 }, (_, i) => ({
      bodyId: cast.body.body.id,
      ref: 1000 + i,
      title: i === 0 ? "Share the indicators" : `Review contraindicators ${i}`,
      ownerDelegationId: cast.body.delegations.US.id,
      dueKind: "next_meeting" as const,
      marking: "TLP:GREEN" as const,
    }));
    await db().insert(actionItems).values(values);
    expect(await titles("indicators", "actions")).toEqual(["Share the indicators"]);
    const all = await find("contraindicators", "actions");
    expect(all.hits.actions).toHaveLength(25);
    expect(all.more).toEqual(["actions"]);
    // And the index follows a delete.
    await db().delete(actionItems).where(eq(actionItems.ref, 1000));
    expect(await titles("indicators", "actions")).toEqual([]);
    expect((await db().all<{ n: number }>(sql`SELECT count(*) AS n FROM search_entries WHERE source = 'action_items'`))[0].n).toBe(229);
  });

  it("shows a term found in more rows than DENSE newest first, complete when paged, without the rows the reader may not see (ADR 049)", async () => {
    // More entries than DENSE: one body's rows are walked in the order shown, checked against
    // the index per row; with a rare second term, the rare term's entries drive instead.
    const values = Array.from({ length: DENSE + 100 }, (_, i) => ({
      bodyId: cast.body.body.id,
      ref: 3000 + i,
      title: `Zebra crossing ${i} 縞馬${i % 97 === 0 ? " okapi" : ""}`,
      // Every third row is AMBER+STRICT for Japan only: the US official may not see it.
      ownerDelegationId: i % 3 === 0 ? cast.body.delegations.JP.id : cast.body.delegations.US.id,
      dueKind: "next_meeting" as const,
      marking: i % 3 === 0 ? ("TLP:AMBER+STRICT" as const) : ("TLP:GREEN" as const),
    }));
    await db().insert(actionItems).values(values);
    const visible = values.filter((v) => v.marking === "TLP:GREEN").sort((a, b) => b.ref - a.ref).map((v) => v.title);
    const common = await find("zebra", "actions");
    expect(common.hits.actions.map((h) => h.title)).toEqual(visible.slice(0, 25));
    expect(common.more).toEqual(["actions"]);
    expect(await titles("zebra okapi", "actions")).toEqual(visible.filter((t) => t.endsWith("okapi")));
    expect(await titles("okapi crossing", "actions")).toEqual(visible.filter((t) => t.endsWith("okapi")));
    // Short words, trigrams, one and two characters (the trigrams after them), each alone and
    // with another script's term, find the same rows in the same order.
    for (const q of ["zeb", "縞馬", "馬 zeb", "cro 縞"]) expect((await find(q, "actions")).hits.actions.map((h) => h.title), q).toEqual(visible.slice(0, 25));
    expect(await titles("Zebra crossing 1", "actions")).toEqual(visible.filter((t) => /crossing 1\d* /.test(t)).slice(0, 25));
    // Every row holds the term, in the order shown, read 500 at a time (what the bench's recall compares).
    const ids = await matchingRecordIds({ kind: "actions", bodyIds: [cast.body.body.id], query: "zebra" });
    const rows = await db().select({ id: actionItems.id, ref: actionItems.ref }).from(actionItems).where(sql`${actionItems.ref} >= 3000`);
    expect(ids).toEqual(rows.sort((a, b) => b.ref - a.ref).map((r) => r.id));
    await db().delete(actionItems).where(sql`${actionItems.ref} >= 3000`);
  });
});
