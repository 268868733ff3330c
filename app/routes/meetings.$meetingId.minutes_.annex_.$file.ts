import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "~/lib/http.server";
import { runResource } from "~/lib/resource.server";
import { resolveLocale } from "~/lib/i18n.server";
import { requireUser } from "~/models/people/current-user.server";
import { annexFile } from "~/models/annex/annex.server";

const types = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  md: "text/markdown; charset=utf-8",
} as const;

/**
 * `/meetings/:id/minutes/annex/export.pdf|docx|md`: the restricted annex, marked TLP:RED and made
 * out to its reader (ADR 037); `?version=<id>` one of its versions, `?record=<n>` its adopted
 * record (0 the original, n the nth amendment) with its SHA-256.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runResource(args, async ({ request, params }) => {
    const format = /^export\.(pdf|docx|md)$/.exec(params.file ?? "")?.[1] as keyof typeof types | undefined;
    if (!format) throw notFound();
    const user = await requireUser(request);
    const locale = await resolveLocale(request, user.locale);
    const url = new URL(request.url);
    const record = url.searchParams.get("record");
    const version = url.searchParams.get("version");
    if (record !== null && !/^\d{1,4}$/.test(record)) throw notFound();
    const source = record !== null ? { kind: "record" as const, amendment: Number(record) } : version ? { kind: "version" as const, id: version } : { kind: "current" as const };
    const file = await annexFile({ actor: user, meetingId: params.meetingId!, locale, format, source });
    return new Response(new Uint8Array(file.content), {
      headers: { "Content-Type": types[format], "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" },
    });
  });
}
