/**
 * Cross-site request forgery guard for form posts and WebSocket upgrades: the browser's
 * Origin (or, failing that, Referer) must be this site or one named in ALLOWED_ORIGINS.
 * Requests with neither header come from non-browser clients, which carry no cookies
 * of a victim, and are let through for mutations only when they present no cookie.
 */
export interface OriginCheckInput {
  method: string;
  host: string | undefined;
  protocol: string;
  origin: string | undefined;
  referer: string | undefined;
  hasCookie: boolean;
  allowed: string[];
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originOf(value: string | undefined): string | null {
  if (!value || value === "null") return null;
  try {
    return new URL(value).origin;
  } catch {
    return null;
  }
}

export function isSameOriginRequest(input: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(input.method.toUpperCase())) return true;
  return hasAllowedOrigin(input);
}

/** For WebSocket upgrades (a GET) and mutations alike: is the page that asked one of ours? */
export function hasAllowedOrigin(input: Omit<OriginCheckInput, "method">): boolean {
  // An opaque origin (sandboxed frame, data: URL, some redirects) is never one of ours.
  if (input.origin === "null") return false;
  const claimed = originOf(input.origin) ?? originOf(input.referer);
  if (!claimed) return input.origin === undefined && input.referer === undefined && !input.hasCookie;
  const own = input.host ? [`${input.protocol}://${input.host}`] : [];
  return [...own, ...input.allowed].some((o) => originOf(o) === claimed);
}

export function allowedOrigins(raw: string | undefined, publicUrl: string | undefined): string[] {
  const list = (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (publicUrl) list.push(publicUrl);
  return list;
}
