import { redirect } from "@remix-run/node";
import { deleteSession, findSession, type SessionUser } from "~/models/sessions.server";
import type { Actor } from "./actor";
import { sessionCookie } from "./cookies.server";

export interface CurrentUser extends Actor {
  sessionId: string;
  locale: string | null;
  timeZone: string | null;
}

async function tokenOf(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

// A request's user is looked up once even when several loaders ask.
const perRequest = new WeakMap<Request, Promise<SessionUser | null>>();

export async function getUser(request: Request): Promise<CurrentUser | null> {
  let pending = perRequest.get(request);
  if (!pending) {
    pending = tokenOf(request).then((token) => (token ? findSession(token) : null));
    perRequest.set(request, pending);
  }
  const found = await pending;
  return found ? { ...found.user, sessionId: found.sessionId } : null;
}

/** The signed-in user, or a redirect to the sign-in page that comes back here afterwards. */
export async function requireUser(request: Request): Promise<CurrentUser> {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = url.pathname + url.search;
    const params = new URLSearchParams(back === "/" ? {} : { redirectTo: back });
    const query = params.toString();
    throw redirect(`/login${query ? `?${query}` : ""}`, {
      headers: { "Set-Cookie": await clearSessionCookie() },
    });
  }
  return user;
}

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getUser(request)) throw redirect("/");
}

export function sessionCookieFor(token: string): Promise<string> {
  return sessionCookie().serialize(token);
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function endSession(request: Request): Promise<void> {
  const token = await tokenOf(request);
  if (token) await deleteSession(token);
}

/** Only same-site paths: an open redirect through ?redirectTo= is refused. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}
