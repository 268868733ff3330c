import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, type Connection, type Document } from "@hocuspocus/server";
import { readVarString, readVarUint, readVarUint8Array, createDecoder } from "lib0/decoding";
import { WebSocketServer } from "ws";
import * as Y from "yjs";
import { onAgendaItemsChanged } from "~/models/agenda/changes.server";
import { followAgenda } from "~/models/minutes/headings.server";
import { provideLiveDocuments, type MinutesChange } from "~/models/minutes/live.server";
import { assertValidUpdate } from "~/lib/live-store.server";
import { isRevoked, registerConnection } from "~/models/people/revocation.server";
import { findSession } from "~/models/people/sessions.server";
import { sessionCookie } from "~/lib/cookies.server";
import type { CollabNotice } from "~/lib/collab-notices";
import { env } from "~/lib/env.server";
import { minutesDocumentName } from "~/lib/minutes-schema";
import { allowedOrigins, hasAllowedOrigin } from "~/lib/origin.server";
import { isBusy } from "~/lib/db-embedded.server";
import { serialised } from "~/lib/serial.server";
import { instanceExtensions, isRelayedFromAnotherInstance } from "~/server/collab-instances.server";
import { outcomeDocumentName } from "~/lib/outcome-schema";
import { provideLiveOutcomes } from "~/models/outcomes/live.server";
import type { DocumentKind } from "~/server/collab/document-kind";
import { isOutcomeDocument, outcomeHooks } from "~/server/outcome-collab.server";
import { logDocumentError, MAX_UPDATE_BYTES, PerConnection, refusals, StoreRetries, UpdateRate } from "~/server/collab/guard.server";
import { minutesKind } from "~/server/collab/minutes-kind.server";
import { annexKind } from "~/server/collab/annex-kind.server";
import { ConnectionRefused, refusalReason, withRefusalReasons } from "~/server/collab/refusal-reasons.server";
import { annexDocumentName } from "~/lib/annex-schema";
import { breaksProtected, changesProtected, protectedSet } from "~/server/collab/protected-items.server";

/**
 * The collaboration server (Hocuspocus 3 on `ws`, ADR 007) inside the app's own process, at
 * /collab on the app's port. Every update a client sends is stored before it is applied and
 * acknowledged, so an acknowledged edit survives a crash.
 */

interface Context {
  userId: string | null;
  key: string;
  /** For revocation (models/people/revocation.server.ts): whose session, decided when, valid until. */
  sessionId?: string;
  authorizedAt?: number;
  expiresAt?: number;
  /** The meeting whose document it is: a change of its TLP audience re-decides the connection (ADR 037). */
  meetingId?: string;
}

// Hocuspocus message layout: [document name][message type][sync step][payload]. The server applies
// sync steps and updates from both Sync and SyncReply messages, so both are stored before that.
const MESSAGE_SYNC = 0;
const MESSAGE_SYNC_REPLY = 4;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** A Yjs update with no structs and an empty delete set: a client's first sync when it has nothing new. */
const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0;

/** The Yjs update inside a client message, or null for messages that change nothing (awareness, step 1). */
function updateOf(message: Uint8Array): { update: Uint8Array; step: number } | null {
  try {
    const decoder = createDecoder(message);
    readVarString(decoder);
    const type = readVarUint(decoder);
    if (type !== MESSAGE_SYNC && type !== MESSAGE_SYNC_REPLY) return null;
    const step = readVarUint(decoder);
    if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
    const update = readVarUint8Array(decoder);
    return isEmptyUpdate(update) ? null : { update, step };
  } catch {
    throw refusals.malformed();
  }
}

/** The document kinds this server holds; the first whose `keyOf` knows a name serves it. */
const kinds: DocumentKind[] = [minutesKind, annexKind].map(withRefusalReasons);

