import { HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket, { WebSocketServer } from "ws";
import { destroyForGood } from "~/lib/live-socket";

/**
 * A socket provider destroyed right after the server closed its connection (a sign-out, a
 * refusal, a page leaving the minutes) must not connect again: the provider's reconnect timer
 * outlives `destroy()` (app/lib/live-socket.ts).
 */

const servers: WebSocketServer[] = [];
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))));

/** A server that closes every connection at once, as /collab does for a revoked session, counting them. */
async function closingServer() {
  const server = new WebSocketServer({ port: 0, host: "127.0.0.1" });
  servers.push(server);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const seen = { connections: 0 };
  server.on("connection", (ws) => {
    seen.connections++;
    ws.close(4403, "access changed");
  });
  return { url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("a destroyed live socket", () => {
  it("does not connect again after the server closed it", async () => {
    const { url, seen } = await closingServer();
    const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket, delay: 200, minDelay: 200, maxDelay: 2000 });
    await new Promise<void>((resolve) => socket.on("disconnect", () => resolve()));
    expect(seen.connections).toBe(1);
    // Destroyed within the reconnect delay, as a page unmounting right after the refusal is.
    destroyForGood(socket);
    await sleep(800);
    expect(seen.connections).toBe(1);
  });
});
