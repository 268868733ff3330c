import { randomBytes } from "node:crypto";
import type { HelmetOptions } from "helmet";

/**
 * What server.ts puts in front of every request: how far to trust a proxy, which request
 * bodies are accepted, and the security headers (through helmet) with a per-request CSP nonce.
 */

/**
 * `TRUST_PROXY` as Express understands it: a number is a count of proxy hops ("1": the one
 * reverse proxy in front of us), "true"/"false" as such, anything else a comma-separated list
 * of addresses or subnets ("loopback, 10.0.0.0/8"). The string "1" passed as is would be read
 * as an IP address, and every client would appear as the proxy.
 */
export function trustProxySetting(raw: string | undefined): boolean | number | string[] | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === "true") return true;
  if (value === "false") return false;
  return value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Every write in Concord is a form post. A body of any other type is refused with 415 before
 * it reaches a route; multipart without its boundary with 400. (Bodyless posts — no
 * Content-Length and no Transfer-Encoding — are let through: a route reading a form then
 * finds it empty.)
 */
export function bodyProblem(method: string, contentType: string | undefined, hasBody: boolean): 415 | 400 | null {
  if (!BODY_METHODS.has(method.toUpperCase()) || !hasBody) return null;
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (!FORM_TYPES.includes(type)) return 415;
  if (type === "multipart/form-data" && !/;\s*boundary=("?)[^";]+\1/i.test(contentType ?? "")) return 400;
  return null;
}

const NONCE_BYTES = 16;
const POOL_BYTES = 4096;
let pool = Buffer.alloc(0);
let used = 0;

/**
 * A response's CSP nonce: 16 bytes of the CSPRNG in base64, each used once. The bytes are
 * drawn 4 KB at a time (as Node's randomUUID draws its ids), which spares a page request
 * a `randomBytes` call and its buffer (ADR 051); the nonce is as random as before.
 */
export function cspNonce(): string {
  if (used + NONCE_BYTES > pool.length) {
    pool = randomBytes(POOL_BYTES);
    used = 0;
  }
  const nonce = pool.toString("base64", used, used + NONCE_BYTES);
  used += NONCE_BYTES;
  return nonce;
}

/** helmet's options for one deployment. `nonce` reads the current response's nonce. */
export function helmetOptions({ publicUrl, development, nonce }: { publicUrl: string; development: boolean; nonce: (res: unknown) => string }): HelmetOptions {
  const url = new URL(publicUrl);
  const https = url.protocol === "https:";
  // The collaboration WebSocket lives on this origin; name it for both schemes (a proxy may end TLS).
  const sockets = [`ws://${url.host}`, `wss://${url.host}`];
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        // Only Remix's own scripts, each carrying this response's nonce: no inline script runs otherwise.
        scriptSrc: ["'self'", (_req, res) => `'nonce-${nonce(res)}'`],
        // The editor and a few layout details set style attributes; styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        fontSrc: ["'self'"],
        connectSrc: ["'self'", ...sockets, ...(development ? ["ws://localhost:*"] : [])],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: https ? { maxAge: 63_072_000, includeSubDomains: true } : false,
    crossOriginOpenerPolicy: { policy: "same-origin" },
    crossOriginResourcePolicy: { policy: "same-origin" },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    xFrameOptions: { action: "deny" },
  };
}

/** Features no page of Concord uses are switched off; passkeys work only on this origin. */
export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "camera=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "payment=()",
  "usb=()",
  "publickey-credentials-create=(self)",
  "publickey-credentials-get=(self)",
].join(", ");
