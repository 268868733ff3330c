import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { destroyForGood, dropQueuedOnOpen } from "~/lib/live-socket";

/**
 * A scripted minutes client for Node: the same Hocuspocus provider the browser's editor uses,
 * over `ws` with the session cookie and our own Origin (the /collab upgrade requires both).
 * It edits the y-prosemirror fragment directly, as the editor would.
 */

export const MINUTES_FRAGMENT = "default";

export interface MinutesClient {
  doc: Y.Doc;
  provider: HocuspocusProvider;
  socket: HocuspocusProviderWebsocket;
  /** Resolves once the first sync with the server is complete (rejects if refused, or after `timeout` ms). */
  whenSynced(timeout?: number): Promise<void>;
  /** Resolves the next time every update sent so far has been acknowledged by the server. */
  whenAcknowledged(): Promise<void>;
  /** Pushes a `paragraph` element holding `text` at the end of the document. */
  appendParagraph(text: string): void;
  /** True when the server has acknowledged (stored) every update this client has sent. */
  acknowledged(): boolean;
  close(): void;
}

/** A `ws` WebSocket that always carries the session cookie and the server's own Origin. */
function socketClass(cookie: string, origin: string) {
  return class CookieWebSocket extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers: { cookie, origin } });
    }
  };
}

export function connectMinutes({
  url,
  cookie,
  meetingId,
  awareness = false,
  documentName,
}: {
  /** The app's base URL, e.g. http://localhost:3000. */
  url: string;
  cookie: string;
  meetingId: string;
  /** Share presence like the editor does; off by default so scripted crowds stay cheap. */
  awareness?: boolean;
  /** Another document than the meeting's minutes, e.g. `outcome:<id>`. */
  documentName?: string;
}): MinutesClient {
  const base = new URL(url);
  const origin = base.origin;
  const wsUrl = `${base.protocol === "https:" ? "wss:" : "ws:"}//${base.host}/collab`;
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({
    url: wsUrl,
    WebSocketPolyfill: socketClass(cookie, origin),
    // Scripted clients are torn down explicitly; they should not hammer a dead server.
    delay: 200,
    minDelay: 200,
    maxDelay: 2000,
  });
  // As the browser's hook does: "acknowledged" means stored (app/lib/live-socket.ts).
  dropQueuedOnOpen(socket);
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name: documentName ?? `minutes:${meetingId}`,
    document: doc,
    ...(awareness ? {} : { awareness: null }),
  });
  provider.attach();

  let closed = false;
  let failure: Error | null = null;
  const syncWaiters = new Set<{ resolve: () => void; reject: (e: Error) => void }>();
  const ackWaiters = new Set<() => void>();
  const fail = (error: Error) => {
    failure ??= error;
    for (const w of syncWaiters) w.reject(error);
    syncWaiters.clear();
  };
  provider.on("synced", ({ state }: { state: boolean }) => {
    if (!state) return;
    for (const w of syncWaiters) w.resolve();
    syncWaiters.clear();
  });
  provider.on("unsyncedChanges", ({ number }: { number: number }) => {
    if (number !== 0) return;
    for (const w of ackWaiters) w();
    ackWaiters.clear();
  });
  provider.on("authenticationFailed", ({ reason }: { reason: string }) => fail(new Error(`minutes connection refused: ${reason}`)));
  provider.on("close", ({ event }: { event: { code: number; reason: string } }) => {
    if (!provider.isSynced && event.code >= 4000) fail(new Error(`minutes connection closed: ${event.code} ${event.reason}`));
  });

  return {
    doc,
    provider,
    socket,
    whenSynced(timeout = 15_000) {
      if (failure) return Promise.reject(failure);
      if (provider.isSynced) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const waiter = {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (error: Error) => {
            clearTimeout(timer);
            reject(error);
          },
        };
        const timer = setTimeout(() => {
          syncWaiters.delete(waiter);
          reject(new Error(`minutes:${meetingId} did not sync within ${timeout} ms (status ${socket.status})`));
        }, timeout);
        syncWaiters.add(waiter);
      });
    },
    whenAcknowledged() {
      if (provider.isSynced && provider.unsyncedChanges === 0) return Promise.resolve();
      return new Promise((resolve) => ackWaiters.add(resolve));
    },
    appendParagraph(text: string) {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [new Y.XmlText(text)]);
      doc.getXmlFragment(MINUTES_FRAGMENT).push([paragraph]);
    },
    acknowledged() {
      return provider.isSynced && provider.unsyncedChanges === 0;
    },
    close() {
      if (closed) return;
      closed = true;
      provider.destroy();
      destroyForGood(socket);
      doc.destroy();
    },
  };
}

/** The text of every paragraph in the document, in order (including paragraphs nested in lists). */
export function paragraphsOf(doc: Y.Doc): string[] {
  const found: string[] = [];
  const fragment = doc.getXmlFragment(MINUTES_FRAGMENT);
  for (const node of fragment.createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === "paragraph")) {
    const element = node as Y.XmlElement;
    found.push(
      element
        .toArray()
        .map((child) => (child instanceof Y.XmlText ? textOf(child) : ""))
        .join(""),
    );
  }
  return found;
}

/** The plain text of a Y.XmlText, marks ignored. */
export function textOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert?: unknown }[]).map((d) => (typeof d.insert === "string" ? d.insert : "")).join("");
}
