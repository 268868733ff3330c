import { createConnection, createServer, type Socket } from "node:net";
import { freePort } from "./server";

/**
 * A TCP relay that can cut the line: tests put it between a sqld replica and its primary's
 * gRPC port to make the replica fall behind on purpose while it goes on answering reads.
 */
export interface TcpRelay {
  port: number;
  /** Drops every connection and refuses new ones until `resume`. */
  pause: () => void;
  resume: () => void;
  close: () => Promise<void>;
}

export async function startTcpRelay(targetPort: number): Promise<TcpRelay> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let paused = false;
  const server = createServer((incoming) => {
    if (paused) return incoming.destroy();
    const outgoing = createConnection({ host: "127.0.0.1", port: targetPort });
    for (const s of [incoming, outgoing]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => undefined);
    }
    incoming.pipe(outgoing);
    outgoing.pipe(incoming);
    incoming.on("close", () => outgoing.destroy());
    outgoing.on("close", () => incoming.destroy());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    port,
    pause: () => {
      paused = true;
      dropAll();
    },
    resume: () => {
      paused = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        dropAll();
        server.close(() => resolve());
      }),
  };
}
