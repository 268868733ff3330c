import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

/**
 * The agenda's parts that hydrate when needed (ADR 053): the capitals' times and zone picker,
 * the review list and concurrence strip, each item's edit form, and the panels under the agenda
 * (proposing, concurring, locking). A page loaded from the server carries none of their code;
 * each comes when its part is on screen (the panels), pointed at, focused, submitted or about
 * to change. Offline, a form sent in a part whose code cannot come is held, the part says so and
 * keeps what was typed, and the next try online sends it. Items proposed here take no minutes
 * and stay proposed, as in agenda.test.ts.
 */

const browser = useBrowser();

const PART = /\/_shared\/(agenda-panels|agenda-item-editor|agenda-when|agenda-special)-[^/]+\.js$/;

/** Which parts' code the page fetched (requests, whether or not they succeeded). */
function partRequests(page: Page): string[] {
  const seen: string[] = [];
  page.on("request", (request) => {
    const match = PART.exec(new URL(request.url()).pathname);
    if (match) seen.push(match[1]);
  });
  return seen;
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const item = (page: Page, title: string) => page.getByRole("listitem", { name: title, exact: true });
const notLoaded = (page: Page) => page.getByRole("alert").filter({ hasText: "could not be loaded" });
const isFocused = (page: Page, label: string, within: ReturnType<Page["getByRole"]>) => within.getByLabel(label).evaluate((el) => el === document.activeElement);

describe("the agenda's parts hydrated when needed", () => {
  it("come with none of their code; the proposal form, sent offline, is held and said, and goes once online with focus kept", async () => {
    const stamp = Date.now().toString(36);
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    const path = await openNextMeeting(page, "trilateral-cyber", "Agenda");
    // A short window: the panels under the agenda are below the fold.
    await page.setViewportSize({ width: 1280, height: 300 });
    const requests = partRequests(page);
    await visit(page, path);
    await page.waitForLoadState("networkidle");
    expect(requests).toEqual([]);
    // The server's HTML of every part is there all the same.
    await page.getByRole("group", { name: /time in each capital|capital/i }).first().waitFor();
    await page.getByRole("list", { name: "Concurrence" }).waitFor();
    const form = page.getByRole("region", { name: "Propose an item" });
    await expect(form.getByRole("button", { name: "Propose item" }).count()).resolves.toBe(1);
    const title = await heading(page);

    await context.setOffline(true);
    const text = `Held offline ${stamp}`;
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await notLoaded(page).waitFor();
    expect(requests).toContain("agenda-panels");
    // The page is as it was, nothing was sent, and what was typed is there.
    await expect(heading(page)).resolves.toBe(title);
    await expect(form.getByLabel("Title").inputValue()).resolves.toBe(text);
    await expect(item(page, text).count()).resolves.toBe(0);

    await context.setOffline(false);
    await form.getByLabel("Title").focus();
    // Hydrated: the description field now loads its editor (it is on screen).
    await form.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(notLoaded(page).count()).resolves.toBe(0);
    await expect(isFocused(page, "Title", form)).resolves.toBe(true);
    await expect(form.getByLabel("Title").inputValue()).resolves.toBe(text);
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(page, text).waitFor();
    await form.getByRole("status").filter({ hasText: "added" }).waitFor();
    await context.close();
  });

  it("an item's edit form opens without its code, holds a save offline, and saves online", async () => {
    const stamp = Date.now().toString(36);
    const { context, page } = await signedInPage(browser(), "kr.delegate@concord.test");
    const path = await openNextMeeting(page, "trilateral-cyber", "Agenda");
    // Proposed after a client-side navigation: the parts' code comes at once there.
    const text = `Edited offline ${stamp}`;
    const form = page.getByRole("region", { name: "Propose an item" });
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(page, text).waitFor();

    const requests = partRequests(page);
    await visit(page, path);
    await page.waitForLoadState("networkidle");
    expect(requests).toEqual([]);
    const title = await heading(page);
    const row = item(page, text);

    await context.setOffline(true);
    // A <details>: it opens as it does without JavaScript, with the server's form in it.
    await row.getByText("Edit", { exact: true }).click();
    await expect(row.getByLabel("Title").inputValue()).resolves.toBe(text);
    await row.getByLabel("Title").fill(`${text} (new wording)`);
    await row.getByRole("button", { name: "Save item" }).click();
    await notLoaded(row as unknown as Page).waitFor();
    await expect(heading(page)).resolves.toBe(title);
    await expect(row.getByLabel("Title").inputValue()).resolves.toBe(`${text} (new wording)`);

    await context.setOffline(false);
    await row.getByLabel("Title").focus();
    await row.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(isFocused(page, "Title", row)).resolves.toBe(true);
    await row.getByRole("button", { name: "Save item" }).click();
    const saved = item(page, `${text} (new wording)`);
    await saved.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await context.close();
  });

  it("a live change reaches parts still waiting for their code: they hydrate first, and nothing is thrown away", async () => {
    const stamp = Date.now().toString(36);
    const [jp, us] = await Promise.all(["jp.delegate@concord.test", "us.delegate@concord.test"].map((email) => signedInPage(browser(), email)));
    const path = await openNextMeeting(us.page, "trilateral-cyber", "Agenda");
    await jp.page.setViewportSize({ width: 1280, height: 300 });
    const requests = partRequests(jp.page);
    const reactErrors: string[] = [];
    jp.page.on("console", (message) => {
      if (message.type() === "error") reactErrors.push(message.text());
    });
    await visit(jp.page, path);
    await jp.page.getByText("Live: changes by others appear here within a second.").waitFor();
    expect(requests).toEqual([]);

    const text = `Live while waiting ${stamp}`;
    const form = us.page.getByRole("region", { name: "Propose an item" });
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(jp.page, text).waitFor({ timeout: 5_000 });
    // The update made every waiting part ask for its code before it was applied.
    expect(new Set(requests)).toEqual(new Set(["agenda-when", "agenda-special", "agenda-panels", "agenda-item-editor"]));
    expect(reactErrors).toEqual([]);
    await Promise.all([jp, us].map((p) => p.context.close()));
  });

  it("the zone picker works before its code, and the lock dialog opens, closes on Escape and gives focus back", async () => {
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    const path = await openNextMeeting(page, "trilateral-cyber", "Agenda");
    const requests = partRequests(page);
    await visit(page, path);
    await page.waitForLoadState("networkidle");
    expect(requests).toEqual([]);
    const lock = page.getByRole("button", { name: "Lock the agenda…" });
    await lock.click();
    const dialog = page.getByRole("dialog", { name: /^Lock the agenda of/ });
    await dialog.waitFor();
    await expect(page.evaluate(() => document.activeElement?.closest("dialog") !== null)).resolves.toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect(lock.evaluate((el) => el === document.activeElement)).resolves.toBe(true);

    const picker = page.getByRole("form", { name: "Show item times in" });
    const choice = picker.getByRole("combobox");
    const zones = await choice.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    const other = zones.find((z) => z !== zones[0])!;
    await choice.selectOption(other);
    await picker.getByRole("button", { name: "Show" }).click();
    await page.waitForURL((url) => url.searchParams.get("zone") === other);
    await expect(choice.inputValue()).resolves.toBe(other);
    await context.close();
  });
});
