import { createClient } from "@libsql/client";
import axe from "axe-core";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { ROOT } from "../support/server";
import { baseUrl, hydrated, newContext, signIn, useBrowser } from "./helpers";

/**
 * Every page of the route manifest (the built client manifest, not a hand-picked list) fits a
 * 390 px phone in English, Japanese and Korean, and the main pages pass axe-core with no serious
 * or critical violation. One browser, one context per language, pages visited in turn.
 * SCREENSHOTS=1 keeps a screenshot of each page in tmp/screens/manifest for a person to review.
 */

const browser = useBrowser();

interface ManifestRoute {
  id: string;
  path?: string;
  index?: boolean;
  parentId?: string;
}

/** The app's routes as Remix built them: id, path and parent, from public/build/manifest-*.js. */
function manifestRoutes(): ManifestRoute[] {
  const dir = join(ROOT, "public/build");
  const file = readdirSync(dir).find((f) => f.startsWith("manifest-") && f.endsWith(".js"));
  if (!file) throw new Error("no client manifest: is the app built?");
  const source = readFileSync(join(dir, file), "utf8").replace(/^window\.__remixManifest=/, "").replace(/;\s*$/, "");
  return Object.values(JSON.parse(source).routes as Record<string, ManifestRoute>);
}

/** The full path pattern of a route: its own path under its parents'. */
function fullPath(route: ManifestRoute, byId: Map<string, ManifestRoute>): string {
  const parts: string[] = [];
  for (let r: ManifestRoute | undefined = route; r; r = r.parentId ? byId.get(r.parentId) : undefined) if (r.path) parts.unshift(r.path);
  return `/${parts.join("/")}`;
}

/** Real values for each parameter, from the demo database the server runs on. */
async function parameterValues() {
  const db = createClient({ url: `file:${inject("databaseFile")}` });
  const one = async (sql: string) => String((await db.execute(sql)).rows[0]?.[0] ?? "missing");
  const body = "trilateral-cyber";
  const inBody = `(select id from bodies where slug = '${body}')`;
  const values = {
    slug: body,
    upcoming: await one(`select id from meetings where body_id = ${inBody} and status in ('scheduled','draft') order by starts_at desc limit 1`),
    held: await one(`select id from meetings where body_id = ${inBody} and status = 'held' order by starts_at desc limit 1`),
    itemId: await one(`select id from action_items where body_id = ${inBody} order by ref limit 1`),
    membershipId: await one(`select id from memberships where body_id = ${inBody} and role = 'head' limit 1`),
    versionId: "",
    documentId: await one(`select id from outcome_documents where body_id = ${inBody} limit 1`).catch(() => "missing"),
  };
  values.versionId = await one(`select id from minutes_versions where meeting_id = '${values.held}' order by at desc limit 1`);
  db.close();
  return values;
}

/** Every concrete address to try: each route's pattern filled in (meeting pages for an upcoming and a held meeting). */
async function manifestAddresses(): Promise<string[]> {
  const routes = manifestRoutes();
  const byId = new Map(routes.map((r) => [r.id, r]));
  const v = await parameterValues();
  const addresses = new Set<string>();
  for (const route of routes) {
    if (route.id === "root" || (!route.path && !route.index)) continue;
    const pattern = fullPath(route, byId);
    const meetings = pattern.includes(":meetingId") ? [v.upcoming, v.held] : [""];
    for (const meetingId of meetings) {
      addresses.add(
        pattern
          .replace(":slug", v.slug)
          .replace(":meetingId", meetingId)
          .replace(":itemId", v.itemId)
          .replace(":membershipId", v.membershipId)
          .replace(":versionId", v.versionId)
          .replace(":documentId", v.documentId)
          .replace(":language", "en")
          .replace(":token", "not-a-real-token")
          .replace(":file", "not-a-real-file")
          .replace("*", "no-such-page"),
      );
    }
  }
  return [...addresses].sort();
}

async function setLanguage(page: Page, locale: string) {
  const response = await page.request.post("/language", { form: { locale, redirectTo: "/" }, headers: { Origin: baseUrl() } });
  expect(response.ok()).toBe(true);
}

const shots = process.env.SCREENSHOTS === "1" ? join(ROOT, "tmp/screens/manifest") : null;
if (shots) mkdirSync(shots, { recursive: true });

