import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, runLoader } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import { outcomeFile } from "~/models/outcomes/export.server";

const types = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", md: "text/markdown; charset=utf-8" } as const;

/** `/outcomes/:id/export.pdf|docx|md?lang=en|ja|ko`: one language version, for a member of the body. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const format = /^export\.(pdf|docx|md)$/.exec(params.file ?? "")?.[1] as keyof typeof types | undefined;
    if (!format) throw notFound();
    const user = await requireUser(request);
    const language = new URL(request.url).searchParams.get("lang") ?? "en";
    const file = await outcomeFile({ actor: user, documentId: params.documentId!, language, format });
    return new Response(new Uint8Array(file.content), { headers: { "Content-Type": types[format], "Content-Disposition": `attachment; filename="${file.filename}"`, "Cache-Control": "private, no-store" } });
  });
}
