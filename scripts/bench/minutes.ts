import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync, gzipSync } from "node:zlib";
import { createClient, type Client } from "@libsql/client";
import * as Y from "yjs";
import { launchBrowser } from "../../tests/support/browser";
import { connectMinutes, MINUTES_FRAGMENT, paragraphsOf, textOf, type MinutesClient } from "../../tests/support/collab-client";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../../tests/support/server";
import { kb, ms, pageJavaScript, signInCookie, stats } from "./support";

/**
 * The collaborative minutes: how fast a keystroke reaches everyone else with 130 people on one
 * document, what a long document costs to store and to open (a real editing trace replayed
 * through the server), and how much JavaScript the minutes page loads.
 */

const TRACE = fileURLToPath(new URL("../../../shared/data/editing-traces/automerge-paper.json.gz", import.meta.url));
const WRITERS = 30;
const READERS = 100;
const KEYSTROKES = 300;
const OPS_PER_TRANSACTION = 500;

const WRITER_ACCOUNTS = ["secretariat", "us.head", "jp.head", "kr.head", "us.delegate", "jp.delegate", "kr.delegate"].map((a) => `${a}@concord.test`);
const READER_ACCOUNTS = ["us.official", "jp.official", "kr.official"].map((a) => `${a}@concord.test`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function scheduledMeeting(database: Client): Promise<string> {
  const result = await database.execute(
    "select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' limit 1",
  );
  const id = result.rows[0]?.id;
  if (!id) throw new Error("the demo has no scheduled meeting");
  return String(id);
}

async function connectAll(server: RunningServer, cookies: string[], meetingId: string): Promise<MinutesClient[]> {
  const clients: MinutesClient[] = [];
  for (let i = 0; i < cookies.length; i += 10) {
    const batch = cookies.slice(i, i + 10).map((cookie) => connectMinutes({ url: server.url, cookie, meetingId }));
    await Promise.all(batch.map((c) => c.whenSynced()));
    clients.push(...batch);
  }
  return clients;
}

export async function benchMinutes() {
  buildApp();
  await crowd();
  await longDocument();
}

/** (a) 30 writers and 100 readers on one document; (c) the page's JavaScript. */
async function crowd() {
  const server = await startServer();
  const database = createClient({ url: `file:${server.databaseFile}` });
  try {
    const meetingId = await scheduledMeeting(database);
    const writerCookies = await Promise.all(WRITER_ACCOUNTS.map((email) => signInCookie(server.url, email)));
    const readerCookies = await Promise.all(READER_ACCOUNTS.map((email) => signInCookie(server.url, email)));
    const writers = await connectAll(server, Array.from({ length: WRITERS }, (_, i) => writerCookies[i % writerCookies.length]), meetingId);
    const readers = await connectAll(server, Array.from({ length: READERS }, (_, i) => readerCookies[i % readerCookies.length]), meetingId);
    const everyone = [...writers, ...readers];

    // Each client notes when each marker paragraph reaches it.
    const waiting = new Map<string, { remaining: number; started: number; arrivals: number[]; done: () => void }>();
    for (const client of everyone) {
      client.doc.getXmlFragment(MINUTES_FRAGMENT).observe((event) => {
        if (event.transaction.local) return;
        const now = performance.now();
        for (const item of event.changes.added) {
          const node = (item.content as Y.ContentType).type;
          if (!(node instanceof Y.XmlElement) || node.nodeName !== "paragraph") continue;
          const first = node.get(0);
          const marker = first instanceof Y.XmlText ? textOf(first) : "";
          const entry = waiting.get(marker);
          if (!entry) continue;
          entry.arrivals.push(now - entry.started);
          if (--entry.remaining === 0) entry.done();
        }
      });
    }

    const latencies: number[] = [];
    const acks: number[] = [];
    for (let k = 0; k < KEYSTROKES; k++) {
      const writer = writers[k % WRITERS];
      const marker = `bench-${k}`;
      let done!: () => void;
      const arrived = new Promise<void>((resolve) => (done = resolve));
      const entry = { remaining: everyone.length - 1, started: performance.now(), arrivals: [] as number[], done };
      waiting.set(marker, entry);
      writer.appendParagraph(marker);
      const acknowledged = writer.whenAcknowledged().then(() => acks.push(performance.now() - entry.started));
      const timeout = sleep(10_000).then(() => {
        throw new Error(`${marker}: ${entry.remaining} clients never received it`);
      });
      await Promise.race([Promise.all([arrived, acknowledged]), timeout]);
      waiting.delete(marker);
      latencies.push(...entry.arrivals);
    }
    const l = stats(latencies);
    const a = stats(acks);
    console.log(
      `  minutes keystroke → every other client, ${WRITERS} writers + ${READERS} readers in one process: median ${ms(l.median)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (${KEYSTROKES} keystrokes × ${everyone.length - 1} receivers)`,
    );
    console.log(`  minutes keystroke → stored and acknowledged to its writer, same crowd: median ${ms(a.median)}, p99 ${ms(a.p99)} (${a.n} keystrokes)`);
    for (const c of everyone) c.close();

    await pageWeight(server, meetingId, writerCookies[4]);
  } finally {
    database.close();
    await server.stop();
    removeServerFiles(server);
  }
}

/** (c) JavaScript of the minutes page: at first paint, and once the lazily loaded editor is up. */
async function pageWeight(server: RunningServer, meetingId: string, cookie: string) {
  const path = `/meetings/${meetingId}/minutes`;
  const first = await pageJavaScript(server.url, path, cookie);
  console.log(`  JavaScript of the minutes page at first paint (modulepreload): ${kb(first.gzipped)} gzipped (${kb(first.raw)} raw, ${first.files} files)`);

  let browser;
  try {
    browser = await launchBrowser();
  } catch (error) {
    console.log(`  JavaScript of the minutes page with the editor: skipped (${(error as Error).message})`);
    return;
  }
  try {
    const context = await browser.newContext({ baseURL: server.url });
    const [name, ...value] = cookie.split("=");
    await context.addCookies([{ name, value: value.join("="), url: server.url }]);
    const page = await context.newPage();
    const scripts = new Map<string, Promise<Buffer>>();
    page.on("response", (response) => {
      const url = new URL(response.url());
      if (url.pathname.endsWith(".js") && response.ok()) scripts.set(url.pathname, response.body());
    });
    await page.goto(path);
    await page.getByRole("textbox", { name: "Minutes text" }).waitFor({ timeout: 30_000 });
    await page.waitForLoadState("networkidle");
    let raw = 0;
    let gzipped = 0;
    for (const body of await Promise.all(scripts.values())) {
      raw += body.length;
      gzipped += gzipSync(new Uint8Array(body)).length;
    }
    console.log(
      `  JavaScript of the minutes page with the editor loaded (browser): ${kb(gzipped)} gzipped (${kb(raw)} raw, ${scripts.size} files; ` +
        `${kb(gzipped - first.gzipped)} gzipped more than at first paint)`,
    );
    await context.close();
  } finally {
    await browser.close();
  }
}

interface Trace {
  startContent: string;
  endContent: string;
  txns: { patches: [number, number, string][] }[];
}

/** (b) A long document: the automerge-paper trace typed through the server, then stored and opened again. */
async function longDocument() {
  if (!existsSync(TRACE)) {
    console.log(`  long minutes document (editing trace): skipped, ${TRACE} is missing (the benchmark reads ../shared; the app does not need it)`);
    return;
  }
  const trace = JSON.parse(gunzipSync(new Uint8Array(readFileSync(TRACE))).toString("utf8")) as Trace;
  const operations = trace.txns.reduce((n, t) => n + t.patches.length, 0);

  const server = await startServer();
  const database = createClient({ url: `file:${server.databaseFile}` });
  try {
    const meetingId = await scheduledMeeting(database);
    const cookie = await signInCookie(server.url, "us.delegate@concord.test");
    const storedSize = async () => {
      const updates = await database.execute({ sql: "select count(*) n, coalesce(sum(length(\"update\")), 0) bytes from minutes_updates where meeting_id = ?", args: [meetingId] });
      const snapshots = await database.execute({ sql: "select count(*) n, coalesce(sum(length(state)), 0) bytes, max(at) at from minutes_snapshots where meeting_id = ?", args: [meetingId] });
      return {
        updates: Number(updates.rows[0].n),
        updateBytes: Number(updates.rows[0].bytes),
        snapshots: Number(snapshots.rows[0].n),
        snapshotBytes: Number(snapshots.rows[0].bytes),
        snapshotAt: Number(snapshots.rows[0].at ?? 0),
      };
    };

    // Type the whole trace into one paragraph, OPS_PER_TRANSACTION operations per Yjs transaction.
    const writer = connectMinutes({ url: server.url, cookie, meetingId });
    await writer.whenSynced();
    const paragraph = new Y.XmlElement("paragraph");
    const text = new Y.XmlText(trace.startContent);
    paragraph.insert(0, [text]);
    writer.doc.getXmlFragment(MINUTES_FRAGMENT).push([paragraph]);
    const started = performance.now();
    let batch: [number, number, string][] = [];
    const flush = () => {
      const ops = batch;
      batch = [];
      writer.doc.transact(() => {
        for (const [pos, deleted, inserted] of ops) {
          if (deleted) text.delete(pos, deleted);
          if (inserted) text.insert(pos, inserted);
        }
      });
    };
    for (const txn of trace.txns) {
      for (const patch of txn.patches) {
        batch.push(patch);
        if (batch.length === OPS_PER_TRANSACTION) flush();
      }
    }
    if (batch.length) flush();
    const typed = performance.now() - started;
    await writer.whenAcknowledged();
    const acknowledged = performance.now() - started;
    if (textOf(text) !== trace.endContent) throw new Error("the replayed text differs from the trace's endContent");
    const log = await storedSize();
    console.log(
      `  editing trace (automerge-paper, ${operations} operations, ${trace.endContent.length} chars) typed through the server in ${Math.ceil(operations / OPS_PER_TRANSACTION)} updates: ` +
        `${ms(typed)} to apply locally, ${ms(acknowledged)} until all stored and acknowledged`,
    );
    console.log(`  its update log before compaction: ${log.updates} rows, ${kb(log.updateBytes)} (+ snapshot ${kb(log.snapshotBytes)})`);

    // The last client leaves: the server stores (compacts) at once. Wait for that store to land.
    const left = Date.now();
    writer.close();
    const stored = await until(async () => {
      const s = await storedSize();
      return s.snapshotAt >= left - 1000 && s.updates <= 2 ? s : null;
    }, 30_000);
    const storedAfter = Date.now() - left;
    const extras = await database.execute({
      sql: "select (select length(text) from minutes where meeting_id = ?) text_bytes, (select count(*) from minutes_versions where meeting_id = ?) versions, (select coalesce(sum(length(state)), 0) from minutes_versions where meeting_id = ?) version_bytes",
      args: [meetingId, meetingId, meetingId],
    });
    const extra = extras.rows[0];
    console.log(
      `  stored after compaction: ${stored.updates} update rows ${kb(stored.updateBytes)} + ${stored.snapshots} snapshot ${kb(stored.snapshotBytes)} = ${kb(stored.updateBytes + stored.snapshotBytes)}, seen ${storedAfter} ms after the last client left` +
        ` (besides: search text ${kb(Number(extra.text_bytes ?? 0))}, ${Number(extra.versions)} autosave version(s) ${kb(Number(extra.version_bytes))})`,
    );

    // Opening it: a fresh client connects and syncs the whole document.
    const cold: number[] = [];
    const warm: number[] = [];
    let final: Y.Doc | null = null;
    for (let i = 0; i < 5; i++) {
      // Cold: nobody has it open, so the server loads it from the database first.
      await sleep(1000);
      const t0 = performance.now();
      const reader = connectMinutes({ url: server.url, cookie, meetingId });
      await reader.whenSynced();
      cold.push(performance.now() - t0);
      // Warm: a second person opens it while the first still has it open.
      const t1 = performance.now();
      const second = connectMinutes({ url: server.url, cookie, meetingId });
      await second.whenSynced();
      warm.push(performance.now() - t1);
      const paragraphs = paragraphsOf(second.doc);
      if (!paragraphs.includes(trace.endContent)) throw new Error("the reopened document does not hold the trace's endContent");
      if (i === 4) {
        final = new Y.Doc();
        Y.applyUpdate(final, Y.encodeStateAsUpdate(second.doc));
      }
      second.close();
      reader.close();
    }
    const c = stats(cold);
    const w = stats(warm);
    const afterVisits = await storedSize();
    console.log(
      `  open it (connect + full sync of a fresh client): not in server memory median ${ms(c.median)}, already open median ${ms(w.median)} (5 each; ` +
        `these 10 visits without edits appended ${afterVisits.updates - stored.updates} update rows)`,
    );
    const v2 = Y.encodeStateAsUpdateV2(final!).length;
    const v1 = Y.encodeStateAsUpdate(final!).length;
    console.log(`  Yjs's own encodings of the same final document: encodeStateAsUpdateV2 ${kb(v2)}, encodeStateAsUpdate (V1) ${kb(v1)}; final text equals endContent`);
  } finally {
    database.close();
    await server.stop();
    removeServerFiles(server);
  }
}

async function until<T>(probe: () => Promise<T | null>, timeout: number): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null) return value;
    if (Date.now() - started > timeout) throw new Error("timed out waiting for the server to store the document");
    await sleep(250);
  }
}
