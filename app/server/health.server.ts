import type { IncomingMessage, ServerResponse } from "node:http";
import { healthAnswer } from "~/models/core/health.server";

/**
 * GET /healthz, answered by server.ts before the request reaches Remix (ADR 051): a proxy asks
 * every few seconds, and Remix's route matching, request and response objects cost ten times the
 * check itself. The answer is the health route's (`healthAnswer`), byte for byte.
 */
export async function serveHealth(_req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { status, headers, body } = await healthAnswer();
  const text = JSON.stringify(body);
  res.writeHead(status, { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
