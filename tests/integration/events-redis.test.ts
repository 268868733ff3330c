import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startRedis, type RunningRedis } from "#tests/support/redis";

/**
 * The live bus through Redis (ADR 021): what one instance publishes reaches subscribers on
 * every other instance, and subscriptions come back after Redis restarts. The other instance
 * is played by a plain Redis client on the same server.
 */
describe("the live bus with REDIS_URL", () => {
  let redis: RunningRedis;
  let other: Redis;
  let events: typeof import("~/lib/events.server");

  beforeAll(async () => {
    redis = await startRedis();
    process.env.REDIS_URL = redis.url;
    events = await import("~/lib/events.server");
    other = new Redis(redis.url, { maxRetriesPerRequest: null });
    // It reconnects on its own while Redis restarts; without a listener ioredis logs each refusal.
    other.on("error", () => undefined);
  });
  afterAll(async () => {
    other?.disconnect();
    await events?.closeBus();
    delete process.env.REDIS_URL;
    await redis?.remove();
  });

  it("carries a message published here to another instance, once", async () => {
    const heard: string[] = [];
    const listener = new Redis(redis.url);
    await listener.subscribe("agenda:m1");
    listener.on("message", (_c: string, m: string) => heard.push(m));
    await events.publish(events.agendaChannel("m1"), { version: 3, by: null, what: "items.added" });
    await expect.poll(() => heard.length).toBe(1);
    expect(JSON.parse(heard[0])).toEqual({ version: 3, by: null, what: "items.added" });
    listener.disconnect();
  });

  it("delivers what another instance publishes to every subscriber here, exactly once each", async () => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    const a = events.subscribe("session:revoked", (m) => first.push(m));
    const b = events.subscribe("session:revoked", (m) => second.push(m));
    await Promise.all([a.subscribed, b.subscribed]);
    await other.publish("session:revoked", JSON.stringify({ sessionId: "s1" }));
    await expect.poll(() => first.length + second.length).toBe(2);
    expect(first).toEqual([{ sessionId: "s1" }]);
    expect(second).toEqual([{ sessionId: "s1" }]);
    a();
    await other.publish("session:revoked", JSON.stringify({ sessionId: "s2" }));
    await expect.poll(() => second.length).toBe(2);
    expect(first).toHaveLength(1);
    b();
  });

  it("resumes after Redis restarts", async () => {
    const heard: unknown[] = [];
    const s = events.subscribe<{ n: number }>("agenda:m2", (m) => heard.push(m));
    await s.subscribed;
    expect(await events.busHealth()).toEqual({ kind: "redis", ok: true });
    await redis.restart();
    // The client reconnects and subscribes again on its own; keep publishing until one arrives.
    await expect
      .poll(
        async () => {
          await other.publish("agenda:m2", JSON.stringify({ n: 1 }));
          return heard.length;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThan(0);
    expect(await events.busHealth()).toEqual({ kind: "redis", ok: true });
    s();
  });

  it("hands a message over at once while Redis is down, and sends it when Redis is back", async () => {
    const heard: string[] = [];
    await redis.stop();
    // A request that publishes after its commit must not wait for Redis to come back.
    const outcome = await Promise.race([
      events.publish(events.agendaChannel("m3"), { version: 1, by: null, what: "while-down" }).then(() => "handed over"),
      new Promise((r) => setTimeout(() => r("still waiting"), 2_000)),
    ]);
    expect(outcome).toBe("handed over");
    await redis.start();
    const listener = new Redis(redis.url);
    listener.on("error", () => undefined);
    await listener.subscribe("agenda:m3");
    listener.on("message", (_c: string, m: string) => heard.push(m));
    // Queued in the client until it reconnected; it may have gone out before the listener
    // subscribed, so a later message proves the way is open again.
    await expect
      .poll(
        async () => {
          await events.publish(events.agendaChannel("m3"), { version: 2, by: null, what: "after" });
          return heard.length;
        },
        { timeout: 20_000, interval: 200 },
      )
      .toBeGreaterThan(0);
    listener.disconnect();
  });
});
