import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { clearSessionCookie } from "~/lib/session.server";
import { endSession } from "~/models/people/current-user.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  await endSession(request);
  return redirect("/login?signedOut=1", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
