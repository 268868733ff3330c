import { gzipSync } from "node:zlib";

/** The median and a percentile of a list of numbers. */
export function stats(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  return { n: sorted.length, median: at(50), p95: at(95), p99: at(99), min: sorted[0], max: sorted[sorted.length - 1] };
}

export const ms = (v: number) => `${v.toFixed(1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/** Times `n` GETs of a page (after one to warm up), each until its whole body has arrived. */
export async function timePage(url: string, cookie: string, n = 30) {
  await fetch(url, { headers: { cookie } }).then((r) => r.text());
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { cookie } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await response.text();
    times.push(performance.now() - started);
  }
  return stats(times);
}

/** Signs in over HTTP and returns the Cookie header. */
export async function signInCookie(base: string, email: string, password = "concord-demo"): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email, password }),
    redirect: "manual",
  });
  // The session cookie, not the read-your-writes mark a replica set-up adds (ADR 030).
  const cookie = response.headers.getSetCookie().find((c) => !c.startsWith("concord-fresh="));
  if (!cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return cookie.split(";")[0];
}

/** Every JavaScript module a page loads at first paint, gzipped as the server sends it. */
export async function pageJavaScript(base: string, path: string, cookie: string) {
  const html = await (await fetch(`${base}${path}`, { headers: { cookie } })).text();
  const urls = new Set<string>();
  for (const m of html.matchAll(/<link rel="modulepreload" href="([^"]+)"/g)) urls.add(m[1]);
  for (const m of html.matchAll(/import(?:\s+\*\s+as\s+\w+\s+from)?\s*"(\/build\/[^"]+\.js)"/g)) urls.add(m[1]);
  let gzipped = 0;
  let raw = 0;
  for (const url of urls) {
    const body = new Uint8Array(await (await fetch(`${base}${url}`)).arrayBuffer());
    raw += body.length;
    gzipped += gzipSync(body).length;
  }
  return { files: urls.size, raw, gzipped };
}
