import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { signInCookie } from "../../scripts/bench/support";
import { connectMinutes, paragraphsOf, type MinutesClient } from "../support/collab-client";
import { startRedis, type RunningRedis } from "../support/redis";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { startTcpRelay, type TcpRelay } from "../support/tcp-relay";

/**
 * Redis keeps no messages: what one instance relays while another is not subscribed reaches
 * nobody. When Redis restarts, the instances reconnect one after the other, so whatever an
 * instance published before the others had subscribed again is lost to them (stored in the
 * database all the same, ADR 007). Each instance therefore announces the documents it holds
 * once its subscriber is back (collab-instances.server.ts), and the others answer with what
 * it lacks. Here B's line to Redis goes through a relay that holds B back until A has
 * reconnected and sent everything it queued — the order that loses messages, made certain.
 */
describe("two instances across a Redis restart", () => {
  let sqld: RunningSqld;
  let redis: RunningRedis;
  let bLink: TcpRelay;
  let a: RunningServer;
  let b: RunningServer;
  let database: Client;
  let meetingId: string;
  let cookies: string[];
  const clients: MinutesClient[] = [];

  beforeAll(async () => {
    [sqld, redis] = await Promise.all([startSqld(), startRedis()]);
    bLink = await startTcpRelay(redis.port);
    a = await startServer({ env: { DATABASE_URL: sqld.url, REDIS_URL: redis.url } });
    b = await startServer({ env: { DATABASE_URL: sqld.url, REDIS_URL: `redis://127.0.0.1:${bLink.port}`, SEED_DEMO: "0" } });
    database = createClient({ url: sqld.url });
    const meetings = await database.execute(
      "select m.id from meetings m join bodies b on b.id = m.body_id join agendas g on g.meeting_id = m.id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' and g.locked_at is null limit 1",
    );
    meetingId = String(meetings.rows[0]?.id ?? "");
    expect(meetingId).not.toBe("");
    cookies = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test"].map((email) => signInCookie(a.url, email)));
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    database?.close();
    for (const s of [a, b]) {
      if (!s) continue;
      await s.stop();
      removeServerFiles(s);
    }
    await bLink?.close();
    await redis?.remove();
    await sqld?.remove();
  });

  const storedText = async () => {
    const doc = new Y.Doc();
    const snapshot = await database.execute({ sql: "select state from minutes_snapshots where meeting_id = ?", args: [meetingId] });
    const updates = await database.execute({ sql: 'select "update" from minutes_updates where meeting_id = ? order by id', args: [meetingId] });
    if (snapshot.rows[0]) Y.applyUpdateV2(doc, new Uint8Array(snapshot.rows[0].state as ArrayBuffer));
    for (const row of updates.rows) Y.applyUpdate(doc, new Uint8Array(row.update as ArrayBuffer));
    return paragraphsOf(doc);
  };
  const open = async (server: RunningServer, who: number) => {
    const client = connectMinutes({ url: server.url, cookie: cookies[who]!, meetingId });
    clients.push(client);
    await client.whenSynced(30_000);
    return client;
  };
  const busOk = async (server: RunningServer) => {
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { bus?: { ok: boolean } };
    return health.bus?.ok === true;
  };

  it("brings the other instance's copy of a live document up to date once both are back on Redis", async () => {
    const onA = await open(a, 0);
    const onB = await open(b, 1);
    onA.appendParagraph("relayed while Redis was up");
    await expect.poll(() => paragraphsOf(onB.doc), { timeout: 15_000 }).toContain("relayed while Redis was up");

    // B loses Redis first; A's next update is published to nobody on B's side.
    bLink.pause();
    onA.appendParagraph("typed while B was away from Redis");
    await expect.poll(() => onA.acknowledged(), { timeout: 15_000 }).toBe(true);
    // Redis restarts; what A types meanwhile waits in its client's queue.
    await redis.stop();
    onA.appendParagraph("typed while Redis was down");
    await expect.poll(() => onA.acknowledged(), { timeout: 15_000 }).toBe(true);
    expect(await storedText()).toEqual(expect.arrayContaining(["typed while B was away from Redis", "typed while Redis was down"]));
    await redis.start();
    // A is back and has sent what it queued (its clients retry every 2 s at most) before B is.
    await expect.poll(() => busOk(a), { timeout: 30_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(paragraphsOf(onB.doc)).not.toContain("typed while B was away from Redis");
    bLink.resume();

    // B catches up without anyone typing again, and live editing goes on both ways.
    await expect.poll(() => paragraphsOf(onB.doc), { timeout: 30_000 }).toEqual(expect.arrayContaining(["typed while B was away from Redis", "typed while Redis was down"]));
    onB.appendParagraph("typed on B after the restart");
    await expect.poll(() => paragraphsOf(onA.doc), { timeout: 15_000 }).toContain("typed on B after the restart");
  });
});
