import { readdirSync, readFileSync } from "node:fs";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD } from "./helpers";
import { removeServerFiles, ROOT, startServer, type RunningServer } from "../support/server";

/**
 * The attack surface over HTTP, against real servers: the shared one (plain http, as
 * `npm start`) and one of our own configured like a deployment behind a TLS proxy
 * (PUBLIC_URL https, TRUST_PROXY=1), whose database the guessing and fuzzing may disturb.
 */

let proxied: RunningServer;
let db: Client;
const PUBLIC = "https://concord.example";

beforeAll(async () => {
  proxied = await startServer({ env: { PUBLIC_URL: PUBLIC, TRUST_PROXY: "1" } });
  db = createClient({ url: `file:${proxied.databaseFile}` });
});

afterAll(async () => {
  db?.close();
  if (proxied) {
    await proxied.stop();
    removeServerFiles(proxied);
  }
});

/** A form post to the proxied server, as if from a browser at `address` behind the proxy. */
function postForm(path: string, form: Record<string, string>, { address = "198.51.100.7", cookie }: { address?: string; cookie?: string } = {}) {
  return fetch(`${proxied.url}${path}`, {
    method: "POST",
    redirect: "manual",
    body: new URLSearchParams(form),
    headers: { origin: PUBLIC, "x-forwarded-for": address, "x-forwarded-proto": "https", ...(cookie ? { cookie } : {}) },
  });
}

async function signInProxied(email: string, address = "198.51.100.50") {
  const response = await postForm("/login", { email, password: DEMO_PASSWORD }, { address });
  expect(response.status).toBe(302);
  return response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

describe("headers", () => {
  it("carry a strict CSP whose nonce is on every script Remix renders, and no unsafe-inline script", async () => {
    const response = await fetch(`${baseUrl()}/login`);
    const csp = response.headers.get("content-security-policy")!;
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    const scriptSrc = csp.split(";").find((d) => d.trim().startsWith("script-src"))!;
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/connect-src [^;]*ws:\/\/localhost:\d+/);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce for every response.
    const again = (await fetch(`${baseUrl()}/login`)).headers.get("content-security-policy")!;
    expect(again).not.toBe(csp);
  });

  it("include Permissions-Policy, COOP, CORP; no HSTS on plain http", async () => {
    const response = await fetch(`${baseUrl()}/login`);
    expect(response.headers.get("permissions-policy")).toContain("camera=()");
    expect(response.headers.get("cross-origin-opener-policy")).toBe("same-origin");
    expect(response.headers.get("cross-origin-resource-policy")).toBe("same-origin");
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    expect(response.headers.get("strict-transport-security")).toBeNull();
  });

  it("include HSTS and the __Host- cookie prefix when PUBLIC_URL is https", async () => {
    const response = await fetch(`${proxied.url}/login`, { headers: { "x-forwarded-proto": "https" } });
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+; includeSubDomains/);
    const cookie = await signInProxied("us.official@concord.test");
    expect(cookie).toMatch(/__Host-concord_session=/);
    const setCookie = (await postForm("/login", { email: "us.official@concord.test", password: DEMO_PASSWORD }, { address: "198.51.100.51" })).headers.getSetCookie();
    for (const c of setCookie) {
      expect(c).toMatch(/^__Host-/);
      expect(c).toMatch(/; Secure/i);
      expect(c).toMatch(/; Path=\//i);
      expect(c).not.toMatch(/Domain=/i);
    }
  });

  it("mark signed-in pages and their data private, no-store; calendar feeds keep their own caching", async () => {
    const cookie = await signInProxied("us.delegate@concord.test");
    const page = await fetch(`${proxied.url}/settings`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("private, no-store");
    const data = await fetch(`${proxied.url}/settings?_data=routes%2F_app.settings`, { headers: { cookie } });
    expect(data.status).toBe(200);
    expect(data.headers.get("cache-control")).toBe("private, no-store");
    // A calendar feed, authenticated by its token, keeps its own validators and caching.
    const created = await postForm("/settings?_data=routes%2F_app.settings", { intent: "create-feed" }, { cookie, address: "198.51.100.50" });
    const { feedUrl } = (await created.json()) as { feedUrl: string };
    const feed = await fetch(`${proxied.url}${new URL(feedUrl).pathname}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get("cache-control")).toMatch(/^private, max-age=\d+/);
  });
});

describe("sign-in guessing", () => {
  it("counts 60 parallel guesses from one address as 60: only five are evaluated and the right password last does not get in", async () => {
    const address = "203.0.113.60";
    const tries = Array.from({ length: 60 }, (_, i) => postForm("/login", { email: "kr.official@concord.test", password: i === 59 ? DEMO_PASSWORD : `wrong-${i}` }, { address }));
    const responses = await Promise.all(tries);
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(55);
    expect(statuses[59]).toBe(429);
    expect(responses[59].headers.getSetCookie().some((c) => c.includes("concord_session=") && !c.includes("Max-Age=0"))).toBe(false);
    // The owner, elsewhere, is not locked out.
    await signInProxied("kr.official@concord.test", "203.0.113.61");
  });

  it("reads TRUST_PROXY=1 as one hop: one address's failures do not lock out the others behind the same proxy", async () => {
    for (let i = 0; i < 20; i++) await postForm("/login", { email: `ghost-${i}@example.org`, password: "x" }, { address: "203.0.113.20" });
    expect((await postForm("/login", { email: "jp.official@concord.test", password: DEMO_PASSWORD }, { address: "203.0.113.20" })).status).toBe(429);
    expect((await postForm("/login", { email: "jp.official@concord.test", password: DEMO_PASSWORD }, { address: "203.0.113.21" })).status).toBe(302);
  });
});

describe("malformed requests", () => {
  it("answer a JSON or text body with 415, a broken multipart body with 400, Origin: null with 403", async () => {
    const post = (headers: Record<string, string>, body: string) => fetch(`${baseUrl()}/login`, { method: "POST", redirect: "manual", headers: { origin: baseUrl(), ...headers }, body });
    expect((await post({ "content-type": "application/json" }, '{"email":"a@b.c"}')).status).toBe(415);
    expect((await post({ "content-type": "text/plain" }, "email=a")).status).toBe(415);
    expect((await post({ "content-type": "multipart/form-data" }, "--x\r\n")).status).toBe(400);
    expect((await post({ "content-type": "multipart/form-data; boundary=zzz" }, "--zzz\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nnot closed")).status).toBe(400);
    const nullOrigin = await fetch(`${baseUrl()}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: "null", referer: `${baseUrl()}/login`, "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40b.c&password=x",
    });
    expect(nullOrigin.status).toBe(403);
  });
});

