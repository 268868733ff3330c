import { and, eq, sql } from "drizzle-orm";
import * as encoding from "lib0/encoding";
import * as decoding from "lib0/decoding";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import * as Y from "yjs";
import { minutesUpdates } from "#db/schema";
import { cookieFor, createCast } from "#tests/factories";
import { expectConsoleError } from "#tests/setup/console";
import { connectMinutes, paragraphsOf, type MinutesClient } from "#tests/support/collab-client";
import { shutdownCollab } from "~/server/collab.server";
import { db } from "~/lib/db.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { loadDoc } from "~/models/minutes/store.server";
import { listenForCollab } from "../support/collab-server";

/**
 * The /collab protocol against the real Hocuspocus and upgrade handler (in this process, on the
 * test's own database): who gets a document, and what a hostile or careless client can do to it.
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let url: string;
let cast: Awaited<ReturnType<typeof createCast>>;
let meetingId: string;
const clients: MinutesClient[] = [];

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: `${year}-03-10`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  url = collab.url;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await shutdownCollab();
  await collab.close();
});

async function client(userId: string, id = meetingId) {
  const c = connectMinutes({ url, cookie: await cookieFor(userId), meetingId: id });
  clients.push(c);
  return c;
}

/** Updates stored from one person (compaction may fold the others' away at any moment). */
const storedRowsBy = async (userId: string) =>
  (await db().select({ n: sql<number>`count(*)` }).from(minutesUpdates).where(and(eq(minutesUpdates.meetingId, meetingId), eq(minutesUpdates.userId, userId))))[0].n;

/** A bare WebSocket speaking the Hocuspocus framing, to send what no well-behaved provider would. */
async function rawSocket(userId: string) {
  const socket = new WebSocket(`${url.replace("http", "ws")}/collab`, { headers: { cookie: await cookieFor(userId), origin: url } });
  const statuses: number[] = [];
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  let documentClosed!: () => void;
  // The server ends one document's connection with a Close message; the socket may carry others.
  const closedDocument = new Promise<void>((resolve) => (documentClosed = resolve));
  socket.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === 8) statuses.push(decoding.readVarInt(decoder));
    if (type === 7) documentClosed();
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const send = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, `minutes:${meetingId}`);
    write(e);
    socket.send(encoding.toUint8Array(e));
  };
  // Authentication message (type 2, token): the session cookie is what actually authenticates.
  send((e) => {
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, "");
  });
  return { socket, send, statuses, closed, closedDocument };
}

/** What has been logged as an error so far in this test. */
const errors = () => vi.mocked(console.error).mock.calls.flat().map((a) => (a instanceof Error ? a.message : String(a))).join("\n");

const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("who gets a minutes document", () => {
  it("refuses a session of another body and a document that does not exist", async () => {
    expectConsoleError(2); // Hocuspocus logs each refusal
    const outsider = await client(cast.outsider.user.id);
    await expect(outsider.whenSynced(5000)).rejects.toThrow(/refused|closed/);
    const unknown = connectMinutes({ url, cookie: await cookieFor(cast.delegate.user.id), meetingId: "nope" });
    clients.push(unknown);
    await expect(unknown.whenSynced(5000)).rejects.toThrow(/refused|closed/);
    const member = await client(cast.delegate.user.id);
    await member.whenSynced();
    expect(paragraphsOf(outsider.doc)).toEqual([]);
  });
});

describe("a hostile or careless client", () => {
  it("sending a malformed update is cut off, and the others' editing goes on with nothing stored from it", async () => {
    expectConsoleError(4); // Hocuspocus logs why it closed each connection
    const writer = await client(cast.head.user.id);
    await writer.whenSynced();
    const before = await storedRowsBy(cast.delegate.user.id);
    const raw = await rawSocket(cast.delegate.user.id);
    await new Promise((r) => setTimeout(r, 100));
    raw.send((e) => {
      encoding.writeVarUint(e, 0); // Sync
      encoding.writeVarUint(e, 2); // update
      encoding.writeVarUint8Array(e, new Uint8Array([0xff, 0x13, 0x37, 0x00, 0xff]));
    });
    await raw.closedDocument;
    expect(errors()).toContain("malformed Yjs update");
    raw.socket.close();
    // And a frame that is not even Hocuspocus framing.
    const garbage = await rawSocket(cast.delegate.user.id);
    garbage.socket.send(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    await garbage.closed;
    expect(await storedRowsBy(cast.delegate.user.id)).toBe(before);

    writer.appendParagraph("still here after the garbage");
    await writer.whenAcknowledged();
    const stored = await loadDoc(meetingId);
    expect(paragraphsOf(stored)).toContain("still here after the garbage");
  });

  it("has an update sent as a sync reply stored before it is acknowledged, like any other", async () => {
    const writer = await client(cast.delegate.user.id);
    await writer.whenSynced();
    const raw = await rawSocket(cast.head.user.id);
    await new Promise((r) => setTimeout(r, 100));
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(writer.doc));
    const vector = Y.encodeStateVector(local);
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("sent as a sync reply")]);
    local.getXmlFragment("default").push([paragraph]);
    raw.send((e) => {
      encoding.writeVarUint(e, 4); // SyncReply
      encoding.writeVarUint(e, 2); // update
      encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(local, vector));
    });
    await waitFor(() => raw.statuses.includes(1));
    expect(paragraphsOf(await loadDoc(meetingId))).toContain("sent as a sync reply");
    raw.socket.close();
  });

  it("stores nothing for a writer who opens the document and changes nothing", async () => {
    const first = await client(cast.delegate.user.id);
    await first.whenSynced();
    await first.whenAcknowledged();
    const idle = await client(cast.secretariat.user.id);
    await idle.whenSynced();
    await idle.whenAcknowledged();
    await new Promise((r) => setTimeout(r, 100));
    expect(await storedRowsBy(cast.secretariat.user.id)).toBe(0);
    idle.appendParagraph("the secretariat's first line");
    await idle.whenAcknowledged();
    expect(await storedRowsBy(cast.secretariat.user.id)).toBe(1);
  });
});
