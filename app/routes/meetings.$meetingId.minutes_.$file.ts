import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http.server";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { minutesFile, type MinutesSource } from "~/models/minutes/export.server";

const types = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
} as const;

/**
 * `/meetings/:id/minutes/export.pdf|docx|md`: the current text, a saved version (?version=id)
 * or an adopted record (?record=0 for the original, n for amendment n).
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const format = /^export\.(pdf|docx|md)$/.exec(params.file ?? "")?.[1] as keyof typeof types | undefined;
    if (!format) throw notFound();
    const user = await requireUser(request);
    const query = new URL(request.url).searchParams;
    const source: MinutesSource = query.get("record") !== null ? { kind: "record", amendment: Number(query.get("record")) || 0 } : query.get("version") ? { kind: "version", id: query.get("version")! } : { kind: "current" };
    const locale = await resolveLocale(request, user.locale);
    const file = await minutesFile({ actor: user, meetingId: params.meetingId!, locale, source, format });
    return new Response(new Uint8Array(file.content), {
      headers: { "Content-Type": types[format], "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" },
    });
  });
}
