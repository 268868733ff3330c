import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";
import * as Y from "yjs";

/**
 * A bare WebSocket speaking Hocuspocus's framing, to send what no well-behaved provider
 * would (floods, forged updates, updates from a reader). It records what the server says.
 */
export interface RawCollab {
  socket: WebSocket;
  /** Sends a Yjs update as a Sync/Update message (type 0, step 2), or as sync step 2 (`step: 1`). */
  sendUpdate(update: Uint8Array, step?: 1 | 2): void;
  /** Sync-status replies (1 applied, 0 refused), in order. */
  statuses: number[];
  /** Stateless payloads the server sent. */
  notices: string[];
  /** Resolves with the close code and reason once the server ends this document's connection or the socket. */
  closed: Promise<{ code: number; reason: string }>;
  /** The server's document as this client was sent it (after the first sync). */
  doc: Y.Doc;
  synced: Promise<void>;
  /** How the server answered the connection: admitted (read-write or read-only) or refused, with its reason. */
  answer: Promise<{ admitted: true; scope: string } | { admitted: false; reason: string }>;
  /** Sync messages received (0 for a refused client: it was sent nothing of the document). */
  syncMessages(): number;
  /** Every byte of document content the server sent (sync steps and updates), to look for text it must not carry. */
  received(): Buffer;
}

export async function rawCollab({ url, cookie, documentName }: { url: string; cookie: string; documentName: string }): Promise<RawCollab> {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/collab`, { headers: { cookie, origin: new URL(url).origin } });
  const statuses: number[] = [];
  const notices: string[] = [];
  const doc = new Y.Doc();
  let closeWith!: (value: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (closeWith = resolve));
  type Answer = { admitted: true; scope: string } | { admitted: false; reason: string };
  let answerWith!: (value: Answer) => void;
  const answer = new Promise<Answer>((resolve) => (answerWith = resolve));
  let syncs = 0;
  const payloads: Uint8Array[] = [];
  let syncedNow!: () => void;
  const synced = new Promise<void>((resolve) => (syncedNow = resolve));
  socket.once("close", (code, reason) => closeWith({ code, reason: reason.toString() }));
  const send = (write: (e: encoding.Encoder) => void) => {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, documentName);
    write(e);
    socket.send(encoding.toUint8Array(e));
  };
  socket.on("message", (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    if (type === 8) statuses.push(decoding.readVarInt(decoder));
    else if (type === 2) {
      // Auth: [1 permission denied, reason] or [2 authenticated, scope].
      const kind = decoding.readVarUint(decoder);
      if (kind === 1) answerWith({ admitted: false, reason: decoding.readVarString(decoder) });
      else if (kind === 2) answerWith({ admitted: true, scope: decoding.readVarString(decoder) });
    }
    else if (type === 5) notices.push(decoding.readVarString(decoder));
    else if (type === 7) {
      // Close: [code? reason] as Hocuspocus writes it.
      const reason = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : "";
      closeWith({ code: 0, reason });
    } else if (type === 0) {
      syncs += 1;
      const step = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      payloads.push(payload);
      if (step === 0) {
        // The server's step 1: answer with nothing new (a real provider would send its diff).
        send((e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint(e, 1);
          encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(new Y.Doc(), payload));
        });
      } else {
        Y.applyUpdate(doc, payload, "server");
        if (step === 1) syncedNow();
      }
    }
  });
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  // Authentication (type 2, token): the session cookie is what actually authenticates.
  send((e) => {
    encoding.writeVarUint(e, 2);
    encoding.writeVarUint(e, 0);
    encoding.writeVarString(e, "");
  });
  // Sync step 1 with an empty state vector: the server answers with the whole document.
  send((e) => {
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint(e, 0);
    encoding.writeVarUint8Array(e, Y.encodeStateVector(new Y.Doc()));
  });
  return {
    socket,
    statuses,
    notices,
    closed,
    doc,
    synced,
    answer,
    syncMessages: () => syncs,
    received: () => Buffer.concat(payloads),
    sendUpdate(update, step = 2) {
      send((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, step);
        encoding.writeVarUint8Array(e, update);
      });
    },
  };
}

/** The update that `change` makes to a copy of `doc` (its own client id, as a separate browser would). */
export function changeOf(doc: Y.Doc, change: (copy: Y.Doc) => void): Uint8Array {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  const before = Y.encodeStateVector(copy);
  change(copy);
  return Y.encodeStateAsUpdate(copy, before);
}
