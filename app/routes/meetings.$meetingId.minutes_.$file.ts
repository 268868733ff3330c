import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportRequest, exportResponse } from "~/lib/document-export.server";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { minutesFile } from "~/models/minutes/export.server";

/**
 * `/meetings/:id/minutes/export.pdf|docx|md`: the current text, a saved version (?version=id)
 * or an adopted record (?record=0 for the original, n for amendment n).
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const { format, source } = exportRequest(params.file, new URL(request.url));
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    return exportResponse(await minutesFile({ actor: user, meetingId: params.meetingId!, locale, source, format }), format);
  });
}
