import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, runLoader } from "~/lib/http.server";
import { publicOutcomeFile } from "~/models/outcomes/export.server";

const types = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", md: "text/markdown; charset=utf-8" } as const;

/** An issued TLP:CLEAR document's file at its public address: no sign-in; 404 once revoked. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const match = /^(en|ja|ko)\.(pdf|docx|md)$/.exec(params.file ?? "");
    if (!match) throw notFound();
    const file = await publicOutcomeFile({ token: params.token!, language: match[1], format: match[2] as keyof typeof types });
    return new Response(new Uint8Array(file.content), { headers: { "Content-Type": types[match[2] as keyof typeof types], "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "no-store" } });
  });
}
