import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { resolveLocale } from "~/lib/i18n.server";
import { participantsPdf } from "~/models/participants/document.server";
import { requireUser } from "~/models/people/current-user.server";

/** The published list of participants (an INF document) as a PDF; 404 until it is published. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const file = await participantsPdf({ actor: user, meetingId: params.meetingId!, locale });
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store, no-transform",
      },
    });
  });
}
