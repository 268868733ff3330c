import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/lib/i18n.server";
import { runResource } from "~/lib/resource.server";
import { requireUser } from "~/models/people/current-user.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { getYearFile } from "~/models/meetings/calendar.server";

/** The secretariat's one-off download of every announced meeting of the body in a year. */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const year = Number(new URL(request.url).searchParams.get("year") ?? new Date().getUTCFullYear());
    const locale = await resolveLocale(request, user.locale);
    const file = await getYearFile({ actor: user, bodyId: body.id, year, locale });
    return new Response(file.content, {
      headers: {
        "Content-Type": "text/calendar; charset=utf-8",
        "Content-Disposition": `attachment; filename="${file.filename}"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
