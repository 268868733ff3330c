import { Redis as RedisExtension } from "@hocuspocus/extension-redis";
import type { Extension } from "@hocuspocus/server";
import { Redis } from "ioredis";

/**
 * The minutes across instances (ADR 021): with REDIS_URL, Hocuspocus's Redis extension relays
 * every document's updates and awareness between the instances that hold it, so delegates
 * connected to different instances edit one document. ADR 007's guarantee holds on every
 * instance unchanged: each instance stores its own clients' updates before acknowledging
 * them; an update relayed from another instance was stored there already, so it is applied
 * without being stored again. Compaction is safe with two instances holding the document
 * because a snapshot folds in the stored one (store.server.ts), whichever instance wins the
 * extension's store lock.
 */

/** The transaction origin the Redis extension gives to updates relayed from another instance. */
export const RELAYED_ORIGIN = "__hocuspocus__redis__origin__";

export function isRelayedFromAnotherInstance(origin: unknown): boolean {
  return origin === RELAYED_ORIGIN;
}

/** The extensions that join this instance to the others; none without REDIS_URL. */
export function instanceExtensions(): Extension[] {
  const url = process.env.REDIS_URL;
  if (!url) return [];
  // Commands wait while Redis restarts; the extension's clients reconnect and subscribe again.
  const createClient = () => {
    const client = new Redis(url, { maxRetriesPerRequest: null, retryStrategy: (n: number) => Math.min(n * 100, 2_000) });
    client.on("error", () => undefined);
    return client;
  };
  const extension = new RedisExtension({ createClient, prefix: "concord:minutes" });
  resyncAfterReconnect(extension);
  return [extension];
}

/**
 * Redis keeps no messages: what an instance relayed while Redis was restarting reached nobody
 * (it is stored, so nothing is lost, but the other instances' copies lack it). Once the
 * subscriber is back, each document this instance holds is announced again with a first sync
 * step (a state vector), which the others answer with what either side is missing — the
 * extension's own step after every change, made here without waiting for the next keystroke.
 * Twice, a second later too, in case the other instances had not subscribed again yet.
 */
function resyncAfterReconnect(extension: RedisExtension) {
  let connectedBefore = false;
  const announceAll = () => {
    for (const [documentName, document] of extension.instance?.documents ?? []) {
      // onChange with a foreign origin publishes the first sync step and nothing else.
      void extension.onChange({ documentName, document, transactionOrigin: "resync" } as unknown as Parameters<RedisExtension["onChange"]>[0]).catch(() => undefined);
    }
  };
  extension.sub.on("ready", () => {
    if (!connectedBefore) {
      connectedBefore = true;
      return;
    }
    announceAll();
    setTimeout(announceAll, 1_000).unref();
  });
}
