import * as decoding from "lib0/decoding";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { cookieFor, createCast } from "#tests/factories";
import { paragraphsOf } from "#tests/support/collab-client";
import { startTcpProxy, type TcpProxy } from "#tests/support/tcp-proxy";
import { shutdownCollab } from "~/server/collab.server";
import { dropQueuedOnOpen } from "~/lib/live-socket";
import { createMeeting } from "~/models/meetings/meetings.server";
import { loadDoc } from "~/models/minutes/store.server";
import { listenForCollab } from "../support/collab-server";

/**
 * "Saved" means the server has stored every change this client sent (ADR 007 acknowledges a
 * change only once stored). Counted on the wire: whenever the provider says nothing is
 * unacknowledged, the server has answered every update this client wrote to its socket.
 */

const SYNC = 0;
const SYNC_REPLY = 4;
const SYNC_STATUS = 8;
const STEP2 = 1;
const UPDATE = 2;

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let proxy: TcpProxy;
let cast: Awaited<ReturnType<typeof createCast>>;
let meetingId: string;

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: `${year}-05-12`, time: "09:00", endTime: "11:00", timeZone: "Asia/Seoul", format: "virtual", link: "https://meet.example.org/saved" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  const target = new URL(collab.url);
  proxy = await startTcpProxy({ host: "127.0.0.1", port: Number(target.port) });
});

afterAll(async () => {
  await shutdownCollab();
  await proxy.close();
  await collab.close();
});

/** A provider as the browser's hook makes it, over a socket that counts what it writes and hears. */
function countingClient(cookie: string) {
  const wire = { updatesSent: 0, acks: 0 };
  const origin = new URL(proxy.url).origin;
  class CountingWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie, origin } });
      this.on("message", (data: Buffer) => {
        const d = decoding.createDecoder(new Uint8Array(data));
        decoding.readVarString(d);
        if (decoding.readVarUint(d) === SYNC_STATUS) wire.acks++;
      });
    }
    override send(data: Parameters<WebSocket["send"]>[0], ...rest: unknown[]) {
      const d = decoding.createDecoder(new Uint8Array(data as ArrayBuffer));
      decoding.readVarString(d);
      const type = decoding.readVarUint(d);
      if (type === SYNC || type === SYNC_REPLY) {
        const step = decoding.readVarUint(d);
        if (step === STEP2 || step === UPDATE) wire.updatesSent++;
      }
      // @ts-expect-error -- ws's overloads; the arguments are passed on as given
      super.send(data, ...rest);
    }
  }
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url: `${proxy.url.replace(/^http/, "ws")}/collab`, WebSocketPolyfill: CountingWebSocket, delay: 100, minDelay: 100, maxDelay: 500 });
  const stop = dropQueuedOnOpen(socket);
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: `minutes:${meetingId}`, document: doc, awareness: null });
  provider.attach();
  return {
    doc,
    provider,
    wire,
    close() {
      stop();
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
}

const append = (doc: Y.Doc, text: string) => {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([p]);
};

describe("the saved state of a live document", () => {
  it("is claimed only when the server has answered every update sent, also for text typed while the connection was opening", async () => {
    // The connection is slow to open: what the delegate types meanwhile waits in the provider.
    proxy.hold();
    const client = countingClient(await cookieFor(cast.delegate.user.id));
    const claims: Array<{ updatesSent: number; acks: number }> = [];
    client.provider.on("unsyncedChanges", ({ number }: { number: number }) => {
      if (number === 0 && client.provider.isSynced) claims.push({ ...client.wire });
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = ["typed while connecting 1", "typed while connecting 2", "typed while connecting 3"];
    for (const line of lines) append(client.doc, line);
    proxy.release();

    await expect.poll(() => claims.length, { timeout: 15_000 }).toBeGreaterThan(0);
    // Every claim of "saved" came after the server had answered every update on the wire.
    for (const claim of claims) expect(claim.acks, JSON.stringify(claims)).toBeGreaterThanOrEqual(claim.updatesSent);
    expect(client.provider.unsyncedChanges).toBe(0);
    // And what was typed while connecting is stored.
    const stored = await loadDoc(meetingId);
    for (const line of lines) expect(paragraphsOf(stored)).toContain(line);
    client.close();
  }, 30_000);
});
