import type { LoaderFunctionArgs } from "@remix-run/node";
import { runLoader } from "~/lib/http.server";
import { resolveLocale } from "~/lib/i18n.server";
import { meetingBook } from "~/models/papers/book.server";
import { requireUser } from "~/models/people/current-user.server";

/** The meeting book: the agenda and the papers this reader may see, as one stamped PDF. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const book = await meetingBook({ actor: user, meetingId: params.meetingId!, locale });
    return new Response(new Uint8Array(book.content), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="${book.filename}"`,
        "Cache-Control": "private, no-store, no-transform",
      },
    });
  });
}
