import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { handleCollabUpgrade } from "~/server/collab.server";

/**
 * The app's real /collab upgrade handler (Hocuspocus in this process, on the test's own
 * database) on a free port, with nothing else served: what the integration tests of live
 * documents connect their clients to.
 */
export async function listenForCollab(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on("upgrade", (request, socket, head) => void handleCollabUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
