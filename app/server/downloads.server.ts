import type { IncomingMessage, ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { NotFoundError } from "~/lib/errors";
import { resolveLocale } from "~/lib/i18n.server";
import { downloadHeaders, downloadPaper } from "~/models/papers/download.server";
import { getUser } from "~/models/people/current-user.server";

const PATH = /^\/papers\/([\w-]{1,64})\/download$/;

/**
 * Paper downloads with real backpressure: the stored chunks are read only as fast as the
 * reader's connection takes them (Node's pipeline waits for the socket to drain), so the
 * process's memory does not grow with the file. Answers false for any other request.
 */
export async function servePaperDownload(req: IncomingMessage, res: ServerResponse, origin: string): Promise<boolean> {
  if (req.method !== "GET") return false;
  const url = new URL(req.url ?? "/", origin);
  const match = PATH.exec(url.pathname);
  if (!match) return false;
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
  const request = new Request(url, { headers });
  const user = await getUser(request);
  if (!user) {
    res.writeHead(302, { Location: `/login?redirectTo=${encodeURIComponent(url.pathname + url.search)}` }).end();
    return true;
  }
  try {
    const locale = await resolveLocale(request, user.locale);
    const file = await downloadPaper({ actor: user, paperId: match[1], fileId: url.searchParams.get("version") ?? undefined, locale });
    res.writeHead(200, downloadHeaders(file));
    const body = file.body instanceof Uint8Array ? Readable.from([file.body]) : Readable.fromWeb(file.body as never);
    await pipeline(body, res).catch(() => undefined); // the reader went away: nothing to answer
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("Not found");
  }
  return true;
}
