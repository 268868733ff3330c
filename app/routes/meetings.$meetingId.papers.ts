import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { formObject, runAction } from "~/lib/http.server";
import { paperNoticeQuery, wantsPage } from "~/lib/paper-notice";
import { addPaper } from "~/models/papers/upload.server";
import { withdrawPaper } from "~/models/papers/papers.server";
import { requireUser } from "~/models/people/current-user.server";

/**
 * Papers of a meeting: a multipart POST adds one (or a new version), streamed into storage by
 * the model as it arrives — this route never reads the body itself. A form POST with
 * intent=withdraw withdraws one. Anything else is 415.
 *
 * Scripts (the upload with progress, fetchers) get JSON. A browser without JavaScript posts a
 * plain form and is sent back to the agenda, at the item, with what happened (303).
 */
export async function action(args: ActionFunctionArgs) {
  const result = await runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const type = request.headers.get("Content-Type") ?? "";
    if (type.startsWith("multipart/form-data")) {
      const paper = await addPaper({ actor: user, input: { meetingId: params.meetingId! }, request });
      return json({ ok: true as const, done: "added", symbol: paper.symbol, paperId: paper.paperId });
    }
    if (type.startsWith("application/x-www-form-urlencoded")) {
      const form = await formObject(request);
      if (form.intent === "withdraw") {
        await withdrawPaper({ actor: user, input: form });
        return json({ ok: true as const, done: "withdrawn", symbol: null, paperId: form.paperId });
      }
      return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
    return json({ ok: false as const, fieldErrors: { "": [{ key: "papers:errors.unreadable" }] } }, { status: 415 });
  });
  if (!wantsPage(args.request)) return result;
  const body = (await result.clone().json()) as Parameters<typeof paperNoticeQuery>[0];
  const url = new URL(args.request.url);
  const item = url.searchParams.get("item") ?? "";
  return redirect(`/meetings/${encodeURIComponent(args.params.meetingId!)}/agenda?${paperNoticeQuery(body, item)}#papers-${encodeURIComponent(item)}`, 303);
}
