import type { LoaderFunctionArgs } from "@remix-run/node";
import { catalogueAt } from "~/lib/catalogue-files.server";

/**
 * `GET /locales/:locale/:ns.:hash.json`: a translation catalogue (ADR 039). `npm run build`
 * writes these files under public/locales, and server.ts serves them from there; this route
 * answers for the same names when they were not written (`npm run dev`, a catalogue edited
 * since the last build). The name holds the content's hash: cached for a year, never changed.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const file = catalogueAt(new URL(request.url).pathname);
  if (!file) return new Response("Not found.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" } });
  return new Response(file.body, {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=31536000, immutable" },
  });
}
