import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";

/**
 * A TCP proxy the test controls, between the browsers and the app. Playwright's offline mode
 * does not reliably close a WebSocket that is already open; this does, for real:
 * - `cut()` destroys the open connections and refuses new ones (a dropped network);
 * - `cut({ only: "websocket" })` does that to WebSocket connections only, so pages still load;
 * - `restore()` lets connections through again.
 * It counts what it forwarded during a cut (nothing may arrive at the server then).
 */
export interface TcpProxy {
  url: string;
  cut(options?: { only?: "websocket" }): void;
  restore(): void;
  /** Holds what clients send (connections open, nothing forwarded) until `release()`: a slow network. */
  hold(): void;
  release(): void;
  /** Open connections to the server, WebSockets among them. */
  open(): { all: number; websockets: number };
  /** Bytes forwarded to the server since the last cut began. */
  bytesSinceCut(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  websocket: boolean;
  held: Buffer[];
}

/** `target` is read at each connection, so the server behind may start after the proxy (or restart elsewhere). */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let cut: null | "all" | "websocket" = null;
  let forwardedDuringCut = 0;
  let holding = false;

  const refused = (pair: Pair) => cut === "all" || (cut === "websocket" && pair.websocket);
  const drop = (pair: Pair) => {
    pair.client.destroy();
    pair.upstream.destroy();
    pairs.delete(pair);
  };

  const server: Server = createServer((client) => {
    if (cut === "all") return void client.destroy();
    const upstream = connect(target.port, target.host);
    const pair: Pair = { client, upstream, websocket: false, held: [] };
    pairs.add(pair);
    let first = true;
    client.on("data", (chunk: Buffer) => {
      if (first) {
        first = false;
        pair.websocket = /\r\nupgrade:\s*websocket/i.test(chunk.toString("latin1"));
      }
      if (refused(pair)) {
        return drop(pair);
      }
      if (cut) forwardedDuringCut += chunk.length;
      if (holding) return void pair.held.push(chunk);
      upstream.write(new Uint8Array(chunk));
    });
    upstream.on("data", (chunk: Buffer) => {
      if (refused(pair)) return drop(pair);
      client.write(new Uint8Array(chunk));
    });
    const end = () => drop(pair);
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://localhost:${port}`,
    cut(options) {
      cut = options?.only === "websocket" ? "websocket" : "all";
      forwardedDuringCut = 0;
      for (const pair of [...pairs]) if (refused(pair)) drop(pair);
    },
    restore() {
      cut = null;
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      for (const pair of pairs) for (const chunk of pair.held.splice(0)) pair.upstream.write(new Uint8Array(chunk));
    },
    open() {
      const all = [...pairs];
      return { all: all.length, websockets: all.filter((p) => p.websocket).length };
    },
    bytesSinceCut: () => forwardedDuringCut,
    async close() {
      for (const pair of [...pairs]) drop(pair);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
