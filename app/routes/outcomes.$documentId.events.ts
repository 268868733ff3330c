import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import { watchOutcome } from "~/models/outcomes/events.server";

/** Server-sent events for an outcome document's page; only members of its body may listen. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const stream = await watchOutcome({ actor: user, documentId: params.documentId!, signal: request.signal });
    return new Response(stream, {
      headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
    });
  });
}
