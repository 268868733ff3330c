import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http.server";
import { runResource } from "~/lib/resource.server";
import { getFeedByToken } from "~/models/meetings/calendar.server";

/**
 * `GET /feeds/:token.ics`: a calendar subscription. The token is the only credential
 * (calendar applications send no cookies); unknown or revoked tokens are a plain 404.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ params }) => {
    const match = /^([A-Za-z0-9_-]{20,100})\.ics$/.exec(params.file ?? "");
    if (!match) throw notFound();
    const content = await getFeedByToken(match[1]);
    return new Response(content, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Cache-Control": "private, max-age=300",
        "Referrer-Policy": "no-referrer",
      },
    });
  });
}