describe("layout and accessibility", () => {
  it("fits every page of the route manifest into 390 px in English, Japanese and Korean", { timeout: 300_000 }, async () => {
    const addresses = await manifestAddresses();
    expect(addresses.length).toBeGreaterThan(20);
    const overflowing: string[] = [];
    let pages = 0;
    const context = await newContext(browser(), { width: 390 });
    const page = await context.newPage();
    await signIn(page, "secretariat@concord.test");
    // Files, feeds and event streams are not pages: ask once, with the same cookies, what each
    // address answers (an event stream never ends, so only its headers are awaited).
    const htmlPages: string[] = [];
    for (const address of addresses) {
      const type = await page.request
        .fetch(address, { method: "HEAD", maxRedirects: 0, timeout: 10_000 })
        .then((r) => r.headers()["content-type"] ?? "")
        .catch(() => "unanswered");
      if (type.startsWith("text/html")) htmlPages.push(address);
    }
    for (const locale of ["en", "ja", "ko"]) {
      await setLanguage(page, locale);
      for (const address of htmlPages) {
        await page.goto(address);
        // Pages served without scripts (the app's error page for a refused file, a public
        // page) are measured as they load; the others once React has taken over.
        if (await page.locator("script[type=module]").count()) {
          const ok = await page
            .waitForFunction(() => document.documentElement.dataset.hydrated === "true", undefined, { timeout: 10_000 })
            .then(() => true, () => false);
          if (!ok) {
            overflowing.push(`${locale} ${address}: never hydrated`);
            continue;
          }
        }
        pages++;
        const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
        if (scrollWidth > innerWidth) overflowing.push(`${locale} ${address}: ${scrollWidth} px wide`);
        if (shots) await page.screenshot({ path: join(shots, `${address.replace(/[^a-z0-9]+/gi, "_")}-${locale}.png`), fullPage: true });
      }
    }
    // The language is the account's setting: give it back as the other test files expect it.
    await setLanguage(page, "en");
    await context.close();
    expect(pages).toBeGreaterThan(3 * 15);
    expect(overflowing).toEqual([]);
  });

  it("keeps the dashboard's counts table inside its card at desktop widths, in English, Japanese and Korean", { timeout: 120_000 }, async () => {
    // The two panels stood side by side at every width over 36rem, and the six-column table
    // ran out of its card under the chart's card at 1280 px.
    const outside: string[] = [];
    for (const width of [1024, 1280, 1600]) {
      const context = await newContext(browser(), { width });
      const page = await context.newPage();
      await signIn(page, "secretariat@concord.test");
      for (const locale of ["en", "ja", "ko"]) {
        await setLanguage(page, locale);
        await page.goto("/bodies/trilateral-cyber/actions");
        await hydrated(page);
        const [table, card] = await page.evaluate(() => {
          const t = document.querySelector("table.counts")!;
          return [t.getBoundingClientRect().right, t.closest(".card")!.getBoundingClientRect().right];
        });
        if (table > card) outside.push(`${locale} at ${width} px: the table ends ${Math.round(table - card)} px past its card`);
      }
      await setLanguage(page, "en");
      await context.close();
    }
    expect(outside).toEqual([]);
  });

  it("finds no serious or critical axe-core violation on the main pages, signed out and signed in", { timeout: 180_000 }, async () => {
    const v = await parameterValues();
    const main = [
      "/",
      "/meetings",
      "/actions",
      "/search?q=sanctions",
      "/settings",
      `/bodies/${v.slug}`,
      `/bodies/${v.slug}/meetings`,
      `/bodies/${v.slug}/meetings/plan`,
      `/bodies/${v.slug}/actions`,
      `/bodies/${v.slug}/members`,
      `/bodies/${v.slug}/audit`,
      `/meetings/${v.upcoming}`,
      `/meetings/${v.upcoming}/agenda`,
      `/meetings/${v.held}/minutes`,
      `/actions/${v.itemId}`,
      "/no-such-page",
    ];
    const context = await newContext(browser());
    const page = await context.newPage();
    const problems: string[] = [];
    const check = async (address: string) => {
      await page.goto(address);
      await hydrated(page);
      // Evaluated through the DevTools protocol, so a page's Content-Security-Policy cannot refuse it.
      await page.evaluate(axe.source);
      const found = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
        return result.violations
          .filter((x) => x.impact === "serious" || x.impact === "critical")
          .map((x) => `${x.impact} ${x.id}: ${x.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
      });
      for (const f of found) problems.push(`${address} — ${f}`);
    };
    await check("/login");
    await signIn(page, "secretariat@concord.test");
    for (const address of main) await check(address);
    await context.close();
    expect(problems).toEqual([]);
  });
});