// ---------- the fuzz of every form ----------

/** Every route file with an action, as a URL path with real ids from the demo. */
async function actionPaths(): Promise<Array<{ path: string; intents: string[] }>> {
  const one = async (sql: string) => String((await db.execute(sql)).rows[0]?.[0] ?? "none");
  const values: Record<string, string> = {
    slug: await one("select slug from bodies limit 1"),
    meetingId: await one("select id from meetings order by starts_at desc limit 1"),
    itemId: await one("select id from action_items limit 1"),
    membershipId: await one("select m.id from memberships m join users u on u.id = m.user_id where u.email = 'us.official@concord.test'"),
    versionId: await one("select id from minutes_versions limit 1"),
    token: "not-a-token",
    file: "export.md",
  };
  const files = readdirSync(`${ROOT}app/routes`).filter((f) => /export (async )?function action/.test(readFileSync(`${ROOT}app/routes/${f}`, "utf8")));
  return files
    .filter((f) => f !== "logout.tsx")
    .map((f) => {
      const segments = f
        .replace(/\.tsx?$/, "")
        .replace(/\[\.\]/g, "\u0000")
        .split(".")
        .filter((s) => !s.startsWith("_") || s === "_index")
        .map((s) => (s === "_index" ? "" : s.replace(/_$/, "").replace(/\u0000/g, ".")))
        .map((s) => (s.startsWith("$") ? values[s.slice(1)] : s));
      return { path: `/${segments.filter(Boolean).join("/")}`, intents: intentsOf(f) };
    });
}

