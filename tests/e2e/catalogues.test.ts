import { createClient } from "@libsql/client";
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { catalogues, namespaces } from "~/locales";
import { baseUrl, hydrated, newContext, signIn, useBrowser } from "./helpers";

/**
 * ADR 039: translation catalogues are fingerprinted files, not part of every page. A page names
 * the namespaces it was rendered with (`<link rel=preload data-i18n>`); the browser hydrates
 * once they have arrived; a navigation or a language switch loads what it needs before it
 * shows. Throughout, no translation key may ever appear on screen in place of its text.
 */

const browser = useBrowser();
const KEY = new RegExp(`\\b(?:${namespaces.join("|")}):[A-Za-z][\\w.]*`);

type Tree = Record<string, unknown>;
const text = (lang: "ja" | "ko", ns: string, path: string) => path.split(".").reduce<unknown>((t, k) => (t as Tree)[k], (catalogues[lang] as Tree)[ns]) as string;
/** A template ("{{meeting}}の議題") as a pattern for the text it gives. */
const shaped = (template: string) => new RegExp(template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\\\{\\\{\w+\\\}\\\}/g, ".+"));

/** Records every key that appears in the document (text, labels, titles), from the first byte. */
async function watchForKeys(page: Page) {
  await page.addInitScript((pattern: string) => {
    const key = new RegExp(pattern);
    const seen: string[] = ((window as unknown as { __keysSeen: string[] }).__keysSeen = []);
    const check = (value: string | null | undefined) => {
      const m = value ? key.exec(value) : null;
      if (m) seen.push(m[0]);
    };
    const visit = (node: Node) => {
      if (node.nodeType === Node.TEXT_NODE) return check(node.textContent);
      if (!(node instanceof Element) || node.tagName === "SCRIPT" || node.tagName === "STYLE") return;
      for (const name of ["aria-label", "title", "placeholder", "alt"]) check(node.getAttribute(name));
      node.childNodes.forEach(visit);
    };
    new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === "childList") r.addedNodes.forEach(visit);
        else if (r.type === "characterData") check(r.target.textContent);
        else if (r.target instanceof Element) check(r.target.getAttribute(r.attributeName!));
      }
    }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ["aria-label", "title", "placeholder", "alt"] });
  }, KEY.source);
}

const keysSeen = (page: Page) => page.evaluate(() => (window as unknown as { __keysSeen: string[] }).__keysSeen.splice(0));

async function setLanguage(page: Page, locale: string) {
  const response = await page.request.post("/language", { form: { locale, redirectTo: "/" }, headers: { Origin: baseUrl() } });
  expect(response.ok()).toBe(true);
}

async function upcomingMeeting(): Promise<string> {
  const db = createClient({ url: `file:${inject("databaseFile")}` });
  const row = (await db.execute("select m.id from meetings m join bodies b on b.id = m.body_id where b.slug = 'trilateral-cyber' and m.status = 'scheduled' order by m.starts_at limit 1")).rows[0];
  db.close();
  return String(row.id);
}

