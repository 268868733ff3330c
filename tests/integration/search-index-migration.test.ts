import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { actionItems, agendaItems, delegations, meetings, minutes } from "#db/schema";
import { migrateDatabase } from "#db/migrate";
import { ROOT } from "#tests/support/server";
import { openDatabase } from "~/lib/db.server";
import { fts5IntegrityCheck } from "~/lib/database-integrity.server";
import { kindRange } from "~/lib/search-index";

/**
 * Migration 0019 (ADR 054) gives each kind's index entries a range of ids of their own: a
 * database indexed by 0012's triggers is indexed again, every row of it, and the triggers it
 * leaves keep new rows in their kind's range.
 */
const dir = mkdtempSync(join(tmpdir(), "concord-search-0019-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before 0019. */
function migrationsBefore(tag: string): string {
  const folder = join(dir, "migrations");
  cpSync(`${ROOT}db/migrations`, folder, { recursive: true });
  const journalFile = join(folder, "meta/_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: Array<{ tag: string }> };
  const at = journal.entries.findIndex((e) => e.tag === tag);
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return folder;
}

describe("migration 0019: entry ids per kind", () => {
  it("indexes what an older database holds again, each kind in its range, and new rows follow", async () => {
    const { db, client } = openDatabase(`file:${join(dir, "old.db")}`);
    try {
      await migrateDatabase(db, migrationsBefore("0019_search_entries_per_kind"));
      // In SQL: today's schema has columns (bodies.actions_version, 0020) a database before 0019 lacks.
      await db.run(sql`insert into bodies (id, slug, name_en, name_ja, name_ko, created_at, updated_at) values ('b1', 'old', 'Old', '旧', '옛', ${Date.now()}, ${Date.now()})`);
      const body = { id: "b1" };
      const [delegation] = await db.insert(delegations).values({ id: "d1", bodyId: body.id, code: "JP", nameEn: "Japan", nameJa: "日本", nameKo: "일본", timeZone: "Asia/Tokyo", language: "ja" }).returning();
      const meetingRows = Array.from({ length: 3 }, (_, i) => ({ id: `m${i}`, bodyId: body.id, ordinal: i + 1, quarter: "2026Q1", startsAt: new Date(Date.UTC(2026, 0, i + 1)), timeZone: "Asia/Tokyo", durationMinutes: 60, format: "virtual" as const }));
      await db.insert(meetings).values(meetingRows);
      // Interleaved kinds, as a real database is written: 0012's ids are one sequence for all.
      for (let i = 0; i < 3; i++) {
        await db.insert(minutes).values({ meetingId: `m${i}`, bodyId: body.id, text: `第${i}回 暗号資産の洗浄 and indicators ${i}` });
        await db.insert(actionItems).values({ id: `a${i}`, bodyId: body.id, ref: i + 1, title: `Share the indicators ${i}`, detail: "<p>해킹 조직</p>", ownerDelegationId: delegation.id, dueKind: "next_meeting", marking: "TLP:GREEN" });
        await db.insert(agendaItems).values({ id: `g${i}`, meetingId: `m${i}`, bodyId: body.id, position: `a${i}`, title: `Item ${i}: sanctions`, description: "<p>注意喚起</p>", kind: "discussion", marking: "TLP:GREEN" });
      }
      const before = await db.all<{ id: number }>(sql`SELECT id FROM search_entries ORDER BY id`);
      expect(before.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);

      await migrateDatabase(db);

      const inRange = async () => {
        const entries = await db.all<{ id: number; kind: "minutes" | "actions" | "agenda"; record_id: string }>(sql`SELECT id, kind, record_id FROM search_entries ORDER BY id`);
        for (const e of entries) {
          const { from, to } = kindRange(e.kind);
          expect(Number(e.id), `${e.kind} ${e.record_id}`).toBeGreaterThan(from);
          expect(Number(e.id)).toBeLessThan(to);
        }
        return entries;
      };
      expect((await inRange()).map((e) => `${e.kind} ${e.record_id}`).sort()).toEqual(["actions a0", "actions a1", "actions a2", "agenda g0", "agenda g1", "agenda g2", "minutes m0", "minutes m1", "minutes m2"]);
      // Both full-text indexes hold every text again, under the new ids.
      const found = async (table: "search_words" | "search_trigrams", match: string) =>
        (await db.all<{ record_id: string }>(sql`SELECT e.record_id FROM search_entries AS e WHERE e.id IN (SELECT rowid FROM ${sql.raw(table)} WHERE ${sql.raw(table)} MATCH ${match}) ORDER BY e.record_id`)).map((r) => r.record_id);
      expect(await found("search_words", '"indicators"*')).toEqual(["a0", "a1", "a2", "m0", "m1", "m2"]);
      expect(await found("search_trigrams", '"暗号資"')).toEqual(["m0", "m1", "m2"]);
      expect(await found("search_trigrams", '"해킹 "')).toEqual(["a0", "a1", "a2"]);
      expect(await found("search_words", '"sanctions"*')).toEqual(["g0", "g1", "g2"]);
      expect((await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM search_trigram_instances WHERE term >= '暗' AND term < '暗' || char(1114111)`))[0].n).toBeGreaterThan(0);

      // The new triggers: an insert goes to the end of its kind's range, an edit and a delete follow.
      await db.insert(actionItems).values({ id: "a9", bodyId: body.id, ref: 9, title: "Okapi sighting", ownerDelegationId: delegation.id, dueKind: "next_meeting", marking: "TLP:GREEN" });
      await db.update(agendaItems).set({ title: "Item 1: zebras" }).where(sql`id = 'g1'`);
      await db.delete(minutes).where(sql`meeting_id = 'm2'`);
      const after = await inRange();
      const actionIds = after.filter((e) => e.kind === "actions").map((e) => Number(e.id));
      expect(actionIds).toEqual([kindRange("actions").from + 1, kindRange("actions").from + 2, kindRange("actions").from + 3, kindRange("actions").from + 4]);
      expect(await found("search_words", '"okapi"*')).toEqual(["a9"]);
      expect(await found("search_words", '"zebras"*')).toEqual(["g1"]);
      expect(await found("search_words", '"sanctions"*')).toEqual(["g0", "g2"]);
      expect(await found("search_words", '"indicators"*')).toEqual(["a0", "a1", "a2", "m0", "m1"]);
      await fts5IntegrityCheck(client);
    } finally {
      client.close();
    }
  });
});
