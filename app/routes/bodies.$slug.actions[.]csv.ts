import type { LoaderFunctionArgs } from "@remix-run/node";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { actionsCsv } from "~/models/actions/export.server";
import { getBodyContext } from "~/models/people/bodies.server";

/** The dashboard's current view as a CSV file. */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const locale = await resolveLocale(request, user.locale);
    const csv = await actionsCsv({ actor: user, bodyId: body.id, input: Object.fromEntries(new URL(request.url).searchParams), locale });
    return new Response(csv, {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="${body.slug}-action-items.csv"`,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
