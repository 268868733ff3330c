import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { resolveLocale } from "~/lib/i18n.server";
import { downloadHeaders, downloadPaper } from "~/models/papers/download.server";
import { requireUser } from "~/models/people/current-user.server";

/**
 * A paper's file (`?version=` an older one) for a reader in its TLP audience; anyone else gets
 * 404. CLEAR and GREEN stream as stored; AMBER and above come stamped for the reader. The
 * running server answers this path in app/server/downloads.server.ts first (Remix's adapter
 * does not wait for a slow client, so a 50 MB stream would pile up in memory); this route is
 * the same model call for other adapters and for tests.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const version = new URL(request.url).searchParams.get("version") ?? undefined;
    const file = await downloadPaper({ actor: user, paperId: params.paperId!, fileId: version, locale });
    return new Response(file.body instanceof Uint8Array ? new Uint8Array(file.body) : file.body, { headers: downloadHeaders(file) });
  });
}