describe("translation catalogues", () => {
  it("are fingerprinted files a page preloads, not part of its HTML", async () => {
    const meetingId = await upcomingMeeting();
    const context = await newContext(browser());
    const page = await context.newPage();
    await signIn(page, "jp.delegate@concord.test");
    try {
      await setLanguage(page, "ja");
      const html = await (await page.request.get(`/meetings/${meetingId}`)).text();
      // Before ADR 039 the root loader put every Japanese catalogue into the page as it is.
      for (const ns of namespaces.filter((n) => n !== "errors")) expect(html.includes(JSON.stringify(catalogues.ja[ns])), ns).toBe(false);
      // The error pages' text alone is in the page (ADR 043), in the page's language only: an
      // error page never waits for a file, and the bundle no longer carries it in three languages.
      const errors = /<script type="application\/json" id="concord-errors"[^>]*>([^<]*)<\/script>/.exec(html);
      expect(errors && JSON.parse(errors[1])).toEqual(catalogues.ja.errors);
      for (const lang of ["en", "ko"] as const) expect(html.includes(JSON.stringify(catalogues[lang].errors)), lang).toBe(false);
      const remix = JSON.parse(/window\.__remixContext = (\{[\s\S]*?\});<\/script>/.exec(html)![1]);
      expect(Object.keys(remix.state.loaderData.root)).not.toContain("resources");
      const preloads = [...html.matchAll(/<link rel="preload" as="fetch" crossorigin="anonymous" href="([^"]+)" data-i18n="(\w+)"\/>/g)].map((m) => ({ href: m[1], ns: m[2] }));
      expect(preloads.map((p) => p.ns).sort()).toEqual(["actions", "common", "meetings", "outcomes", "papers", "participants", "search"]);
      for (const { href, ns } of preloads) {
        expect(href).toMatch(new RegExp(`^/locales/ja/${ns}\\.[0-9a-f]{12}\\.json$`));
        const file = await page.request.get(href);
        expect(file.headers()["cache-control"]).toContain("immutable");
        expect(await file.json()).toEqual((catalogues.ja as Tree)[ns]);
      }
      // A name that is not this build's catalogue is no file at all.
      expect((await page.request.get("/locales/ja/meetings.000000000000.json")).status()).toBe(404);
    } finally {
      await setLanguage(page, "en");
      await context.close();
    }
  });

  it("hydrate a page in Japanese, load what a navigation needs before it shows, and switch to Korean without a key on screen", { timeout: 120_000 }, async () => {
    const meetingId = await upcomingMeeting();
    const context = await newContext(browser());
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") consoleErrors.push(m.text());
    });
    const fetched: string[] = [];
    page.on("request", (r) => {
      const m = /\/locales\/(\w+)\/(\w+)\.[0-9a-f]+\.json$/.exec(r.url());
      if (m) fetched.push(`${m[1]}/${m[2]}`);
    });
    await watchForKeys(page);
    await signIn(page, "jp.delegate@concord.test");
    try {
      await setLanguage(page, "ja");

      // A whole page in Japanese, hydrated from the files it names.
      await page.goto(`/meetings/${meetingId}`);
      await hydrated(page);
      expect(await page.getAttribute("html", "lang")).toBe("ja");
      await expect.poll(() => page.getByRole("link", { name: text("ja", "common", "nav.meetings"), exact: true }).count()).toBeGreaterThan(0);
      expect(fetched).toEqual(expect.arrayContaining(["ja/common", "ja/meetings", "ja/participants"]));
      expect(fetched).not.toContain("ja/agenda");
      expect(await keysSeen(page)).toEqual([]);

      // The agenda needs a catalogue this page did not load: fetched before the agenda shows.
      await page.getByRole("link", { name: text("ja", "meetings", "detail.agenda"), exact: true }).click();
      await page.waitForURL(`**/meetings/${meetingId}/agenda`);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toMatch(shaped(text("ja", "agenda", "of")));
      expect(fetched).toContain("ja/agenda");
      expect(await keysSeen(page)).toEqual([]);

      // The switcher: every namespace of the page in Korean before anything changes.
      await page.getByRole("button", { name: "한국어" }).click();
      await page.waitForFunction(() => document.documentElement.lang === "ko");
      await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toMatch(shaped(text("ko", "agenda", "of")));
      expect(await page.getByRole("link", { name: text("ko", "common", "nav.meetings"), exact: true }).count()).toBeGreaterThan(0);
      expect(fetched).toEqual(expect.arrayContaining(["ko/common", "ko/agenda", "ko/meetings"]));
      expect(await keysSeen(page)).toEqual([]);

      // And a Korean page from the server hydrates the same way.
      await page.reload();
      await hydrated(page);
      await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toMatch(shaped(text("ko", "agenda", "of")));
      await page.getByRole("link", { name: text("ko", "common", "nav.meetings"), exact: true }).first().click();
      await page.waitForURL("**/meetings");
      await expect.poll(() => page.getByRole("heading", { level: 1 }).first().textContent()).toContain(text("ko", "meetings", "title"));
      expect(await keysSeen(page)).toEqual([]);
      // A hydration that did not match the server's HTML is reported as an error.
      expect(consoleErrors).toEqual([]);
    } finally {
      await setLanguage(page, "en");
      await context.close();
    }
  });
});