const HOSTILE = ["", "x".repeat(25_000), "a\u0000b", "line\r\nbreak\u001b[31m", "<script>alert(1)</script>", "-1", "99999999999999999999", "2026-02-30", "=cmd|' /C calc'!A0", "../../etc/passwd", "[]", "{}"];
const FIELDS = ["title", "name", "email", "role", "delegationId", "date", "time", "endTime", "timeZone", "reason", "text", "note", "status", "dueDate", "ownerDelegationId", "description", "venue", "link", "ordinal", "itemId", "slotId", "version", "expectedVersion", "position", "code", "password", "currentPassword", "newPassword", "confirmPassword", "locale", "id", "response", "required", "meetingId", "bodyId"];
/** The intents a route file handles (`case "x"`, `intent === "x"`), plus none and a made-up one. */
function intentsOf(file: string): string[] {
  const source = readFileSync(`${ROOT}app/routes/${file}`, "utf8");
  const named = [...source.matchAll(/case "([a-z-]+)"|intent === "([a-z-]+)"/g)].map((m) => m[1] ?? m[2]);
  // Signing oneself out or turning off one's own factors would end the fuzzing session.
  const skip = new Set(["sign-out-others", "totp-disable", "passkey-remove"]);
  return ["", "nonsense", ...new Set(named.filter((i) => !skip.has(i)))];
}

/** Counts once the effects of earlier requests (stored documents, mail) have settled. */
async function settledCounts(): Promise<Record<string, number>> {
  let previous = await counts();
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const next = await counts();
    if (JSON.stringify(next) === JSON.stringify(previous)) return next;
    previous = next;
  }
  return previous;
}

/** Row counts of every table but the ones a refused request may legitimately touch (throttling, sessions). */
async function counts(): Promise<Record<string, number>> {
  const tables = (await db.execute("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%'")).rows.map((r) => String(r[0]));
  const out: Record<string, number> = {};
  for (const t of tables) {
    if (["sign_in_failures", "sessions", "known_devices"].includes(t)) continue;
    out[t] = Number((await db.execute(`select count(*) from "${t}"`)).rows[0][0]);
  }
  return out;
}

describe("the fuzz of every form", () => {
  it("never answers 5xx, and a refused post writes nothing", { timeout: 600_000 }, async () => {
    const cookie = await signInProxied("secretariat@concord.test", "198.51.100.90");
    const paths = await actionPaths();
    expect(paths.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let requests = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed / 2 ** 31);
    for (const { path, intents } of paths) {
      // A page's loader may create what it shows on first view (the minutes record); that is
      // not the post's doing, so the page is viewed once first.
      await (await fetch(`${proxied.url}${path}`, { headers: { cookie, "x-forwarded-for": "198.51.100.90" } })).arrayBuffer();
      for (const intent of intents) {
        const form: Record<string, string> = intent ? { intent } : {};
        for (const field of FIELDS) if (random() < 0.5) form[field] = HOSTILE[Math.floor(random() * HOSTILE.length)];
        const before = await settledCounts();
        const response = await postForm(path, form, { cookie, address: "198.51.100.90" });
        await response.arrayBuffer();
        requests += 1;
        if (response.status >= 500) failures.push(`${response.status} ${path} ${JSON.stringify(form).slice(0, 200)}`);
        if (response.status >= 400) {
          const after = await counts();
          for (const [table, n] of Object.entries(after)) if (n !== before[table]) failures.push(`${response.status} ${path} intent=${intent} changed ${table}: ${before[table]} → ${n}`);
        }
      }
      // Bodies that are not forms at all.
      for (const [type, body] of [["application/json", '{"intent":"cancel"}'], ["multipart/form-data; boundary=q", "--q\r\nbroken"]] as const) {
        const response = await fetch(`${proxied.url}${path}`, { method: "POST", redirect: "manual", headers: { origin: PUBLIC, cookie, "content-type": type }, body });
        requests += 1;
        if (response.status >= 500) failures.push(`${response.status} ${path} ${type}`);
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(100);
  });
});
