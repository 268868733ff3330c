import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { resolveLocale } from "~/lib/i18n.server";
import { downloadPaper } from "~/models/papers/download.server";
import { requireUser } from "~/models/people/current-user.server";

/**
 * A paper's file (`?version=` an older one) for a reader in its TLP audience; anyone else gets
 * 404. CLEAR and GREEN stream as stored; AMBER and above come stamped for the reader.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const version = new URL(request.url).searchParams.get("version") ?? undefined;
    const file = await downloadPaper({ actor: user, paperId: params.paperId!, fileId: version, locale });
    const headers: Record<string, string> = {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      // no-transform: compression would hold a copy of the file and drop its length.
      "Cache-Control": "private, no-store, no-transform",
      "X-Content-Type-Options": "nosniff",
    };
    if (file.sha256) headers["Digest"] = `sha-256=${Buffer.from(file.sha256, "hex").toString("base64")}`;
    return new Response(file.body instanceof Uint8Array ? new Uint8Array(file.body) : file.body, { headers });
  });
}
