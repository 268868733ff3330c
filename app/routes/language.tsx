import { readForm } from "~/lib/http.server";
import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { languageCookie } from "~/lib/cookies.server";
import { isLocale } from "~/lib/i18n";
import { safeRedirect } from "~/lib/session.server";
import { getUser } from "~/models/people/current-user.server";
import { setLocale } from "~/models/people/accounts.server";

export async function loader() {
  return redirect("/");
}

/** The language switcher: stored on the user when signed in, and in a cookie for before sign-in. */
export async function action({ request }: ActionFunctionArgs) {
  const form = await readForm(request);
  const locale = form.get("locale");
  if (!isLocale(locale)) return json({ ok: false }, { status: 400 });
  const user = await getUser(request);
  if (user) await setLocale({ actor: user, input: { locale } });
  return redirect(safeRedirect(form.get("redirectTo")), {
    headers: { "Set-Cookie": await languageCookie().serialize(locale) },
  });
}
