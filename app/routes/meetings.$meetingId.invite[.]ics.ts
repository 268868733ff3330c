import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/lib/i18n.server";
import { runResource } from "~/lib/resource.server";
import { requireUser } from "~/models/people/current-user.server";
import { getInviteFile } from "~/models/meetings/calendar.server";

/** The meeting's invitation as a calendar file, for a signed-in member of its body. */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const file = await getInviteFile({ actor: user, meetingId: params.meetingId!, locale });
    return calendarResponse(file.content, file.filename);
  });
}

function calendarResponse(content: string, filename: string) {
  return new Response(content, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8; method=" + (/METHOD:(\w+)/.exec(content)?.[1] ?? "PUBLISH"),
      "Content-Disposition": `attachment; filename="${filename}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
