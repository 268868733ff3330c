import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportRequest, exportResponse } from "~/lib/document-export.server";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { annexFile } from "~/models/annex/annex.server";

/**
 * `/meetings/:id/minutes/annex/export.pdf|docx|md`: the restricted annex, marked TLP:RED and made
 * out to its reader (ADR 037); `?version=<id>` one of its versions, `?record=<n>` its adopted
 * record (0 the original, n the nth amendment) with its SHA-256.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const { format, source } = exportRequest(params.file, new URL(request.url));
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    return exportResponse(await annexFile({ actor: user, meetingId: params.meetingId!, locale, format, source }), format);
  });
}
