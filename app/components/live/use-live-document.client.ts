import { HocuspocusProvider, HocuspocusProviderWebsocket, WebSocketStatus } from "@hocuspocus/provider";
import { useEffect, useMemo, useRef, useState } from "react";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { destroyForGood, dropQueuedOnOpen } from "~/lib/live-socket";

/**
 * One live document of the app's Hocuspocus server (/collab), as the minutes and outcome
 * editors use it: the Yjs document, its provider, the connection's state, who else is here,
 * and (when asked for) a copy in this browser (IndexedDB, per person and document) so a
 * dropped network, a reload or a crashed tab loses nothing. Reconnection is the provider's
 * own, with backoff: the browser's offline event is not trusted to close the socket (ADR 009);
 * its online event only makes the next attempt start at once.
 */

export interface Peer {
  clientId: number;
  name: string;
  colour: string;
}

export interface LiveDocumentOptions {
  documentName: string;
  /** The IndexedDB name of this browser's copy (per person and document), or null for none. */
  localCopy: string | null;
  /** A stateless message from the server (a notice). */
  onStateless?: (payload: string, local: IndexeddbPersistence | null) => void;
  /** Synced again after a drop: what happened meanwhile should show at once. */
  onResynced?: () => void;
  /** The server closed the connection, with this reason. */
  onClose?: (reason: string | undefined) => void;
  /** A new value starts over with a fresh local document (after a refusal that cannot be resent). */
  generation?: number;
}

/** The status line's states: "saved" only when connected, synced and nothing is unacknowledged. */
export type LiveStatus = "readOnly" | "saved" | "saving" | "connecting" | "offline";

export function liveStatus({ editable, connection, synced, unsynced }: { editable: boolean; connection: WebSocketStatus; synced: boolean; unsynced: number }): LiveStatus {
  // A reader sees "Read only" once the server's text is here; before that, whether it is coming.
  if (connection === WebSocketStatus.Connected && synced) return !editable ? "readOnly" : unsynced > 0 ? "saving" : "saved";
  return connection === WebSocketStatus.Connecting ? "connecting" : "offline";
}

/** The status line's words (keys in minutes.json, shared by every live editor). */
export function liveStatusText(t: (key: string, options?: Record<string, string | number>) => string, status: LiveStatus, editable: boolean, unsynced: number): string {
  if (status === "readOnly") return t("minutes:connection.readOnly");
  if (status === "saved") return t("minutes:connection.saved");
  if (status === "saving") return t("minutes:connection.saving");
  if (status === "connecting") return t("minutes:connection.connecting");
  if (!editable) return t("minutes:connection.readOnlyOffline");
  return unsynced > 0 ? t("minutes:connection.offline", { count: unsynced }) : t("minutes:connection.offlineNone");
}

export function useLiveDocument({ documentName, localCopy, onStateless, onResynced, onClose, generation = 0 }: LiveDocumentOptions) {
  const { doc, provider, socket, local } = useMemo(() => {
    const doc = new Y.Doc();
    const local = localCopy ? new IndexeddbPersistence(localCopy, doc) : null;
    const protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
    // A silent dead connection is noticed within seconds, not half a minute; and the backoff
    // between attempts stops growing at 5 s, so a delegate whose network is back is saved again
    // within seconds however long the cut was (the default grows to 30 s).
    const socket = new HocuspocusProviderWebsocket({ url: `${protocol}//${window.location.host}/collab`, messageReconnectTimeout: 10_000, maxDelay: 5_000 });
    // "Saved" must mean the server stored everything: see dropQueuedOnOpen.
    dropQueuedOnOpen(socket);
    const provider = new HocuspocusProvider({ websocketProvider: socket, name: documentName, document: doc });
    provider.attach();
    return { doc, provider, socket, local };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- generation: a new document after a refusal
  }, [documentName, localCopy, generation]);
  const [connection, setConnection] = useState<WebSocketStatus>(WebSocketStatus.Connecting);
  const [synced, setSynced] = useState(false);
  const [unsynced, setUnsynced] = useState(0);
  const [peers, setPeers] = useState<Peer[]>([]);
  const callbacks = useRef({ onStateless, onResynced, onClose });
  callbacks.current = { onStateless, onResynced, onClose };

  useEffect(() => {
    let wasSynced = false;
    const onStatus = ({ status }: { status: WebSocketStatus }) => {
      setConnection(status);
      if (status === WebSocketStatus.Connected) return;
      setSynced(false);
      // When the socket provider gives up on a silent connection it closes it without a "close"
      // event, so the document provider still thinks it is synced and, synced again after the
      // reconnection, never says so: the page stayed "Offline" on a working connection. Marking
      // it unsynced here makes the next sync announce itself.
      if (provider.synced) provider.synced = false;
    };
    const onSynced = ({ state }: { state: boolean }) => {
      setSynced(state);
      if (state && wasSynced) callbacks.current.onResynced?.();
      if (state) wasSynced = true;
    };
    const onUnsynced = ({ number }: { number: number }) => setUnsynced(number);
    const onAwareness = () => {
      const states = provider.awareness?.getStates() ?? new Map();
      setPeers(
        [...states.entries()]
          .filter(([, s]) => s.user)
          .map(([clientId, s]) => ({ clientId, name: String(s.user.name), colour: String(s.user.color) })),
      );
    };
    const onStatelessMessage = ({ payload }: { payload: string }) => callbacks.current.onStateless?.(payload, local);
    // Refused the document (access withdrawn): the copy of it in this browser goes too.
    const onAuthenticationFailed = () => void local?.clearData();
    const onClosed = ({ event }: { event: { reason?: string } }) => callbacks.current.onClose?.(event?.reason);
    // The network is back: try now rather than when the backoff says. Only a hint to retry, never
    // a reason to close: an attempt begun while offline can hang without failing (Chromium), and
    // the provider's retry has no per-attempt timeout, so without this a delegate could stay
    // "Offline" long after the network returned.
    const onOnline = () => {
      if (socket.status !== WebSocketStatus.Connected) void socket.connect();
    };
    window.addEventListener("online", onOnline);
    provider.on("close", onClosed);
    provider.on("status", onStatus);
    provider.on("synced", onSynced);
    provider.on("unsyncedChanges", onUnsynced);
    provider.on("stateless", onStatelessMessage);
    provider.on("authenticationFailed", onAuthenticationFailed);
    provider.awareness?.on("change", onAwareness);
    // The provider connects from the render that made it. On a busy machine the socket can open
    // and the document sync before this effect subscribes, and the events fired meanwhile are
    // gone: twice in full e2e runs a fresh page said "Connecting…" for 30 s on a synced
    // connection. What they said is read now (only what is already true: no "Offline" flash
    // before the first attempt).
    if (socket.status === WebSocketStatus.Connected) setConnection(WebSocketStatus.Connected);
    if (provider.synced) {
      wasSynced = true;
      setSynced(true);
    }
    setUnsynced(provider.unsyncedChanges);
    onAwareness();
    return () => {
      window.removeEventListener("online", onOnline);
      provider.off("close", onClosed);
      provider.off("status", onStatus);
      provider.off("synced", onSynced);
      provider.off("unsyncedChanges", onUnsynced);
      provider.off("stateless", onStatelessMessage);
      provider.off("authenticationFailed", onAuthenticationFailed);
      provider.awareness?.off("change", onAwareness);
      provider.destroy();
      destroyForGood(socket);
      void local?.destroy();
      doc.destroy();
    };
  }, [provider, socket, doc, local]);

  return { doc, provider, local, connection, synced, unsynced, peers };
}
