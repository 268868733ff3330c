import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client";
import * as Y from "yjs";
import { connectMinutes, MINUTES_FRAGMENT, textOf, type MinutesClient } from "../../tests/support/collab-client";
import { startRedis } from "../../tests/support/redis";
import { buildApp, removeServerFiles, ROOT, startServer, type RunningServer } from "../../tests/support/server";
import { startSqld } from "../../tests/support/sqld";
import { ms, signInCookie, stats } from "./support";

/**
 * Scale-out (ADR 021): the same measurements on one instance with the embedded file, one
 * instance on sqld, and two instances sharing sqld and Redis (without and with a read replica).
 * Meeting page requests per second (20 at a time), agenda writes per second with 50 concurrent
 * writers (and how many failed), and a keystroke's way to other clients with 30 writers and 100
 * readers: on the cluster to the clients on the other instance, on one sqld instance to the rest.
 *
 * Every instance's output is kept in tmp/bench/cluster-<row>-<n>.log, and every answer that is
 * not 2xx/3xx is printed with its status and the log lines of its request (by X-Request-Id).
 * `BENCH_CLUSTER_ROWS=sqld-redis` (comma-separated: embedded, sqld, sqld-redis, replica) runs
 * only those rows, to repeat one; `BENCH_CLUSTER_KEYSTROKES=0` leaves the keystroke figures out.
 */

const PAGE_REQUESTS = 300;
const PAGE_CONCURRENCY = 20;
const WRITERS = 50;
const WRITES_EACH = 4;
const MINUTES_WRITERS = 30;
const MINUTES_READERS = 100;
const KEYSTROKES = 150;

const DELEGATES = ["us.delegate", "jp.delegate", "kr.delegate", "us.head", "jp.head", "kr.head"].map((a) => `${a}@concord.test`);
const READERS = ["us.official", "jp.official", "kr.official"].map((a) => `${a}@concord.test`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The machine's load average (1, 5, 15 min): figures from a shared machine mean little without it. */
const load = () => `load ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`;

async function openMeeting(database: Client) {
  const result = await database.execute(
    "select m.id from meetings m join bodies b on b.id = m.body_id join agendas g on g.meeting_id = m.id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' and g.locked_at is null limit 1",
  );
  const meetingId = String(result.rows[0]?.id ?? "");
  if (!meetingId) throw new Error("the demo has no open agenda");
  const delegation = await database.execute({ sql: "select d.id from delegations d join meetings m on m.body_id = d.body_id where m.id = ? and d.code = 'US'", args: [meetingId] });
  return { meetingId, usDelegationId: String(delegation.rows[0].id) };
}

async function pageRate(servers: RunningServer[], path: string, cookie: string) {
  let next = 0;
  let errors = 0;
  const failures: Failure[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PAGE_CONCURRENCY }, async () => {
      while (next < PAGE_REQUESTS) {
        const instance = next++ % servers.length;
        const response = await fetch(`${servers[instance].url}${path}`, { headers: { cookie } });
        const body = await response.text();
        if (!response.ok) {
          errors++;
          failures.push({ status: String(response.status), instance, requestId: response.headers.get("x-request-id") ?? "", body, at: new Date().toISOString() });
        }
      }
    }),
  );
  return { perSecond: PAGE_REQUESTS / ((performance.now() - started) / 1000), errors, failures };
}

async function writeRate(servers: RunningServer[], meetingId: string, usDelegationId: string, cookies: string[]) {
  let errors = 0;
  const statuses = new Map<string, number>();
  const failures: Failure[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < WRITES_EACH; i++) {
        const instance = (w + i) % servers.length;
        const server = servers[instance];
        // A connection that fails (reset, refused) is an error to count, not the end of the run.
        const status = await fetch(`${server.url}/meetings/${meetingId}/agenda`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, cookie: cookies[w % cookies.length], accept: "application/json" },
          body: new URLSearchParams({ intent: "propose", title: `Bench item ${w}-${i}`, description: "", kind: "discussion", leadDelegationId: usDelegationId, presenterId: "", minutes: "1", marking: "TLP:GREEN" }),
        }).then(
          async (response) => {
            const body = await response.text();
            if (response.status >= 400) failures.push({ status: String(response.status), instance, requestId: response.headers.get("x-request-id") ?? "", body, at: new Date().toISOString() });
            return String(response.status);
          },
          (error: { cause?: { code?: string } }) => {
            const code = error.cause?.code ?? "fetch failed";
            failures.push({ status: code, instance, requestId: "", body: "", at: new Date().toISOString() });
            return code;
          },
        );
        if (!/^[23]/.test(status)) {
          errors++;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: (WRITERS * WRITES_EACH) / seconds, errors, failures, statuses: [...statuses].map(([s, n]) => `${n}×${s}`).join(", ") };
}

interface Failure {
  status: string;
  instance: number;
  requestId: string;
  body: string;
  at: string;
}

const LOG_DIR = join(ROOT, "tmp", "bench");

