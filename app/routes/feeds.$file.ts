import type { LoaderFunctionArgs } from "@remix-run/node";
import { sha256 } from "~/lib/hash";
import { notFound } from "~/lib/http.server";
import { runResource } from "~/lib/resource.server";
import { getFeedByToken } from "~/models/meetings/calendar.server";

/**
 * `GET /feeds/:token.ics`: a calendar subscription. The token is the only credential
 * (calendar applications send no cookies); unknown or revoked tokens are a plain 404.
 * The feed is the same text until a meeting in it changes (DTSTAMP comes from the record),
 * so clients can revalidate: a strong ETag of the text, Last-Modified of the newest change,
 * and 304 when either still holds.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.file ?? "");
    if (!match) throw notFound();
    const feed = await getFeedByToken(match[1]);
    const etag = `"${sha256(feed.content).slice(0, 32)}"`;
    // HTTP dates have whole seconds; a change within the same second still changes the ETag.
    const lastModified = new Date(Math.floor(feed.lastModified.getTime() / 1000) * 1000);
    const headers = {
      "Content-Type": "text/calendar; charset=utf-8",
      "Cache-Control": "private, max-age=300, must-revalidate",
      ETag: etag,
      "Last-Modified": lastModified.toUTCString(),
      "Referrer-Policy": "no-referrer",
    };
    if (notModified(request, etag, lastModified)) return new Response(null, { status: 304, headers });
    return new Response(feed.content, { headers });
  });
}

/** RFC 9110 §13.2.2: If-None-Match decides when present; otherwise If-Modified-Since. */
function notModified(request: Request, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = request.headers.get("If-None-Match");
  if (ifNoneMatch !== null) {
    return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
  }
  const since = Date.parse(request.headers.get("If-Modified-Since") ?? "");
  return Number.isFinite(since) && lastModified.getTime() <= since;
}
