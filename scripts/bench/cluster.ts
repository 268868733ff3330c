import { loadavg } from "node:os";
import { createClient, type Client } from "@libsql/client";
import * as Y from "yjs";
import { connectMinutes, MINUTES_FRAGMENT, textOf, type MinutesClient } from "../../tests/support/collab-client";
import { startRedis } from "../../tests/support/redis";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../../tests/support/server";
import { startSqld } from "../../tests/support/sqld";
import { ms, signInCookie, stats } from "./support";

/**
 * Scale-out (ADR 021): the same measurements on one instance with the embedded file and on
 * two instances sharing sqld and Redis. Meeting page requests per second (20 at a time), agenda
 * writes per second with 50 concurrent writers (and how many failed), and, on the cluster, a
 * keystroke's way to clients on the other instance with 30 writers and 100 readers.
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
  const started = performance.now();
  await Promise.all(
    Array.from({ length: PAGE_CONCURRENCY }, async () => {
      while (next < PAGE_REQUESTS) {
        const server = servers[next++ % servers.length];
        const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
        await response.arrayBuffer();
        if (!response.ok) errors++;
      }
    }),
  );
  return { perSecond: PAGE_REQUESTS / ((performance.now() - started) / 1000), errors };
}

async function writeRate(servers: RunningServer[], meetingId: string, usDelegationId: string, cookies: string[]) {
  let errors = 0;
  const statuses = new Map<string, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < WRITES_EACH; i++) {
        const server = servers[(w + i) % servers.length];
        // A connection that fails (reset, refused) is an error to count, not the end of the run.
        const status = await fetch(`${server.url}/meetings/${meetingId}/agenda`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, cookie: cookies[w % cookies.length], accept: "application/json" },
          body: new URLSearchParams({ intent: "propose", title: `Bench item ${w}-${i}`, description: "", kind: "discussion", leadDelegationId: usDelegationId, presenterId: "", minutes: "1", marking: "TLP:GREEN" }),
        }).then(
          async (response) => (await response.arrayBuffer(), String(response.status)),
          (error: { cause?: { code?: string } }) => error.cause?.code ?? "fetch failed",
        );
        if (!/^[23]/.test(status)) {
          errors++;
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: (WRITERS * WRITES_EACH) / seconds, errors, statuses: [...statuses].map(([s, n]) => `${n}×${s}`).join(", ") };
}

async function measure(label: string, servers: RunningServer[], database: Client) {
  const { meetingId, usDelegationId } = await openMeeting(database);
  const cookies = await Promise.all(DELEGATES.map((email) => signInCookie(servers[0].url, email)));
  await fetch(`${servers[0].url}/meetings/${meetingId}`, { headers: { cookie: cookies[0] } }).then((r) => r.arrayBuffer());
  const page = await pageRate(servers, `/meetings/${meetingId}`, cookies[0]);
  console.log(`  ${label}: meeting page, ${PAGE_CONCURRENCY} at a time: ${page.perSecond.toFixed(0)} req/s (${page.errors} errors, ${PAGE_REQUESTS} requests; ${load()})`);
  const writes = await writeRate(servers, meetingId, usDelegationId, cookies);
  console.log(
    `  ${label}: agenda writes, ${WRITERS} concurrent writers: ${writes.perSecond.toFixed(0)} writes/s (${writes.errors} errors${writes.statuses ? `: ${writes.statuses}` : ""}, ${WRITERS * WRITES_EACH} writes; ${load()})`,
  );
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

/** A keystroke on one instance reaching every client connected to the other. */
async function crossInstanceKeystrokes(servers: RunningServer[], meetingId: string) {
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
        if (!entry || entry.from === instance) continue;
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
    const others = everyone.filter((c) => c.instance !== writer.instance).length;
    const entry = { from: writer.instance, remaining: others, started: performance.now(), arrivals: [] as number[], done };
    waiting.set(marker, entry);
    writer.client.appendParagraph(marker);
    await Promise.race([arrived, sleep(10_000).then(() => Promise.reject(new Error(`${marker}: ${entry.remaining} clients on the other instance never received it`)))]);
    waiting.delete(marker);
    latencies.push(...entry.arrivals);
  }
  const l = stats(latencies);
  console.log(
    `  cluster: minutes keystroke → clients on the other instance, ${MINUTES_WRITERS} writers + ${MINUTES_READERS} readers over 2 instances: median ${ms(l.median)}, p99 ${ms(l.p99)}, max ${ms(l.max)} (${KEYSTROKES} keystrokes, ${l.n} arrivals; ${load()})`,
  );
  for (const { client } of everyone) client.close();
}

export async function benchCluster() {
  buildApp();
  console.log(`  started ${new Date().toISOString()}, ${load()}`);
  // One instance on the embedded file.
  const single = await startServer();
  const file = createClient({ url: `file:${single.databaseFile}` });
  try {
    await measure("embedded, 1 instance", [single], file);
  } finally {
    file.close();
    await single.stop();
    removeServerFiles(single);
  }
  // Two instances on sqld with Redis.
  const [sqld, redis] = await Promise.all([startSqld(), startRedis()]);
  const env = { DATABASE_URL: sqld.url, REDIS_URL: redis.url };
  const servers: RunningServer[] = [];
  const database = createClient({ url: sqld.url });
  try {
    servers.push(await startServer({ env }));
    servers.push(await startServer({ env: { ...env, SEED_DEMO: "0" } }));
    const meetingId = await measure("sqld + Redis, 2 instances", servers, database);
    await crossInstanceKeystrokes(servers, meetingId);
  } finally {
    database.close();
    for (const s of servers) {
      await s.stop();
      removeServerFiles(s);
    }
    await redis.remove();
    await sqld.remove();
  }
  // The same two instances with a read replica (ADR 030): page reads go to it.
  const primary = await startSqld({ primary: true });
  const replica = await startSqld({ replicaOf: primary.grpcPort });
  const redis2 = await startRedis();
  const replicated = { DATABASE_URL: primary.url, DATABASE_REPLICA_URL: replica.url, REDIS_URL: redis2.url };
  const withReplica: RunningServer[] = [];
  const onPrimary = createClient({ url: primary.url });
  try {
    withReplica.push(await startServer({ env: replicated }));
    withReplica.push(await startServer({ env: { ...replicated, SEED_DEMO: "0" } }));
    for (const s of withReplica) await untilReadsFromReplica(s);
    await measure("sqld + replica + Redis, 2 instances", withReplica, onPrimary);
  } finally {
    onPrimary.close();
    for (const s of withReplica) {
      await s.stop();
      removeServerFiles(s);
    }
    await redis2.remove();
    await replica.remove();
    await primary.remove();
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
