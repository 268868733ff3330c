import { redirect } from "@remix-run/node";
import type { Actor } from "~/lib/actor";
import { clearSessionCookie, sessionTokenOf } from "~/lib/session.server";
import { memoized, remember } from "~/lib/request-scope.server";
import { deleteSession, findSession, type SessionUser } from "./sessions.server";

export interface CurrentUser extends Actor {
  sessionId: string;
  /** When the session was looked up, and when it ends at the latest: for connections that stay open (revocation.server.ts). */
  sessionCheckedAt: number;
  sessionExpiresAt: number;
  mustSetUpTwoFactor: boolean;
  locale: string | null;
  timeZone: string | null;
}

export async function getUser(request: Request): Promise<CurrentUser | null> {
  const token = await sessionTokenOf(request);
  if (!token) return null;
  // A request's user is looked up once even when several loaders ask (the request memo, ADR 032).
  const checkedAt = Date.now();
  const found = await memoized(`session:${token}`, async (): Promise<(SessionUser & { checkedAt: number }) | null> => {
    const session = await findSession(token);
    return session ? { ...session, checkedAt } : null;
  });
  // The session's row has the profile's columns: the profile needs no query of its own (ADR 040).
  if (found) remember(`user:${found.user.id}`, found.user);
  return found ? { ...found.user, sessionId: found.sessionId, sessionCheckedAt: found.checkedAt, sessionExpiresAt: found.expiresAt.getTime(), mustSetUpTwoFactor: found.mustSetUpTwoFactor } : null;
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
  // A body of theirs requires two-factor sign-in: nothing else until it is set up.
  if (user.mustSetUpTwoFactor && !SETUP_PATHS.has(new URL(request.url).pathname)) throw redirect("/settings?setup=two-factor#two-factor");
  return user;
}

/** What a person who must first set up a second factor may still reach. */
const SETUP_PATHS = new Set(["/settings", "/logout", "/language"]);

export async function requireAnonymous(request: Request): Promise<void> {
  if (await getUser(request)) throw redirect("/");
}

export async function endSession(request: Request): Promise<void> {
  const token = await sessionTokenOf(request);
  if (token) await deleteSession(token);
}