/** Writes each instance's output to tmp/bench/cluster-<row>-<n>.log and returns the paths. */
function keepLogs(row: string, servers: RunningServer[]) {
  mkdirSync(LOG_DIR, { recursive: true });
  return servers.map((server, n) => {
    const path = join(LOG_DIR, `cluster-${row}-${n + 1}.log`);
    writeFileSync(path, server.output());
    return path;
  });
}

/** A failed answer with what its instance logged about it: the lines from its request id on, else the log's tail. */
function explain(failure: Failure, server: RunningServer) {
  const lines = server.output().split("\n");
  const at = failure.requestId ? lines.findIndex((line) => line.includes(failure.requestId)) : -1;
  const excerpt = at >= 0 ? lines.slice(Math.max(0, at - 3), at + 40) : lines.slice(-30);
  const page = /<title>([^<]*)<\/title>/.exec(failure.body)?.[1] ?? failure.body.slice(0, 200);
  return [
    `    ${failure.status} at ${failure.at} from instance ${failure.instance + 1}, request ${failure.requestId || "(no answer)"}: ${page}`,
    at >= 0 ? "    its log lines:" : "    (its request id is not in the log; the log's last lines:)",
    ...excerpt.map((line) => `      | ${line}`),
  ].join("\n");
}

async function measure(label: string, row: string, servers: RunningServer[], database: Client) {
  const { meetingId, usDelegationId } = await openMeeting(database);
  const cookies = await Promise.all(DELEGATES.map((email) => signInCookie(servers[0].url, email)));
  await fetch(`${servers[0].url}/meetings/${meetingId}`, { headers: { cookie: cookies[0] } }).then((r) => r.arrayBuffer());
  const page = await pageRate(servers, `/meetings/${meetingId}`, cookies[0]);
  console.log(`  ${label}: meeting page, ${PAGE_CONCURRENCY} at a time: ${page.perSecond.toFixed(0)} req/s (${page.errors} errors, ${PAGE_REQUESTS} requests; ${load()})`);
  const writes = await writeRate(servers, meetingId, usDelegationId, cookies);
  console.log(
    `  ${label}: agenda writes, ${WRITERS} concurrent writers: ${writes.perSecond.toFixed(0)} writes/s (${writes.errors} errors${writes.statuses ? `: ${writes.statuses}` : ""}, ${WRITERS * WRITES_EACH} writes; ${load()})`,
  );
  const logs = keepLogs(row, servers);
  const failures = [...page.failures, ...writes.failures];
  for (const failure of failures) console.log(explain(failure, servers[failure.instance]));
  if (failures.length) console.log(`    instance logs: ${logs.join(", ")}`);
  return meetingId;
}

async function connectAll(servers: RunningServer[], cookies: string[], meetingId: string, count: number, offset: number) {
  const clients: { client: MinutesClient; instance: number }[] = [];
  for (let i = 0; i < count; i += 10) {
    const batch = Array.from({ length: Math.min(10, count - i) }, (_, j) => {
      const instance = (offset + i + j) % servers.length;
      return { client: connectMinutes({ url: servers[instance].url, cookie: cookies[(i + j) % cookies.length], meetingId }), instance };
    });
    await Promise.all(batch.map((c) => c.client.whenSynced(30_000)));
    clients.push(...batch);
  }
  return clients;
}

/**
 * A keystroke reaching the other clients: on two instances, every client connected to the
 * other instance; on one, every other client.
 */
async function keystrokes(label: string, servers: RunningServer[], meetingId: string) {
  const apart = servers.length > 1;
  const writerCookies = await Promise.all(DELEGATES.map((email) => signInCookie(servers[0].url, email)));
  const readerCookies = await Promise.all(READERS.map((email) => signInCookie(servers[0].url, email)));
  const writers = await connectAll(servers, writerCookies, meetingId, MINUTES_WRITERS, 0);
  const readers = await connectAll(servers, readerCookies, meetingId, MINUTES_READERS, 1);
  const everyone = [...writers, ...readers];
  const waiting = new Map<string, { from: number; remaining: number; started: number; arrivals: number[]; done: () => void }>();
  for (const { client, instance } of everyone) {
    client.doc.getXmlFragment(MINUTES_FRAGMENT).observe((event) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const item of event.changes.added) {
        const node = (item.content as Y.ContentType).type;
        if (!(node instanceof Y.XmlElement) || node.nodeName !== "paragraph") continue;
        const first = node.get(0);
        const entry = waiting.get(first instanceof Y.XmlText ? textOf(first) : "");
        if (!entry || (apart && entry.from === instance)) continue;
        entry.arrivals.push(now - entry.started);
        if (--entry.remaining === 0) entry.done();
      }
    });
  }
  const latencies: number[] = [];
  for (let k = 0; k < KEYSTROKES; k++) {
    const writer = writers[k % writers.length];
    const marker = `cluster-bench-${k}`;
    let done!: () => void;
    const arrived = new Promise<void>((resolve) => (done = resolve));
    const others = apart ? everyone.filter((c) => c.instance !== writer.instance).length : everyone.length - 1;
    const entry = { from: writer.instance, remaining: others, started: performance.now(), arrivals: [] as number[], done };
    waiting.set(marker, entry);
    writer.client.appendParagraph(marker);
    await Promise.race([arrived, sleep(10_000).then(() => Promise.reject(new Error(`${marker}: ${entry.remaining} clients never received it`)))]);
    waiting.delete(marker);
    latencies.push(...entry.arrivals);
  }
  const l = stats(latencies);
  const whom = apart ? `clients on the other instance, ${MINUTES_WRITERS} writers + ${MINUTES_READERS} readers over 2 instances` : `the other clients, ${MINUTES_WRITERS} writers + ${MINUTES_READERS} readers on 1 instance`;
  console.log(
    `  ${label}: minutes keystroke → ${whom}: median ${ms(l.median)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (${KEYSTROKES} keystrokes, ${l.n} arrivals; ${load()})`,
  );
  for (const { client } of everyone) client.close();
}

