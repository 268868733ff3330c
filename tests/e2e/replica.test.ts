import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInCookie } from "../../scripts/bench/support";
import { launchBrowser } from "../support/browser";
import { startRedis, type RunningRedis } from "../support/redis";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { startTcpRelay, type TcpRelay } from "../support/tcp-relay";

/**
 * A read replica (ADR 030): an instance reads pages from a sqld replica, except for the
 * person who has just written, who reads from the primary and sees their write at once. The
 * replica's replication is cut with a relay so that it really is behind: another person's
 * page then shows the replica's older state (their reads do go to the replica) until the
 * replica is further behind than DATABASE_REPLICA_MAX_LAG_MS, when reads fall back to the
 * primary; /healthz reports the lag throughout. The instances share Redis, so a live notice
 * from one reaches a page on the other; X-Reads-From (READS_FROM_HEADER=1) names the node a
 * page's reads went to.
 */
const MAX_LAG_MS = 8_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Health {
  replica?: { ok: boolean; reads: string; behind: number | null; lagMs: number | null; primaryIndex: number | null; replicaIndex: number | null };
}

describe("a read replica with read-your-writes", () => {
  let primary: RunningSqld;
  let replica: RunningSqld;
  let relay: TcpRelay;
  let redis: RunningRedis;
  let server: RunningServer;
  let other: RunningServer | undefined;
  let database: Client;
  let meetingId: string;
  let usDelegationId: string;
  let writer: string;
  let reader: string;

  const instanceEnv = () => ({
    DATABASE_URL: primary.url,
    DATABASE_REPLICA_URL: replica.url,
    DATABASE_REPLICA_MAX_LAG_MS: String(MAX_LAG_MS),
    REDIS_URL: redis.url,
    READS_FROM_HEADER: "1",
  });
  const health = async (on: RunningServer = server): Promise<Health> => (await fetch(`${on.url}/healthz`)).json() as Promise<Health>;
  const until = async (what: string, ok: (h: Health) => boolean, timeoutMs = 60_000, on: RunningServer = server) => {
    const deadline = Date.now() + timeoutMs;
    let last: Health = {};
    while (Date.now() < deadline) {
      last = await health(on);
      if (ok(last)) return last;
      await sleep(200);
    }
    throw new Error(`${what}: last /healthz ${JSON.stringify(last)}`);
  };
  const agenda = async (cookie: string, on: RunningServer = server) => {
    const response = await fetch(`${on.url}/meetings/${meetingId}/agenda`, { headers: { cookie } });
    expect(response.status).toBe(200);
    return response.text();
  };
  const propose = async (title: string, cookie: string) => {
    const response = await fetch(`${server.url}/meetings/${meetingId}/agenda`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, cookie },
      body: new URLSearchParams({ intent: "propose", title, description: "", kind: "discussion", leadDelegationId: usDelegationId, presenterId: "", minutes: "5", marking: "TLP:GREEN" }),
    });
    expect(response.status).toBeLessThan(400);
    return response;
  };

  beforeAll(async () => {
    primary = await startSqld({ primary: true });
    relay = await startTcpRelay(primary.grpcPort!);
    replica = await startSqld({ replicaOf: relay.port });
    redis = await startRedis();
    server = await startServer({ env: instanceEnv() });
    database = createClient({ url: primary.url });
    const meetings = await database.execute(
      "select m.id from meetings m join bodies b on b.id = m.body_id join agendas g on g.meeting_id = m.id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' and g.locked_at is null limit 1",
    );
    meetingId = String(meetings.rows[0]?.id ?? "");
    const delegation = await database.execute({ sql: "select d.id from delegations d join meetings m on m.body_id = d.body_id where m.id = ? and d.code = 'US'", args: [meetingId] });
    usDelegationId = String(delegation.rows[0]?.id ?? "");
    expect(meetingId).not.toBe("");
    writer = await signInCookie(server.url, "us.delegate@concord.test");
    reader = await signInCookie(server.url, "jp.delegate@concord.test");
  });

  afterAll(async () => {
    database?.close();
    if (other) {
      await other.stop();
      removeServerFiles(other);
    }
    if (server) {
      await server.stop();
      removeServerFiles(server);
    }
    await redis?.remove();
    await replica?.remove();
    await relay?.close();
    await primary?.remove();
  });

  it("reports the replica caught up and reads going to it", async () => {
    const h = await until("replica caught up", (x) => x.replica?.reads === "replica" && x.replica.behind === 0);
    expect(h.replica).toMatchObject({ ok: true, behind: 0, lagMs: 0 });
    expect(h.replica!.primaryIndex).toBeGreaterThan(0);
  });

  it("shows a write to its writer at once while others read the lagging replica, then falls back to the primary", async () => {
    relay.pause();
    const title = `Replica check ${Date.now()}`;
    const response = await propose(title, writer);
    const fresh = response.headers.getSetCookie().find((c) => c.startsWith("concord-fresh="));
    expect(fresh).toMatch(/Max-Age=\d+/);
    // The writer, holding the mark, reads the primary and sees the item at once.
    expect(await agenda(`${writer}; ${fresh!.split(";")[0]}`)).toContain(title);
    // Someone else reads the replica, which has not received the write.
    expect(await agenda(reader)).not.toContain(title);
    // The lag is measured by a monitor every so often: wait for it to see the write it lacks.
    await until("the replica reported behind", (x) => (x.replica?.behind ?? 0) > 0, 30_000);
    // Too far behind: the replica is bypassed and everyone reads the primary.
    await until("reads fall back to the primary", (x) => x.replica?.reads === "primary" && (x.replica.lagMs ?? 0) > MAX_LAG_MS, 60_000);
    expect(await agenda(reader)).toContain(title);
    // The line back: the replica catches up and serves reads again, the item included.
    relay.resume();
    await until("replica caught up again", (x) => x.replica?.reads === "replica" && x.replica.behind === 0, 90_000);
    expect(await agenda(reader)).toContain(title);
  });

  it("shows the writer their write on another instance for as long as the replica lacks it, not only for a while", async () => {
    // A time mark lasting past the maximum lag is not enough: an instance that started after
    // the write (one that replaced a dead instance, say) has measured the replica's lag only
    // since it started, so it still finds the replica usable when the mark has run out. The
    // replication index the write reached says exactly when the replica has it.
    relay.pause();
    const title = `Replica index check ${Date.now()}`;
    const wroteAt = Date.now();
    const response = await propose(title, writer);
    const set = response.headers.getSetCookie().find((c) => c.startsWith("concord-fresh="))!;
    const maxAge = Number(/Max-Age=(\d+)/.exec(set)?.[1]);
    const mark = set.split(";")[0]!;
    // The browser drops the mark when its Max-Age runs out.
    const writerNow = () => (Date.now() < wroteAt + maxAge * 1000 ? `${writer}; ${mark}` : writer);
    await sleep(4_000);
    other = await startServer({ env: { ...instanceEnv(), SEED_DEMO: "0" } });
    // Past the longest a time mark would last (the maximum lag and 2 s).
    await sleep(Math.max(0, wroteAt + (Math.ceil(MAX_LAG_MS / 1000) + 2) * 1000 + 500 - Date.now()));
    await until("the new instance reads the lagging replica", (x) => x.replica?.reads === "replica" && (x.replica.behind ?? 0) > 0, 30_000, other);
    expect(await agenda(reader, other)).not.toContain(title);
    expect(await agenda(writerNow(), other)).toContain(title);
    relay.resume();
    await until("replica caught up on the new instance", (x) => x.replica?.reads === "replica" && x.replica.behind === 0, 90_000, other);
    expect(await agenda(writerNow(), other)).toContain(title);
    expect(await agenda(reader, other)).toContain(title);
  });

  it("refuses a page the moment a member's role no longer allows it, though the replica has not applied the change", async () => {
    // Decisions that grant access (membership, role, a meeting's audience) read the primary:
    // a replica still holding the old role must not open a page the new one does not.
    const rows = await database.execute(
      "select m.id, m.delegation_id from memberships m join users u on u.id = m.user_id join bodies b on b.id = m.body_id where u.email = 'jp.official@concord.test' and b.slug = 'trilateral-cyber'",
    );
    const membershipId = String(rows.rows[0]!.id);
    const delegationId = String(rows.rows[0]!.delegation_id);
    const secretariat = await signInCookie(server.url, "secretariat@concord.test");
    const change = async (role: string, delegation: string) => {
      const response = await fetch(`${server.url}/bodies/trilateral-cyber/members/${membershipId}`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url, cookie: secretariat },
        body: new URLSearchParams({ intent: "change", role, delegationId: delegation }),
      });
      expect(response.status).toBe(200);
    };
    const auditPage = async (cookie: string) => (await fetch(`${server.url}/bodies/trilateral-cyber/audit`, { headers: { cookie } })).status;
    await change("secretariat", "");
    await until("replica caught up", (x) => x.replica?.reads === "replica" && x.replica.behind === 0, 60_000);
    // Signed in now, so that no housekeeping write of their session sends this request to the primary.
    const member = await signInCookie(server.url, "jp.official@concord.test");
    await until("replica caught up", (x) => x.replica?.reads === "replica" && x.replica.behind === 0, 60_000);
    expect(await auditPage(member)).toBe(200);
    relay.pause();
    await change("official", delegationId);
    const h = await health();
    expect(h.replica?.reads).toBe("replica");
    expect(await auditPage(member)).toBe(403);
    relay.resume();
    await until("replica caught up again", (x) => x.replica?.reads === "replica" && x.replica.behind === 0, 90_000);
    expect(await auditPage(member)).toBe(403);
  });

  it("reloads a page on another instance after a live notice from the primary only until the replica has the change", async () => {
    // A notice carries the replication index of the change it announces: the viewer's reload
    // must show the change while the replica lacks it (the primary answers), and read the
    // replica again as soon as it has it — not for a fixed while after every notice.
    other ??= await startServer({ env: { ...instanceEnv(), SEED_DEMO: "0" } });
    const b = other;
    const caughtUp = (x: Health) => x.replica?.reads === "replica" && x.replica.behind === 0;
    await until("replica caught up", caughtUp, 90_000, b);
    const viewer = await signInCookie(b.url, "kr.delegate@concord.test");
    await until("replica caught up after the sign-in", caughtUp, 60_000, b);
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ baseURL: b.url });
      const [name, value] = viewer.split(/=(.*)/s) as [string, string];
      await context.addCookies([{ name, value, url: b.url }]);
      const page = await context.newPage();
      const first = await page.goto(`/meetings/${meetingId}/agenda`);
      expect(first?.headers()["x-reads-from"]).toBe("replica");
      await page.getByText("Live: changes by others appear here within a second.").waitFor({ timeout: 30_000 });

      relay.pause();
      const title = `Live notice index ${Date.now()}`;
      // The reload's data requests (one per route loader), and which nodes they read.
      const reads: string[] = [];
      page.on("response", (r) => {
        if (r.url().includes("_data=") && r.request().method() === "GET") reads.push(r.headers()["x-reads-from"] ?? "");
      });
      await propose(title, writer);
      await page.getByText(title).first().waitFor({ timeout: 30_000 });
      expect(reads).toContain("primary");
      expect(reads.filter((r) => r.includes("replica"))).toEqual([]);
      const mark = (await context.cookies()).find((c) => c.name === "concord-fresh")?.value ?? "";
      expect(mark).toMatch(/^w\d+$/);
      // Replication resumes: once the replica has the change, the viewer's reads go back to it.
      relay.resume();
      await until("the replica has the notice's change", (x) => caughtUp(x) && (x.replica?.replicaIndex ?? 0) >= Number(mark.slice(1)), 90_000, b);
      const again = await page.reload();
      expect(again?.headers()["x-reads-from"]).toBe("replica");
      await page.getByText(title).first().waitFor({ timeout: 30_000 });
    } finally {
      await browser.close();
    }
  });
});
