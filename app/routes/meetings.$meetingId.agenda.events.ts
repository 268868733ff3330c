import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import { watchAgenda } from "~/models/agenda/live.server";

/**
 * Server-sent events for an agenda: a line for every change, so open pages reload within
 * a second. Only members of the meeting's body may listen.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const stream = await watchAgenda({ actor: user, meetingId: params.meetingId!, signal: request.signal });
    return new Response(stream, {
      headers: {
        "Content-Type": "text/event-stream; charset=utf-8",
        // no-transform keeps the compression middleware from buffering the stream.
        "Cache-Control": "no-cache, no-transform",
        Connection: "keep-alive",
        "X-Accel-Buffering": "no",
      },
    });
  });
}
