import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { committedIndex } from "./db.server";
import type { MarkedRecord } from "./markings";

/**
 * Publish/subscribe for live pages and for anything one instance must tell the others (an
 * agenda changed, a session was revoked and its sockets must close). A change is published
 * after its transaction commits; every subscriber of the channel, on every instance, hears
 * about it.
 *
 * Without REDIS_URL the bus is in-process (one Node process serves everyone; ADR 001). With
 * REDIS_URL every message goes through Redis pub/sub (ADR 021) and comes back to this
 * instance's subscribers from Redis too, so each subscriber hears each message exactly once
 * whichever instance published it. Messages are JSON. The bus carries notices, never data:
 * a page that hears one reloads from the database, so a message lost while Redis restarts
 * costs freshness, never content.
 */

export interface LiveEvent {
  version: number;
  by: { id: string; name: string } | null;
  what: string;
  /**
   * With a read replica: the primary's replication index of the change announced. The page
   * that reloads on hearing it reads the replica once the replica has this index (ADR 030).
   */
  index?: number;
}

interface Bus {
  local: EventEmitter;
  redis?: { publisher: Redis; subscriber: Redis; counts: Map<string, number> };
}

const g = globalThis as typeof globalThis & { __concordBus?: Bus };

function redisUrl(): string | undefined {
  return process.env.REDIS_URL || undefined;
}

async function connectRedis(url: string): Promise<NonNullable<Bus["redis"]>> {
  const { Redis } = await import("ioredis");
  // Commands wait (queued) while Redis restarts rather than failing the request that published.
  const options = { lazyConnect: false, maxRetriesPerRequest: null, enableOfflineQueue: true, retryStrategy: (n: number) => Math.min(n * 100, 2_000) };
  const publisher = new Redis(url, options);
  const subscriber = new Redis(url, options);
  for (const client of [publisher, subscriber]) client.on("error", () => undefined); // reconnects on its own; health reports it
  return { publisher, subscriber, counts: new Map() };
}

let ready: Promise<Bus> | undefined;

function bus(): Promise<Bus> {
  if (g.__concordBus) return Promise.resolve(g.__concordBus);
  ready ??= (async () => {
    const local = new EventEmitter().setMaxListeners(0);
    const url = redisUrl();
    const b: Bus = { local, redis: url ? await connectRedis(url) : undefined };
    b.redis?.subscriber.on("message", (channel: string, raw: string) => {
      let message: unknown;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      local.emit(channel, message);
    });
    g.__concordBus = b;
    return b;
  })();
  return ready;
}

/**
 * Sends a message to every subscriber of the channel on every instance. Resolves once it has
 * been handed to the bus, without waiting for Redis's answer: while Redis restarts the message
 * waits in the client's queue and goes out on reconnect, and the request that published it
 * (after its commit) is not held up meanwhile.
 */
export async function publish<T = LiveEvent>(channel: string, message: T): Promise<void> {
  try {
    // A notice of a change (it has a version) names the replication index that covers it.
    if (message && typeof message === "object" && "version" in message && !("index" in message)) {
      const index = await committedIndex();
      if (index !== undefined) message = { ...message, index };
    }
    const b = await bus();
    if (b.redis) {
      b.redis.publisher.publish(channel, JSON.stringify(message)).catch((error: unknown) => {
        console.warn(`live message on ${channel} not sent`, (error as Error)?.message ?? error);
      });
    } else b.local.emit(channel, message);
  } catch (error) {
    // A notice that cannot be sent costs freshness, never content: the change is committed.
    console.warn(`live message on ${channel} not sent`, (error as Error)?.message ?? error);
  }
}

/**
 * Calls `listener` for every message on the channel from now on, from any instance. Returns
 * the unsubscribe function; `subscribed` resolves once messages are being received.
 */
export function subscribe<T = LiveEvent>(channel: string, listener: (message: T) => void): (() => void) & { subscribed: Promise<void> } {
  let active = true;
  let detach: () => void = () => undefined;
  const subscribed = bus().then(async (b) => {
    if (!active) return;
    b.local.on(channel, listener as (m: unknown) => void);
    detach = () => b.local.off(channel, listener as (m: unknown) => void);
    if (b.redis) {
      const count = (b.redis.counts.get(channel) ?? 0) + 1;
      b.redis.counts.set(channel, count);
      if (count === 1) await b.redis.subscriber.subscribe(channel);
    }
  });
  const unsubscribe = () => {
    if (!active) return;
    active = false;
    void subscribed.then(async () => {
      detach();
      const b = g.__concordBus;
      if (!b?.redis) return;
      const count = (b.redis.counts.get(channel) ?? 1) - 1;
      if (count > 0) b.redis.counts.set(channel, count);
      else {
        b.redis.counts.delete(channel);
        await b.redis.subscriber.unsubscribe(channel).catch(() => undefined);
      }
    });
  };
  return Object.assign(unsubscribe, { subscribed });
}

/** How the bus is doing, for /healthz. */
export async function busHealth(): Promise<{ kind: "redis" | "in-process"; ok: boolean }> {
  const b = await bus();
  if (!b.redis) return { kind: "in-process", ok: true };
  const ok = await Promise.race([
    b.redis.publisher.ping().then((r) => r === "PONG", () => false),
    new Promise<boolean>((r) => setTimeout(() => r(false), 1_000).unref()),
  ]);
  return { kind: "redis", ok };
}

/** Closes the Redis connections at shutdown. */
export async function closeBus(): Promise<void> {
  const b = g.__concordBus;
  g.__concordBus = undefined;
  ready = undefined;
  if (b?.redis) {
    b.redis.publisher.disconnect();
    b.redis.subscriber.disconnect();
  }
}

export const agendaChannel = (meetingId: string) => `agenda:${meetingId}`;

/**
 * A notice on an agenda's channel, naming the marked record it concerns (an agenda item, a
 * paper) when there is one: each open stream passes on to its reader only what that reader's
 * TLP audience allows (models/agenda/live.server.ts, `noticeFor`).
 */
export type AgendaEvent = LiveEvent & { record?: MarkedRecord };