const withKeystrokes = process.env.BENCH_CLUSTER_KEYSTROKES !== "0";
const ROWS = ["embedded", "sqld", "sqld-redis", "replica"] as const;

function wantedRows(): Set<string> {
  const asked = (process.env.BENCH_CLUSTER_ROWS ?? "").split(",").map((r) => r.trim()).filter(Boolean);
  const unknown = asked.filter((r) => !(ROWS as readonly string[]).includes(r));
  if (unknown.length) throw new Error(`unknown BENCH_CLUSTER_ROWS: ${unknown.join(", ")}; known: ${ROWS.join(", ")}`);
  return new Set(asked.length ? asked : ROWS);
}

async function stopAll(servers: RunningServer[]) {
  for (const s of servers) {
    await s.stop();
    removeServerFiles(s);
  }
}

export async function benchCluster() {
  const rows = wantedRows();
  buildApp();
  console.log(`  started ${new Date().toISOString()}, ${load()}`);
  if (rows.has("embedded")) {
    // One instance on the embedded file.
    const single = await startServer();
    const file = createClient({ url: `file:${single.databaseFile}` });
    try {
      await measure("embedded, 1 instance", "embedded", [single], file);
    } finally {
      file.close();
      await stopAll([single]);
    }
  }
  if (rows.has("sqld")) {
    // One instance on sqld, no Redis: what the network hop to the database costs by itself.
    const sqld = await startSqld();
    const servers: RunningServer[] = [];
    const database = createClient({ url: sqld.url });
    try {
      servers.push(await startServer({ env: { DATABASE_URL: sqld.url } }));
      const meetingId = await measure("sqld, 1 instance", "sqld", servers, database);
      if (withKeystrokes) await keystrokes("sqld, 1 instance", servers, meetingId);
    } finally {
      database.close();
      await stopAll(servers);
      await sqld.remove();
    }
  }
  if (rows.has("sqld-redis")) {
    // Two instances on sqld with Redis.
    const [sqld, redis] = await Promise.all([startSqld(), startRedis()]);
    const env = { DATABASE_URL: sqld.url, REDIS_URL: redis.url };
    const servers: RunningServer[] = [];
    const database = createClient({ url: sqld.url });
    try {
      servers.push(await startServer({ env }));
      servers.push(await startServer({ env: { ...env, SEED_DEMO: "0" } }));
      const meetingId = await measure("sqld + Redis, 2 instances", "sqld-redis", servers, database);
      if (withKeystrokes) await keystrokes("sqld + Redis, 2 instances", servers, meetingId);
    } finally {
      database.close();
      await stopAll(servers);
      await redis.remove();
      await sqld.remove();
    }
  }
  if (rows.has("replica")) {
    // The same two instances with a read replica (ADR 030): page reads go to it.
    const primary = await startSqld({ primary: true });
    const replica = await startSqld({ replicaOf: primary.grpcPort });
    const redis = await startRedis();
    const replicated = { DATABASE_URL: primary.url, DATABASE_REPLICA_URL: replica.url, REDIS_URL: redis.url };
    const withReplica: RunningServer[] = [];
    const onPrimary = createClient({ url: primary.url });
    try {
      withReplica.push(await startServer({ env: replicated }));
      withReplica.push(await startServer({ env: { ...replicated, SEED_DEMO: "0" } }));
      for (const s of withReplica) await untilReadsFromReplica(s);
      await measure("sqld + replica + Redis, 2 instances", "replica", withReplica, onPrimary);
    } finally {
      onPrimary.close();
      await stopAll(withReplica);
      await redis.remove();
      await replica.remove();
      await primary.remove();
    }
  }
}

async function untilReadsFromReplica(server: RunningServer) {
  for (let i = 0; i < 300; i++) {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { replica?: { reads: string } };
    if (health.replica?.reads === "replica") return;
    await sleep(100);
  }
  throw new Error("the replica never caught up");
}
