import type { HocuspocusProviderWebsocket } from "@hocuspocus/provider";

/**
 * Keeps the provider's "every change acknowledged" honest across a reconnection.
 *
 * Messages a provider sends while its socket is still connecting wait in the socket's queue and
 * go out after the server's first reply. But on open the provider restarts its count of
 * unacknowledged changes at one (for the sync step it is about to send), so the acks of those
 * queued updates are not expected: the first of them brought the count to zero, and the page
 * said "Saved" while the rest, and the sync step carrying everything typed offline, were still
 * on their way (a server dying then lost text shown as saved). What the queue holds is already
 * in the document, and the sync exchange that follows the open sends the server everything it
 * lacks; so the queue is dropped when the socket opens, and every ack the count waits for is one
 * the server will send.
 *
 * The queue is the socket provider's own (private in its types, stable in Hocuspocus 3); the
 * test `tests/integration/collab-saved-status.test.ts` fails if that changes.
 */
export function dropQueuedOnOpen(socket: HocuspocusProviderWebsocket): () => void {
  const onOpen = () => {
    const queue = (socket as unknown as { messageQueue?: unknown[] }).messageQueue;
    if (Array.isArray(queue)) queue.length = 0;
  };
  socket.on("open", onOpen);
  return () => socket.off("open", onOpen);
}

/**
 * Destroys a socket provider so that it never connects again.
 *
 * When the server closes a connection, the provider schedules its next `connect()` `delay` ms
 * later, and `destroy()` does not cancel that timer; `connect()` then sets "should connect"
 * again and opens a new socket for a provider nobody holds any more. A page that leaves the
 * minutes right after a sign-out or a refusal (the server closes, the page unmounts) kept such
 * a socket, knocking with a dead session; the integration suites' clients left one open across
 * the server's shutdown. So `connect` is made a no-op before the provider is destroyed.
 * `tests/integration/live-socket-destroy.test.ts` fails without it.
 */
export function destroyForGood(socket: HocuspocusProviderWebsocket): void {
  (socket as unknown as { connect: () => Promise<void> }).connect = async () => {};
  socket.destroy();
}
