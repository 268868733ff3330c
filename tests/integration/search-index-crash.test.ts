import { spawn, type ChildProcess } from "node:child_process";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCast } from "#tests/factories";
import { fts5IntegrityCheck, integrityCheck } from "~/lib/database-integrity.server";
import { proposeItem } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { getMinutesPage } from "~/models/minutes/minutes.server";

/**
 * The search index under SIGKILL (ADR 035, addendum). A child process rewrites a minutes text
 * and an agenda item in a loop — the triggers delete and re-add their entries in both FTS5
 * tables in the same transaction — and is killed at a random moment, round after round.
 * Meanwhile a long-lived connection checks integrity, as the minutes crash test does. After
 * every kill: `PRAGMA integrity_check` ok, FTS5's own integrity-check ok, and the index finds
 * exactly what the committed text says (the last marker, not the one before).
 *
 * Before the fix the long-lived connection's plain `PRAGMA integrity_check` reported
 * "malformed inverted index for FTS5 table main.search_words" within a few checks while the
 * writer ran, over an index that is sound (see integrityCheck).
 */

const ROUNDS = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let reader: Client;
let meetingId: string;
let itemId: string;
const file = (process.env.DATABASE_URL ?? "").replace(/^file:/, "");

beforeAll(async () => {
  const cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "7", date: `${year}-03-04`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual" },
  });
  meetingId = meeting.id;
  await getMinutesPage({ actor: cast.secretariat.actor, meetingId });
  const item = await proposeItem({ actor: cast.delegate.actor, input: { meetingId, title: "Crash-proof index", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
  itemId = item.id;
  reader = createClient({ url: `file:${file}` });
});

afterAll(() => reader?.close());

function startWriter(round: number): { child: ChildProcess; committed: () => number; exited: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/search-index-writer.ts", file, meetingId, itemId, String(round)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let last = -1;
  let stderr = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    for (const m of chunk.matchAll(/committed (\d+)/g)) last = Number(m[1]);
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  child.on("exit", (code, signal) => {
    if (signal !== "SIGKILL") console.error(`search-index-writer exited ${code} ${signal}: ${stderr}`);
  });
  return { child, committed: () => last, exited };
}

async function entryIds(): Promise<number[]> {
  const rows = await reader.execute({
    sql: "SELECT id FROM search_entries WHERE (source = 'minutes' AND source_id = ?) OR (source = 'agenda_items' AND source_id = ?) ORDER BY id",
    args: [meetingId, itemId],
  });
  return rows.rows.map((r) => Number(r.id));
}

async function found(table: "search_words" | "search_trigrams", marker: string): Promise<number[]> {
  const rows = await reader.execute({ sql: `SELECT rowid FROM ${table} WHERE ${table} MATCH ? ORDER BY rowid`, args: [`"${marker}"`] });
  return rows.rows.map((r) => Number(r.rowid));
}

describe.skipIf(process.env.TEST_DATABASE === "sqld")("the search index when its writer is killed (embedded file)", () => {
  it("stays sound and in step with the text across SIGKILLs, checked from a long-lived connection while it is written", async () => {
    const duringWrites: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const writer = startWriter(round);
      // Check integrity on the long-lived connection while the writer commits (FTS5 segments
      // are written and merged under it), until it has committed a good number of rounds.
      const target = 30 + Math.floor(Math.random() * 40);
      const deadline = Date.now() + 60_000;
      while (writer.committed() < target && Date.now() < deadline) {
        duringWrites.push((await integrityCheck(reader)).join("; "));
        await sleep(20);
      }
      expect(writer.committed(), `round ${round}: the writer committed nothing`).toBeGreaterThan(0);
      await sleep(Math.random() * 50);
      writer.child.kill("SIGKILL");
      await writer.exited;
      const printed = writer.committed();

      expect(await integrityCheck(reader), `round ${round}: PRAGMA integrity_check after SIGKILL`).toEqual(["ok"]);
      await expect(fts5IntegrityCheck(reader), `round ${round}: FTS5 integrity-check after SIGKILL`).resolves.toBeUndefined();

      // The committed text names its marker; the index finds it for both rows, and no longer
      // the one before (its entries were deleted in the same transaction).
      const text = String((await reader.execute({ sql: "SELECT text FROM minutes WHERE meeting_id = ?", args: [meetingId] })).rows[0].text);
      const n = Number(/m\d+x(\d+)/.exec(text)?.[1]);
      expect(n === printed || n === printed + 1, `round ${round}: committed marker ${n}, last printed ${printed}`).toBe(true);
      const ids = await entryIds();
      expect(ids).toHaveLength(2);
      for (const table of ["search_words", "search_trigrams"] as const) {
        expect(await found(table, `m${round}x${n}`), `${table} m${round}x${n}`).toEqual(ids);
        if (n > 0) expect(await found(table, `m${round}x${n - 1}`), `${table} m${round}x${n - 1}`).toEqual([]);
        if (round > 0) expect(await found(table, `m${round - 1}x0`), `${table} m${round - 1}x0`).toEqual([]);
      }
    }
    expect(duringWrites.filter((r) => r !== "ok"), "integrity_check while the index was being written").toEqual([]);
    expect(duringWrites.length).toBeGreaterThan(ROUNDS);
  });
});
