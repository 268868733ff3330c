import { deviceCookie, sessionCookie } from "./cookies.server";

/** The session token a request carries in its cookie, if any. */
export async function sessionTokenOf(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function sessionCookieFor(token: string): Promise<string> {
  return sessionCookie().serialize(token);
}

export function clearSessionCookie(): Promise<string> {
  return sessionCookie().serialize("", { maxAge: 0 });
}

export async function deviceTokenOf(request: Request): Promise<string | null> {
  const value = await deviceCookie().parse(request.headers.get("cookie"));
  return typeof value === "string" && value.length > 0 ? value : null;
}

export function deviceCookieFor(token: string): Promise<string> {
  return deviceCookie().serialize(token);
}

const BASE = "http://concord.invalid";

/**
 * Only same-site paths: an open redirect through ?redirectTo= is refused. The value is read
 * the way a browser would read it in a Location header (tabs and line breaks dropped,
 * backslashes as slashes, dot segments resolved) and kept only if it stays on this origin
 * and does not become a scheme-relative `//host` path; what comes back is the normalised,
 * percent-encoded form, which is always a valid header value.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length > 2000) return fallback;
  const trimmed = to.replace(/[\u0000-\u001F\u007F]/g, "");
  if (!trimmed.startsWith("/") || /^[/\\]{2}/.test(trimmed) || /^\/[\\]/.test(trimmed)) return fallback;
  let url: URL;
  try {
    url = new URL(trimmed, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE || url.pathname.startsWith("//") || url.pathname.startsWith("/\\")) return fallback;
  // A path that decodes to a scheme-relative one is refused too (some proxies decode once).
  let decoded = url.pathname;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (/^[/\\]{2}/.test(decoded.replace(/[\u0000-\u0020]/g, ""))) return fallback;
  return url.pathname + url.search + url.hash;
}
