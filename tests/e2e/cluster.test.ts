import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { signInCookie } from "../../scripts/bench/support";
import { connectMinutes, paragraphsOf, type MinutesClient } from "../support/collab-client";
import { startNginx, type RunningNginx } from "../support/nginx";
import { startRedis, type RunningRedis } from "../support/redis";
import { freePort, removeServerFiles, startServer, type RunningServer } from "../support/server";
import { startSmtp } from "../support/smtp";
import { startSqld, type RunningSqld } from "../support/sqld";

/**
 * Two instances on one libSQL server with Redis between them (ADR 021): delegates on
 * different instances write one minutes document together, an agenda change on one reaches a
 * viewer on the other, and when one instance is SIGKILLed while three people type, no
 * acknowledged edit is lost and its people carry on on the other instance. nginx (the recipe's
 * configuration) stands in front of both, as in production: pages, the agenda's events and the
 * minutes' WebSocket upgrades go through it, and its editors carry on when an instance dies.
 */
const TYPISTS = ["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("two instances, one sqld, one Redis", () => {
  let sqld: RunningSqld;
  let redis: RunningRedis;
  let a: RunningServer;
  let b: RunningServer;
  let proxy: RunningNginx;
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let database: Client;
  let meetingId: string;
  let cookies: string[];
  const clients: MinutesClient[] = [];

  beforeAll(async () => {
    [sqld, redis, smtp] = await Promise.all([startSqld(), startRedis(), startSmtp()]);
    const proxyPort = await freePort();
    // Both instances deliver the outbox, often, to one SMTP server.
    const env = { DATABASE_URL: sqld.url, REDIS_URL: redis.url, SMTP_URL: smtp.url, OUTBOX_INTERVAL_MS: "200", ALLOWED_ORIGINS: `http://localhost:${proxyPort}`, TRUST_PROXY: "loopback" };
    a = await startServer({ env });
    b = await startServer({ env: { ...env, SEED_DEMO: "0" } });
    proxy = await startNginx({ port: proxyPort, instances: [a.port, b.port] });
    database = createClient({ url: sqld.url });
    const meetings = await database.execute(
      "select m.id from meetings m join bodies b on b.id = m.body_id join agendas g on g.meeting_id = m.id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' and g.locked_at is null limit 1",
    );
    meetingId = String(meetings.rows[0]?.id ?? "");
    expect(meetingId).not.toBe("");
    // Sessions are rows in the shared database: a cookie from one instance works on the other.
    cookies = await Promise.all(TYPISTS.map((email) => signInCookie(a.url, email)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    database?.close();
    await proxy?.remove();
    await smtp?.close();
    for (const s of [a, b]) {
      if (!s) continue;
      await s.stop();
      removeServerFiles(s);
    }
    await redis?.remove();
    await sqld?.remove();
  });

  /** The minutes as stored in sqld: the snapshot plus the updates not yet folded into it (ADR 007). */
  const storedDoc = async () => {
    const doc = new Y.Doc();
    const snapshot = await database.execute({ sql: "select state from minutes_snapshots where meeting_id = ?", args: [meetingId] });
    const updates = await database.execute({ sql: "select \"update\" from minutes_updates where meeting_id = ? order by id", args: [meetingId] });
    if (snapshot.rows[0]) Y.applyUpdateV2(doc, new Uint8Array(snapshot.rows[0].state as ArrayBuffer));
    for (const row of updates.rows) Y.applyUpdate(doc, new Uint8Array(row.update as ArrayBuffer));
    return doc;
  };

  const open = async (server: RunningServer, who: number) => {
    const client = connectMinutes({ url: server.url, cookie: cookies[who], meetingId });
    clients.push(client);
    await client.whenSynced(30_000);
    return client;
  };

  it("uses the libSQL server and Redis on both instances", async () => {
    for (const s of [a, b]) {
      const health = await (await fetch(`${s.url}/healthz`)).json();
      expect(health).toMatchObject({ status: "ok", database: { kind: "server", ok: true }, bus: { kind: "redis", ok: true } });
    }
  });

  it("lets delegates on different instances write one minutes document together", async () => {
    const onA = await open(a, 0);
    const onB = await open(b, 1);
    onA.appendParagraph("typed on instance A");
    await expect.poll(() => paragraphsOf(onB.doc), { timeout: 15_000 }).toContain("typed on instance A");
    onB.appendParagraph("typed on instance B");
    await expect.poll(() => paragraphsOf(onA.doc), { timeout: 15_000 }).toContain("typed on instance B");
  });

  it("carries an agenda change on one instance to a viewer on the other", async () => {
    const controller = new AbortController();
    const events = await fetch(`${b.url}/meetings/${meetingId}/agenda/events`, { headers: { cookie: cookies[2], accept: "text/event-stream" }, signal: controller.signal });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    let received = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })();
    try {
      // The SSE stream subscribes as it opens; give Redis the moment to confirm it.
      await sleep(500);
      const delegation = await database.execute({
        sql: "select d.id from delegations d join meetings m on m.body_id = d.body_id where m.id = ? and d.code = 'US'",
        args: [meetingId],
      });
      const propose = await fetch(`${a.url}/meetings/${meetingId}/agenda`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: a.url, cookie: cookies[0] },
        body: new URLSearchParams({
          intent: "propose",
          title: "Raised on instance A",
          description: "",
          kind: "discussion",
          leadDelegationId: String(delegation.rows[0].id),
          presenterId: "",
          minutes: "10",
          marking: "TLP:GREEN",
        }),
      });
      expect(propose.status).toBeLessThan(400);
      await expect.poll(() => received, { timeout: 15_000 }).toContain("data: {");
    } finally {
      controller.abort();
      await reading;
    }
  });

  /** The close codes of a client's WebSocket, as they happen. */
  const closeCodes = (client: MinutesClient) => {
    const codes: number[] = [];
    client.socket.on("close", ({ event }: { event: { code: number } }) => codes.push(event.code));
    return codes;
  };
  const post = (server: { url: string }, path: string, cookie: string, body: Record<string, string>) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, cookie },
      body: new URLSearchParams(body),
    });

  it("closes an editor held on B when its session signs out on A", async () => {
    const cookie = await signInCookie(a.url, "jp.head@concord.test");
    const client = connectMinutes({ url: b.url, cookie, meetingId });
    clients.push(client);
    await client.whenSynced(30_000);
    const codes = closeCodes(client);
    const out = await post(a, "/logout", cookie, {});
    expect(out.status).toBe(302);
    // 4403: "access changed" (collab.server.ts); before ADR 031 B never heard of it.
    await expect.poll(() => codes, { timeout: 15_000 }).toContain(4403);
  });

  it("closes a person's editors on B when they sign out their other sessions on A", async () => {
    const here = await signInCookie(a.url, "kr.head@concord.test");
    const elsewhere = await signInCookie(b.url, "kr.head@concord.test");
    const client = connectMinutes({ url: b.url, cookie: elsewhere, meetingId });
    clients.push(client);
    await client.whenSynced(30_000);
    const codes = closeCodes(client);
    const done = await post(a, "/settings", here, { intent: "sign-out-others" });
    expect(done.status).toBeLessThan(400);
    await expect.poll(() => codes, { timeout: 15_000 }).toContain(4403);
    // The session that signed the others out keeps working.
    expect((await fetch(`${b.url}/meetings/${meetingId}`, { headers: { cookie: here }, redirect: "manual" })).status).toBe(200);
  });

  it("keeps what was typed while Redis restarted and resumes live minutes and agenda events", async () => {
    const onA = await open(a, 0);
    const onB = await open(b, 1);
    await redis.stop();
    // The health check says so, for the proxy: 503, the bus down, the database fine.
    const healthOf = async (s: RunningServer) => {
      const response = await fetch(`${s.url}/healthz`);
      return { http: response.status, ...((await response.json()) as { status: string; bus: { ok: boolean }; database: { ok: boolean } }) };
    };
    await expect.poll(() => healthOf(a), { timeout: 15_000 }).toMatchObject({ http: 503, bus: { ok: false }, database: { ok: true } });
    // Typed on A while Redis is down: stored in sqld and acknowledged all the same.
    onA.appendParagraph("typed while Redis was down");
    await expect.poll(() => onA.acknowledged(), { timeout: 15_000 }).toBe(true);
    expect(paragraphsOf(await storedDoc())).toContain("typed while Redis was down");
    await redis.start();
    await expect.poll(() => healthOf(a), { timeout: 30_000 }).toMatchObject({ http: 200, status: "ok", bus: { ok: true } });
    // B catches up without anyone typing again, and live editing goes on both ways.
    await expect.poll(() => paragraphsOf(onB.doc), { timeout: 30_000 }).toContain("typed while Redis was down");
    onB.appendParagraph("typed on B after the restart");
    await expect.poll(() => paragraphsOf(onA.doc), { timeout: 15_000 }).toContain("typed on B after the restart");

    // Agenda events from A reach a viewer on B again.
    const controller = new AbortController();
    const events = await fetch(`${b.url}/meetings/${meetingId}/agenda/events`, { headers: { cookie: cookies[2], accept: "text/event-stream" }, signal: controller.signal });
    const reader = events.body!.getReader();
    let received = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })();
    try {
      await sleep(500);
      const delegation = await database.execute({ sql: "select d.id from delegations d join meetings m on m.body_id = d.body_id where m.id = ? and d.code = 'US'", args: [meetingId] });
      const propose = await post(a, `/meetings/${meetingId}/agenda`, cookies[0], {
        intent: "propose",
        title: "Raised after the Redis restart",
        description: "",
        kind: "discussion",
        leadDelegationId: String(delegation.rows[0].id),
        presenterId: "",
        minutes: "10",
        marking: "TLP:GREEN",
      });
      expect(propose.status).toBeLessThan(400);
      await expect.poll(() => received, { timeout: 15_000 }).toContain("data: {");
    } finally {
      controller.abort();
      await reading;
    }
  });

  const proxied: MinutesClient[] = [];
  it("serves sign-in, pages, agenda events and minutes WebSockets through nginx", async () => {
    const cookie = await signInCookie(proxy.url, "us.head@concord.test");
    expect((await fetch(`${proxy.url}/meetings/${meetingId}`, { headers: { cookie } })).status).toBe(200);
    // nginx takes turns between the instances: four editors land on both.
    for (let i = 0; i < 4; i++) {
      const client = connectMinutes({ url: proxy.url, cookie, meetingId });
      clients.push(client);
      proxied.push(client);
      await client.whenSynced(30_000);
    }
    proxied[0].appendParagraph("through the proxy, first");
    proxied[1].appendParagraph("through the proxy, second");
    for (const client of proxied) {
      await expect.poll(() => paragraphsOf(client.doc), { timeout: 15_000 }).toEqual(expect.arrayContaining(["through the proxy, first", "through the proxy, second"]));
    }
    // The agenda's event stream arrives through the proxy unbuffered.
    const controller = new AbortController();
    const events = await fetch(`${proxy.url}/meetings/${meetingId}/agenda/events`, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
    expect(events.status).toBe(200);
    const reader = events.body!.getReader();
    let received = "";
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })();
    try {
      await sleep(500);
      const delegation = await database.execute({ sql: "select d.id from delegations d join meetings m on m.body_id = d.body_id where m.id = ? and d.code = 'US'", args: [meetingId] });
      const propose = await post(proxy, `/meetings/${meetingId}/agenda`, cookie, {
        intent: "propose",
        title: "Raised through the proxy",
        description: "",
        kind: "discussion",
        leadDelegationId: String(delegation.rows[0].id),
        presenterId: "",
        minutes: "10",
        marking: "TLP:GREEN",
      });
      expect(propose.status).toBeLessThan(400);
      await expect.poll(() => received, { timeout: 15_000 }).toContain("data: {");
    } finally {
      controller.abort();
      await reading;
    }
  });

  it("counts failed sign-ins on every instance together", async () => {
    const { THROTTLE } = await import("~/models/people/throttle.server");
    const attempt = (server: RunningServer, password: string) =>
      fetch(`${server.url}/login`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
        body: new URLSearchParams({ email: "kr.official@concord.test", password }),
      });
    // Wrong passwords from one address, alternating between the instances, up to the
    // account-and-address limit…
    for (let i = 0; i < THROTTLE.perAccountAndAddress; i++) expect((await attempt(i % 2 ? b : a, "not the password")).status).toBe(400);
    // …and then even the right password is refused, on either instance.
    for (const server of [a, b]) {
      const refused = await attempt(server, "concord-demo");
      expect(refused.status).toBe(429);
    }
  });

  it("sends each queued message once while both instances deliver the outbox", async () => {
    const body = await database.execute("select id from bodies where slug = 'trilateral-cyber'");
    const subjects = Array.from({ length: 20 }, (_, i) => `Cluster outbox ${i}`);
    const now = Date.now();
    await database.batch(
      subjects.map((subject, i) => ({
        sql: "insert into outbox_messages (id, body_id, kind, to_email, to_name, subject, text, state, attempts, next_attempt_at, created_at) values (?, ?, 'test', ?, 'Test', ?, 'Once only.', 'queued', 0, ?, ?)",
        args: [`cluster-outbox-${i}-${now}`, String(body.rows[0].id), `outbox${i}@concord.test`, subject, now, now],
      })),
      "write",
    );
    const sent = () => smtp.received.filter((m) => subjects.includes(m.subject ?? ""));
    await expect.poll(() => sent().length, { timeout: 30_000 }).toBeGreaterThanOrEqual(subjects.length);
    // Several more delivery rounds on both instances: nothing goes out twice.
    await sleep(1_500);
    expect(sent().map((m) => m.subject).sort()).toEqual([...subjects].sort());
    const states = await database.execute({ sql: "select state, count(*) as n from outbox_messages where subject like 'Cluster outbox %' group by state", args: [] });
    expect(states.rows.map((r) => [r.state, Number(r.n)])).toEqual([["sent", subjects.length]]);
  });

  it("loses no acknowledged edit when an instance is SIGKILLed while three people type", async () => {
    const typists = await Promise.all([open(a, 0), open(a, 1), open(b, 2)]);
    const pending: string[][] = typists.map(() => []);
    const acknowledged: string[] = [];
    typists.forEach((client, i) =>
      client.provider.on("unsyncedChanges", ({ number }: { number: number }) => {
        if (number !== 0) return;
        acknowledged.push(...pending[i]);
        pending[i] = [];
      }),
    );
    let n = 0;
    const timer = setInterval(() => {
      typists.forEach((client, i) => {
        const marker = `k${i}-n${n}`;
        pending[i].push(marker);
        client.appendParagraph(marker);
      });
      n++;
    }, 60);
    // Kill once the people on A have had something acknowledged, while they keep typing.
    await expect.poll(() => acknowledged.filter((m) => !m.startsWith("k2")).length, { timeout: 20_000 }).toBeGreaterThan(5);
    await sleep(Math.random() * 200);
    await a.stop("SIGKILL");
    clearInterval(timer);
    const onA = acknowledged.filter((m) => m.startsWith("k0") || m.startsWith("k1"));
    expect(onA.length, "nothing typed on A was acknowledged before the kill").toBeGreaterThan(0);

    // The people on A carry on on B (a proxy would send their reconnection there).
    const reconnected = await open(b, 0);
    await expect.poll(() => acknowledged.filter((m) => !paragraphsOf(reconnected.doc).includes(m)), { timeout: 15_000 }).toEqual([]);
    // What is stored in the shared database holds them too.
    const stored = paragraphsOf(await storedDoc());
    expect(acknowledged.filter((m) => !stored.includes(m))).toEqual([]);
    reconnected.appendParagraph("after the kill");
    await expect.poll(() => paragraphsOf(typists[2].doc), { timeout: 15_000 }).toContain("after the kill");
  });

  it("lets the proxy's editors carry on on the surviving instance", async () => {
    // A is dead (the test before); the proxy's editors that were on it reconnect through nginx to B.
    const witness = await open(b, 2);
    proxied.forEach((client, i) => client.appendParagraph(`proxied after the kill ${i}`));
    const expected = proxied.map((_, i) => `proxied after the kill ${i}`);
    await expect.poll(() => paragraphsOf(witness.doc), { timeout: 30_000 }).toEqual(expect.arrayContaining(expected));
    await expect.poll(() => proxied.every((c) => c.acknowledged()), { timeout: 30_000 }).toBe(true);
    expect(paragraphsOf(await storedDoc())).toEqual(expect.arrayContaining(expected));
  });
});
