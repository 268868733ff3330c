import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { baseUrl } from "./helpers";

/**
 * Idle keep-alive connections are closed by the client (or the proxy), not by the server
 * while the client may be sending its next request on them. With Node's default of 5 s, a
 * busy server closed connections whose next POST had already arrived, and 50 concurrent
 * writers saw ECONNRESET (`npm run bench -- cluster`); POSTs are not retried by clients.
 */
function readResponse(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = "";
    const onData = (chunk: Buffer) => {
      data += chunk.toString();
      const end = data.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(data)?.[1];
      const complete = length !== undefined ? data.length >= end + 4 + Number(length) : data.endsWith("\r\n0\r\n\r\n");
      if (end >= 0 && complete) {
        socket.off("data", onData);
        socket.off("close", onClose);
        resolve(data);
      }
    };
    const onClose = () => reject(new Error(`the server closed the connection (got ${JSON.stringify(data.slice(0, 80))})`));
    socket.on("data", onData);
    socket.once("close", onClose);
  });
}

describe("keep-alive connections", () => {
  it("keeps an idle connection open well past Node's 5 s default and announces how long", async () => {
    const url = new URL(baseUrl());
    const socket = connect({ host: "127.0.0.1", port: Number(url.port) });
    socket.on("error", () => undefined);
    await new Promise((resolve) => socket.once("connect", resolve));
    const request = `GET /healthz HTTP/1.1\r\nHost: ${url.host}\r\nConnection: keep-alive\r\n\r\n`;
    try {
      socket.write(request);
      const first = await readResponse(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      await new Promise((resolve) => setTimeout(resolve, 7_000));
      socket.write(request);
      expect(await readResponse(socket)).toMatch(/^HTTP\/1\.1 200/);
      // Clients that honour the hint (undici: a second less) close idle connections first.
      expect(first).toMatch(/keep-alive: timeout=65/i);
    } finally {
      socket.destroy();
    }
  });
});
