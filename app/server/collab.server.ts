import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, MessageType, type Connection, type Document } from "@hocuspocus/server";
import { readVarString, readVarUint, readVarUint8Array, createDecoder } from "lib0/decoding";
import { messageYjsSyncStep2, messageYjsUpdate } from "y-protocols/sync";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import { authorizeMinutesConnection } from "~/models/minutes/access.server";
import { afterMinutesStored, initialMinutesContent } from "~/models/minutes/content.server";
import { noteContributor, provideLiveDocuments } from "~/models/minutes/live.server";
import { appendUpdate, compact, loadInto } from "~/models/minutes/store.server";
import { sessionCookie } from "~/lib/cookies.server";
import { env } from "~/lib/env.server";
import { jsonToUpdate } from "~/lib/minutes-doc.server";
import { meetingIdOfDocument, minutesDocumentName } from "~/lib/minutes-schema";
import { allowedOrigins, hasAllowedOrigin } from "~/lib/origin.server";
import { outcomeDocumentName } from "~/lib/outcome-schema";
import { provideLiveOutcomes } from "~/models/outcomes/live.server";
import { isOutcomeDocument, outcomeHooks } from "~/server/outcome-collab.server";

/**
 * The collaboration server (Hocuspocus 3 on `ws`, ADR 007) inside the app's own process, at
 * /collab on the app's port. Every update a client sends is stored before it is applied and
 * acknowledged, so an acknowledged edit survives a crash.
 */

interface Context {
  userId: string;
  meetingId: string;
}

// Hocuspocus message layout: [document name][message type][sync step][payload]. The server applies
// sync steps and updates from both Sync and SyncReply messages, so both are stored before that.

/** A Yjs update with no structs and an empty delete set: a client's first sync when it has nothing new. */
const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0;

/** The Yjs update inside a client message, or null for messages that change nothing (awareness, step 1). */
function updateOf(message: Uint8Array): Uint8Array | null {
  const decoder = createDecoder(message);
  readVarString(decoder);
  const type = readVarUint(decoder);
  if (type !== MessageType.Sync && type !== MessageType.SyncReply) return null;
  const step = readVarUint(decoder);
  if (step !== messageYjsSyncStep2 && step !== messageYjsUpdate) return null;
  const update = readVarUint8Array(decoder);
  return isEmptyUpdate(update) ? null : update;
}

function createServer() {
  // Server-side changes (numbering decisions, restoring a version) are stored in order.
  const serverWrites = new Map<string, Promise<unknown>>();

  return new Hocuspocus({
    name: "concord",
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    async onConnect({ documentName, requestHeaders, connectionConfig, context }) {
      if (isOutcomeDocument(documentName)) {
        const token = await sessionCookie().parse(String(requestHeaders.cookie ?? ""));
        return outcomeHooks.onConnect({ documentName, token: typeof token === "string" ? token : null, connectionConfig, context });
      }
      const meetingId = meetingIdOfDocument(documentName);
      if (!meetingId) throw new Error("unknown document");
      const token = await sessionCookie().parse(String(requestHeaders.cookie ?? ""));
      const access = await authorizeMinutesConnection({ token: typeof token === "string" ? token : null, meetingId });
      connectionConfig.readOnly = access.readOnly;
      Object.assign(context as Context, { userId: access.actor.id, meetingId } satisfies Context);
    },
    async onLoadDocument({ document, documentName }) {
      if (isOutcomeDocument(documentName)) return outcomeHooks.onLoadDocument({ document, documentName });
      const meetingId = meetingIdOfDocument(documentName)!;
      const stored = await loadInto(meetingId, document);
      if (!stored) {
        // A new record starts from the meeting's attendance and agenda; stored at once.
        const update = jsonToUpdate(await initialMinutesContent(meetingId));
        await appendUpdate(meetingId, update, null);
        Y.applyUpdate(document, update, "storage");
      }
    },
    async beforeHandleMessage({ update, connection, context, document }) {
      const payload = updateOf(update);
      if (!payload || (connection as Connection | undefined)?.readOnly) return;
      if (isOutcomeDocument(document.name)) return outcomeHooks.beforeHandleMessage({ payload, connection: connection as Connection | undefined, context, document });
      const { meetingId, userId } = context as Context;
      // A malformed update throws here: that connection is closed; nobody else is affected.
      await appendUpdate(meetingId, payload, userId);
      noteContributor(meetingId, userId);
    },
    async onChange({ documentName, update, transactionOrigin }) {
      // Updates from clients were stored before they were applied; store the server's own here.
      if (transactionOrigin && typeof transactionOrigin === "object" && "socketId" in transactionOrigin) return;
      if (transactionOrigin === "storage") return;
      if (isOutcomeDocument(documentName)) return outcomeHooks.onChange({ documentName, update });
      const meetingId = meetingIdOfDocument(documentName)!;
      const previous = serverWrites.get(meetingId) ?? Promise.resolve();
      const next = previous.then(() => appendUpdate(meetingId, update, null)).catch((error) => console.error("storing a server change failed", error));
      serverWrites.set(meetingId, next);
      await next;
    },
    async onStoreDocument({ document, documentName }) {
      if (isOutcomeDocument(documentName)) return outcomeHooks.onStoreDocument({ document, documentName });
      const meetingId = meetingIdOfDocument(documentName)!;
      await serverWrites.get(meetingId);
      await compact(meetingId, document);
      await afterMinutesStored(meetingId, document as Document);
    },
  });
}