function kindOf(documentName: string): { kind: DocumentKind; key: string } {
  for (const kind of kinds) {
    const key = kind.keyOf(documentName);
    if (key) return { kind, key };
  }
  throw new Error("unknown document");
}

/** Sends a connection a stateless notice the editor understands (see minutes-editor.client.tsx). */
function notify(connection: Connection, notice: CollabNotice): void {
  try {
    connection.sendStateless(JSON.stringify(notice));
  } catch {
    // The socket is already gone; there is nobody left to tell.
  }
}

function createServer() {
  const rates = new WeakMap<object, UpdateRate>();
  const inOrder = new PerConnection();
  const retries = new StoreRetries();
  let instance: Hocuspocus | null = null;

  /** Compacts one document and runs what follows, as the document's one writer; never throws. */
  async function store(document: Document): Promise<void> {
    try {
      if (isOutcomeDocument(document.name)) await outcomeHooks.onStoreDocument({ document, documentName: document.name });
      else {
        const { kind, key } = kindOf(document.name);
        await serialised(document.name, () => kind.store(key, document));
      }
      retries.succeeded(document.name);
    } catch (error) {
      logDocumentError(document.name, isBusy(error) ? "storing (database busy, will retry)" : "storing (will retry)", error);
      // Nothing was deleted (the snapshot and the deletions are one transaction): try again later,
      // on the same in-memory document, if it is still loaded.
      retries.schedule(document.name, () => {
        const loaded = instance?.documents.get(document.name);
        if (loaded) void store(loaded);
      });
    }
  }

  const hocuspocus = new Hocuspocus({
    name: "concord",
    quiet: true,
    debounce: 2000,
    maxDebounce: 10_000,
    // With REDIS_URL, the instances holding a document relay its updates (ADR 021).
    extensions: instanceExtensions(),
    async onConnect({ documentName, requestHeaders, connectionConfig, context }) {
      const authorizedAt = Date.now();
      const token = await sessionCookie().parse(String(requestHeaders.cookie ?? ""));
      // Outcome documents (issue 14) keep their own hooks until they become a DocumentKind.
      if (isOutcomeDocument(documentName)) {
        await outcomeHooks.onConnect({ documentName, token: typeof token === "string" ? token : null, connectionConfig, context }).catch((error: unknown) => {
          throw new ConnectionRefused(refusalReason(error));
        });
        // Outcome documents are revoked like the minutes (models/people/revocation.server.ts).
        const session = typeof token === "string" ? await findSession(token) : null;
        if (!session || session.mustSetUpTwoFactor) throw new Error("session");
        Object.assign(context as Context, { sessionId: session.sessionId, authorizedAt, expiresAt: session.expiresAt.getTime() });
        return;
      }
      const { kind, key } = kindOf(documentName);
      const access = await kind.authorize({ token: typeof token === "string" ? token : null, key });
      connectionConfig.readOnly = access.readOnly;
      // Every DocumentKind is keyed by its meeting (minutes, annex).
      Object.assign(context as Context, { userId: access.userId, key, sessionId: access.sessionId, authorizedAt, expiresAt: access.expiresAt, meetingId: key } satisfies Context);
    },
    async connected({ connection, context }) {
      // Sign-out, deactivation, a change of role… close the socket; the provider reconnects and is decided again.
      // A change of the meeting's TLP audience (the list published, invitations sent) does the same.
      const { userId, sessionId, authorizedAt, expiresAt, meetingId } = context as Required<Context>;
      if (!sessionId || !userId) return;
      const unregister = registerConnection({ userId, sessionId, authorizedAt, expiresAt, meetingId, close: () => connection.webSocket.close(4403, "access changed") });
      connection.onClose(unregister);
    },
    async onLoadDocument({ document, documentName }) {
      try {
        if (isOutcomeDocument(documentName)) return await outcomeHooks.onLoadDocument({ document, documentName });
        const { kind, key } = kindOf(documentName);
        await kind.load(key, document);
      } catch (error) {
        // Refuses this connection (Hocuspocus closes it); the next one tries to load again.
        logDocumentError(documentName, "loading", error);
        throw error;
      }
    },
    async beforeHandleMessage({ update: message, connection, context, document, documentName }) {
      const ctx = context as Context;
      if (ctx.sessionId && ctx.userId && isRevoked({ ...(ctx as Required<Context>), userId: ctx.userId })) throw new Error("access revoked");
      const found = updateOf(message);
      if (!found) return;
      const { update, step } = found;
      const socket = connection as Connection;
      let rate = rates.get(socket);
      if (!rate) rates.set(socket, (rate = new UpdateRate()));
      if (!rate.allow()) throw refusals.flood();
      if (update.length > MAX_UPDATE_BYTES) throw refusals.tooLarge();
      if (isOutcomeDocument(documentName)) return outcomeHooks.beforeHandleMessage({ payload: update, connection: socket, context, document });
      const { kind, key } = kindOf(documentName);
      assertValidUpdate(update);
      if (socket.readOnly) {
        // Nothing new (a reader's first sync from a copy the server already has): acknowledged as usual.
        if (Y.snapshotContainsUpdate(Y.snapshot(document), update)) return;
        // Never merged: tell the person what was not saved. Their first sync after losing write
        // access is answered (Hocuspocus reports it as not applied); typing on regardless is cut off.
        notify(socket, { type: "refused", reason: "readOnly", text: kind.refusedText?.(document, update) ?? "" });
        if (step === SYNC_UPDATE) throw refusals.readOnly();
        return;
      }
      if (
        kind.isProtected &&
        breaksProtected(update, protectedSet(document.getXmlFragment(kind.field), kind.isProtected, kind.serverAttributes)) &&
        changesProtected(document, kind.field, update, kind.isProtected)
      ) {
        notify(socket, { type: "refused", reason: "protected", text: kind.refusedText?.(document, update) ?? "" });
        throw refusals.protectedContent();
      }
      // Stored before Hocuspocus applies and acknowledges it. A failure here (the database)
      // closes this connection; the provider reconnects and sends the update again.
      await inOrder.run(socket, () => kind.append(key, update, (context as Context).userId));
    },
    async onChange({ documentName, update, transactionOrigin }) {
      // Updates from clients were stored before they were applied; store the server's own here.
      if (transactionOrigin && typeof transactionOrigin === "object" && "socketId" in transactionOrigin) return;
      if (transactionOrigin === "storage") return;
      // Relayed from another instance, which stored it before acknowledging it.
      if (isRelayedFromAnotherInstance(transactionOrigin)) return;
      try {
        if (isOutcomeDocument(documentName)) return await outcomeHooks.onChange({ documentName, update });
        const { kind, key } = kindOf(documentName);
        await serialised(documentName, () => kind.append(key, update, null));
      } catch (error) {
        // It is in the live document, so the next compaction's snapshot holds it.
        logDocumentError(documentName, "storing a server change", error);
      }
    },
    async onStoreDocument({ document }) {
      await store(document);
    },
    async onDestroy() {
      retries.clear();
    },
  });
  instance = hocuspocus;
  return hocuspocus;
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
  // The restricted annex follows the minutes' life cycle (frozen once they are circulated; ADR 037).
  collab().hocuspocus.closeConnections(annexDocumentName(meetingId));
}

/** Pushes a life-cycle change to every open minutes page (they reload their data at once). */
export function announceMinutesChange(meetingId: string, what: MinutesChange): void {
  const document = collab().hocuspocus.documents.get(minutesDocumentName(meetingId));
  document?.broadcastStateless(JSON.stringify({ type: "changed", what } satisfies CollabNotice));
}

provideLiveDocuments({ withDocument, reconnect: reconnectEditors, announce: announceMinutesChange });
// The live minutes' section headings follow the agenda (models/minutes/headings.server.ts).
onAgendaItemsChanged(followAgenda);

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
