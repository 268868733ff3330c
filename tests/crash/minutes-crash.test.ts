import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Y from "yjs";
import { signInCookie } from "../../scripts/bench/support";
import { connectMinutes, paragraphsOf, type MinutesClient } from "../support/collab-client";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../support/server";
import { integrityCheck as checkIntegrity } from "~/lib/database-integrity.server";

/**
 * The promise of ADR 007: an edit the server has acknowledged survives a crash. Three people
 * type into the same minutes; the server is killed (SIGKILL, no shutdown hook runs) at a random
 * moment while they are still typing; after a restart on the same database file every edit
 * that had been acknowledged must be there (read from the database with the app's loader, and
 * as served to a fresh client), and `PRAGMA integrity_check` must say ok. Repeated. After each
 * restart the checking client writes a line and leaves, which makes the server compact the
 * document at once; the next round types (and crashes) into that compaction, and every fourth
 * round adds a crash aimed at the compaction itself.
 *
 * A marker counts as acknowledged once its client's provider has reported `unsyncedChanges`
 * = 0 after the marker was typed: the counter rises with every update the provider sends and
 * falls with every "SyncStatus" acknowledgement from the server, so 0 means the server has
 * acknowledged every update sent so far, including the one carrying the marker.
 */

const ITERATIONS = Number(process.env.CRASH_ITERATIONS ?? 50);
const TYPISTS = ["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.random() * (max - min);

let server: RunningServer;
/** Every server started (each restart makes its own temp dir; the first holds the database). */
const servers: RunningServer[] = [];
let database: Client;
let meetingId: string;
let cookies: string[];
let loadDoc: (meetingId: string) => Promise<Y.Doc>;
let closeDatabase: () => void = () => {};

beforeAll(async () => {
  buildApp();
  server = await startServer();
  servers.push(server);
  // The test reads the same file as the server (WAL), through the app's own loader.
  process.env.DATABASE_URL = `file:${server.databaseFile}`;
  ({ loadDoc } = await import("~/models/minutes/store.server"));
  ({ closeDatabase } = await import("~/lib/db.server"));
  database = createClient({ url: `file:${server.databaseFile}` });
  const meetings = await database.execute(
    "select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' limit 1",
  );
  meetingId = String(meetings.rows[0]?.id ?? "");
  expect(meetingId).not.toBe("");
  cookies = await Promise.all(TYPISTS.map((email) => signInCookie(server.url, email)));
});

afterAll(async () => {
  database?.close();
  closeDatabase();
  if (server) await server.stop();
  for (const s of servers) removeServerFiles(s);
});

/** Paragraphs a typist may have sent without an acknowledgement before it waits. */
const MAX_AHEAD = 8;

interface Typist {
  client: MinutesClient;
  typed: string[];
  /** Typed but not yet covered by an acknowledgement. */
  pending: string[];
  acknowledged: string[];
  stop(): void;
}

/** Connects and starts typing a paragraph every 5–20 ms, noting what the server acknowledges. */
async function startTypist(index: number, iteration: number): Promise<Typist> {
  const client = connectMinutes({ url: server.url, cookie: cookies[index], meetingId });
  await client.whenSynced();
  const typist: Typist = { client, typed: [], pending: [], acknowledged: [], stop: () => {} };
  client.provider.on("unsyncedChanges", ({ number }: { number: number }) => {
    if (number !== 0) return;
    typist.acknowledged.push(...typist.pending);
    typist.pending = [];
  });
  let n = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const type = () => {
    if (stopped) return;
    // A typist runs ahead of the server by a few paragraphs at most, as a person would: on a
    // loaded machine an unbroken stream never lets the unsynced count reach zero, so nothing
    // would ever be known as acknowledged.
    if (typist.pending.length >= MAX_AHEAD) {
      timer = setTimeout(type, 5);
      return;
    }
    const marker = `c${index + 1}-i${iteration}-n${n++}`;
    // Pending before the append: the provider sends (and counts) the update synchronously.
    typist.pending.push(marker);
    typist.typed.push(marker);
    client.appendParagraph(marker);
    timer = setTimeout(type, between(5, 20));
  };
  typist.stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  type();
  return typist;
}

/** On this long-lived connection, through the check that FTS5's cached structure cannot fool (ADR 035). */
async function integrityCheck(): Promise<string> {
  return (await checkIntegrity(database)).join("\n");
}

describe("collaborative minutes under SIGKILL", () => {
  it(`keeps every acknowledged edit across ${ITERATIONS} crashes`, async () => {
    const started = performance.now();
    const acknowledged: string[] = [];
    let typed = 0;
    let unacknowledgedKept = 0;
    let unacknowledgedLost = 0;

    // When the last reader of a round left (which makes the server compact at once), so the
    // next crash can tell whether that compaction had committed: typists of the next round
    // connect and type while it may still be running.
    let readerLeftAt = 0;
    let compactedBeforeKill = 0;
    let killedBeforeCompacted = 0;
    let kills = 0;

    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const typists = await Promise.all(TYPISTS.map((_, i) => startTypist(i, iteration)));
      await sleep(between(100, 600));
      // Crash only once each typist has had something acknowledged (at once on an idle machine).
      const deadline = Date.now() + 20_000;
      while (typists.some((t) => t.acknowledged.length === 0) && Date.now() < deadline) await sleep(10);

      // Crash while everyone is typing; only then stop the typists and drop the clients.
      await server.stop("SIGKILL");
      kills++;
      for (const t of typists) t.stop();
      for (const t of typists) t.client.close();

      const thisRound = typists.flatMap((t) => t.acknowledged);
      acknowledged.push(...thisRound);
      typed += typists.reduce((sum, t) => sum + t.typed.length, 0);
      // Every round must have something acknowledged, or the test proves nothing.
      expect(thisRound.length, `iteration ${iteration} (typed ${typists.map((t) => `${t.typed.length}/${t.client.provider.unsyncedChanges}/${t.client.socket.status}`).join(' ')}): nothing was acknowledged before the crash`).toBeGreaterThan(0);

      server = await startServer({ port: server.port, databaseFile: server.databaseFile });
      servers.push(server);

      if (readerLeftAt) {
        const snapshot = await database.execute({ sql: "select at from minutes_snapshots where meeting_id = ?", args: [meetingId] });
        if (Number(snapshot.rows[0]?.at ?? 0) >= readerLeftAt) compactedBeforeKill++;
        else killedBeforeCompacted++;
      }

      // 1. What is stored, read straight from the database with the app's loader.
      const stored = new Set(paragraphsOf(await loadDoc(meetingId)));
      const missingStored = acknowledged.filter((m) => !stored.has(m));
      expect(missingStored, `iteration ${iteration}: acknowledged but not stored`).toEqual([]);

      // 2. What a person sees when they open the minutes again.
      const reader = connectMinutes({ url: server.url, cookie: cookies[0], meetingId });
      try {
        await reader.whenSynced();
        const seen = new Set(paragraphsOf(reader.doc));
        const missingSeen = acknowledged.filter((m) => !seen.has(m));
        expect(missingSeen, `iteration ${iteration}: acknowledged but not served after restart`).toEqual([]);
        for (const t of typists) {
          for (const m of t.pending) {
            if (seen.has(m)) unacknowledgedKept++;
            else unacknowledgedLost++;
          }
        }
        // The reader writes one line and leaves: being the last to leave after a change, it
        // makes the server store (compact) the document now, into the next round's typing.
        const note = `r-i${iteration}`;
        reader.appendParagraph(note);
        await reader.whenAcknowledged();
        acknowledged.push(note);
      } finally {
        readerLeftAt = Date.now();
        reader.close();
      }

      expect(await integrityCheck(), `iteration ${iteration}: PRAGMA integrity_check`).toBe("ok");

      // Every fourth round, one more crash aimed at that compaction itself (0–60 ms after the
      // reader left): it must commit whole or not at all.
      if (iteration % 4 === 3) {
        await sleep(between(0, 60));
        await server.stop("SIGKILL");
        server = await startServer({ port: server.port, databaseFile: server.databaseFile });
        servers.push(server);
        kills++;
        const snapshot = await database.execute({ sql: "select at from minutes_snapshots where meeting_id = ?", args: [meetingId] });
        if (Number(snapshot.rows[0]?.at ?? 0) >= readerLeftAt) compactedBeforeKill++;
        else killedBeforeCompacted++;
        readerLeftAt = 0;
        const reloaded = new Set(paragraphsOf(await loadDoc(meetingId)));
        expect(acknowledged.filter((m) => !reloaded.has(m)), `iteration ${iteration}: lost in a crash during compaction`).toEqual([]);
        expect(await integrityCheck(), `iteration ${iteration}: PRAGMA integrity_check after a crash during compaction`).toBe("ok");
      }
    }

    const seconds = (performance.now() - started) / 1000;
    console.log(
      `minutes crash test: ${ITERATIONS} iterations, ${kills} SIGKILLs, ${acknowledged.length} acknowledged markers all present after every restart, ` +
        `${typed} markers typed (${unacknowledgedKept} unacknowledged kept, ${unacknowledgedLost} lost), ` +
        `compaction committed before ${compactedBeforeKill} kills and not before ${killedBeforeCompacted}, integrity ok, ${seconds.toFixed(1)} s`,
    );
  });
});