const g = globalThis as typeof globalThis & { __concordCollab?: { hocuspocus: Hocuspocus; wss: WebSocketServer } };

export function collab() {
  if (!g.__concordCollab) g.__concordCollab = { hocuspocus: createServer(), wss: new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 }) };
  return g.__concordCollab;
}

function refuse(socket: Duplex, status: string) {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The /collab upgrade: only from our own pages (Origin) and with a session cookie; documents are checked per connection. */
export async function handleCollabUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  const headers = request.headers;
  // A browser always sends Origin with a WebSocket; it must be this site (by either scheme,
  // since a proxy may terminate TLS) or one named in ALLOWED_ORIGINS.
  const check = (protocol: string) =>
    hasAllowedOrigin({
      host: headers.host,
      protocol,
      origin: headers.origin,
      referer: undefined,
      hasCookie: !!headers.cookie,
      allowed: allowedOrigins(env().ALLOWED_ORIGINS, env().PUBLIC_URL),
    });
  const allowed = check("http") || check("https");
  if (!allowed || !headers.origin) return refuse(socket, "403 Forbidden");
  const token = await sessionCookie().parse(headers.cookie ?? null);
  if (typeof token !== "string" || !token) return refuse(socket, "401 Unauthorized");
  const { hocuspocus, wss } = collab();
  wss.handleUpgrade(request, socket, head, (ws) => hocuspocus.handleConnection(ws, request));
}

/** Reads or changes a meeting's live document from the server, as if it were one more client. */
export async function withDocument<T>(meetingId: string, fn: (doc: Y.Doc) => T): Promise<T> {
  const connection = await collab().hocuspocus.openDirectConnection(minutesDocumentName(meetingId), { userId: null, meetingId });
  try {
    let result!: T;
    await connection.transact((doc) => {
      result = fn(doc);
    });
    return result;
  } finally {
    await connection.disconnect();
  }
}

/** Makes every open editor reconnect, so its permissions are decided again (after circulation, adoption…). */
export function reconnectEditors(meetingId: string): void {
  collab().hocuspocus.closeConnections(minutesDocumentName(meetingId));
}

provideLiveDocuments({ withDocument, reconnect: reconnectEditors });

/** The same for outcome documents (`outcome:<id>`). */
async function withOutcome<T>(documentId: string, fn: (doc: Y.Doc) => T): Promise<T> {
  const connection = await collab().hocuspocus.openDirectConnection(outcomeDocumentName(documentId), { kind: "outcome", userId: null, documentId });
  try {
    let result!: T;
    await connection.transact((doc) => {
      result = fn(doc);
    });
    return result;
  } finally {
    await connection.disconnect();
  }
}

provideLiveOutcomes({ withDocument: withOutcome, reconnect: (documentId) => collab().hocuspocus.closeConnections(outcomeDocumentName(documentId)) });

export async function shutdownCollab(): Promise<void> {
  const state = g.__concordCollab;
  if (!state) return;
  // Store every open document before the process ends.
  const { hocuspocus } = state;
  for (const document of hocuspocus.documents.values()) {
    await hocuspocus.storeDocumentHooks(document, { instance: hocuspocus, document, documentName: document.name, requestHeaders: {}, requestParameters: new URLSearchParams(), socketId: "server", clientsCount: 0, context: {} } as never, true);
  }
  hocuspocus.closeConnections();
  state.wss.close();
  g.__concordCollab = undefined;
}
