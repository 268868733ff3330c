import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openNextMeeting, signedInPage, submit, useBrowser, visit } from "./helpers";

/**
 * The home across bodies, concurring from it, an agenda no head can concur with yet, moving an
 * item by keyboard, and the audit trail in Korean. Works on the second demo body (the
 * Critical and Emerging Technologies Dialogue), which the other files leave alone.
 */

const browser = useBrowser();

const cetAgenda = (page: Page) => openNextMeeting(page, "cet-dialogue", "Agenda");

describe("what waits for a person", () => {
  it("shows a head of two bodies both bodies' next meetings and the concurrence waiting, which they give from there", async () => {
    const { context, page } = await signedInPage(browser(), "us.head@concord.test");
    await visit(page, "/");
    // The shell keeps its two destinations and the search box outside any body too.
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Meetings" }).getAttribute("href")).resolves.toBe("/meetings");
    await expect(nav.getByRole("link", { name: "Action items" }).getAttribute("href")).resolves.toBe("/actions");
    await expect(page.locator('input[type="search"]').count()).resolves.toBeGreaterThan(0);
    const next = page.getByRole("region", { name: "Next meetings" });
    await next.getByRole("link", { name: "Trilateral Cyber Consultative Body" }).waitFor();
    await next.getByRole("link", { name: "Critical and Emerging Technologies Dialogue" }).waitFor();
    for (const city of ["Washington", "Tokyo", "Seoul"]) await expect(next.getByText(city, { exact: true }).count()).resolves.toBeGreaterThan(0);

    const waiting = page.getByRole("region", { name: "Waiting for you" });
    const entry = waiting.getByRole("listitem").filter({ hasText: "The agenda of the 2nd meeting awaits your concurrence" });
    await entry.waitFor();
    await submit(page, () => entry.getByRole("button", { name: "Concur for United States" }).click());
    await entry.waitFor({ state: "detached" });

    // The agenda records it: the US concurred with the agenda as it stands.
    const path = await cetAgenda(page);
    const strip = page.getByRole("list", { name: "Concurrence" });
    await expect(strip.getByText("concurred", { exact: true }).count()).resolves.toBe(1);
    expect(path).toMatch(/\/agenda$/);

    // The cross-body lists filter by body.
    await visit(page, "/meetings?body=cet-dialogue");
    await page.getByRole("link", { name: "2nd meeting" }).first().waitFor();
    await expect(page.locator("main .card-list").getByText("Trilateral Cyber Consultative Body").count()).resolves.toBe(0);
    await context.close();
  });

  it("lets a delegate propose and move an item to the top by keyboard, and then no head can concur until it is settled and fits", async () => {
    const { context, page } = await signedInPage(browser(), "us.delegate@concord.test");
    const path = await cetAgenda(page);
    const form = page.getByRole("region", { name: "Propose an item" });
    const title = `Long keyboard item ${Date.now().toString(36)}`;
    // The form opens from its button, from the keyboard too (ADR 058), with focus in its first field.
    await form.getByRole("button", { name: "Propose an item" }).focus();
    await page.keyboard.press("Enter");
    await form.getByLabel("Title").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("title");
    await page.keyboard.type(title);
    await form.getByLabel("Minutes allotted").focus();
    await page.keyboard.press("ControlOrMeta+a");
    await page.keyboard.type("600");
    await form.getByRole("button", { name: "Propose item" }).focus();
    await page.keyboard.press("Enter");
    const row = page.getByRole("listitem", { name: title, exact: true });
    await row.waitFor();

    await row.getByRole("button", { name: `Move “${title}” to the top` }).focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(async () => page.locator(".agenda-item").first().getAttribute("aria-label"), { timeout: 10_000 })
      .toBe(title);
    // Focus stays with the item, on the way it can still go.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Move “${title}” down`);
    await context.close();

    const head = await signedInPage(browser(), "kr.head@concord.test");
    await visit(head.page, path);
    const why = head.page.locator("#concur-not-ready");
    await why.getByText(/runs \d+ minutes over the meeting/).waitFor();
    await why.getByText(/still proposed/).waitFor();
    await expect(head.page.getByRole("button", { name: /^Concur with this agenda/ }).count()).resolves.toBe(0);
    // The home says what waits, and that it cannot be given yet.
    await visit(head.page, "/");
    await head.page.getByRole("region", { name: "Waiting for you" }).getByText("not ready to lock yet", { exact: false }).first().waitFor();
    await head.context.close();
  });

  it("writes the audit trail in Korean sentences, without raw action codes outside the details", async () => {
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    await page.request.post("/language", { form: { locale: "ko", redirectTo: "/" }, headers: { Origin: new URL(page.url()).origin } });
    try {
      await visit(page, "/bodies/cet-dialogue/audit");
      await page.getByRole("heading", { name: "감사 기록" }).waitFor();
      const sentences = await page.locator(".audit-event__sentence").allInnerTexts();
      expect(sentences.length).toBeGreaterThan(3);
      expect(sentences.some((s) => s.includes("의제에 동의했습니다"))).toBe(true);
      const visible = await page.locator("main").evaluate((main) => {
        const clone = main.cloneNode(true) as HTMLElement;
        clone.querySelectorAll("details").forEach((d) => d.remove());
        clone.querySelectorAll("select, option").forEach((d) => d.remove());
        return clone.innerText;
      });
      expect(visible).not.toMatch(/\b(meeting|agenda|minutes|action|membership|user|invitation|feed|outbox|standing_item|body)\.[a-z_.]+/);
      expect(visible).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
      expect(visible).not.toMatch(/hostDelegationId|leadDelegationId|[0-9a-f]{16,}/);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    } finally {
      await page.request.post("/language", { form: { locale: "en", redirectTo: "/" }, headers: { Origin: new URL(page.url()).origin } });
      await context.close();
    }
  });
});

describe("focus after a submit", () => {
  it("moves to the result of a search and to the message of a saved form, never to the body", async () => {
    const { context, page } = await signedInPage(browser(), "kr.delegate@concord.test");
    await visit(page, "/settings");
    const box = page.getByRole("searchbox", { name: "Search" }).first();
    await box.fill("advisory");
    await box.press("Enter");
    await page.waitForURL(/\/search\?q=advisory/);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("role") ?? document.activeElement?.tagName)).toBe("status");
    await expect.poll(() => page.evaluate(() => document.activeElement !== document.body)).toBe(true);
    await context.close();
  });
});
