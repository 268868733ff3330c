import type { LoaderFunctionArgs } from "@remix-run/node";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { agendaFile } from "~/models/agenda/export.server";

/** The agenda as PDF, in the reader's language, with its highest marking in every header and footer. */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const file = await agendaFile({ actor: user, meetingId: params.meetingId!, locale, format: "pdf", zone: new URL(request.url).searchParams.get("zone") });
    return new Response(new Uint8Array(file.content), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
