import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD, openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

/**
 * The agenda's parts that hydrate when needed (ADR 053): the capitals' times and zone picker,
 * the review list and concurrence strip, each item's edit form, and the panels under the agenda
 * (proposing, concurring, locking). The page hydrates without their code, which comes when a
 * part is needed: on screen (the panels), pointed at, focused, clicked, or reached by an update
 * of the router (Remix's route discovery makes one right after the page hydrates, so in
 * practice it comes a moment after). The parts' code is held back here (the request aborted
 * as offline, or kept waiting) to see the page without it. A form sent in a part whose code
 * cannot come is held, the part says so and keeps what was typed, and the next try sends it.
 * Items proposed here take no minutes and stay proposed, as in agenda.test.ts.
 */

const browser = useBrowser();

const PART = /\/_shared\/(agenda-panels|agenda-item-editor|agenda-when|agenda-special)-[^/]+\.js$/;

const isPart = (url: URL) => PART.test(url.pathname);

/** The parts' code cannot be fetched (as offline) until the returned function is called. */
async function partsOffline(page: Page): Promise<() => Promise<void>> {
  await page.route(isPart, (route) => route.abort("internetdisconnected"));
  return () => page.unroute(isPart);
}

/** The parts' code is on its way (the requests wait) until the returned function is called. */
async function partsSlow(page: Page): Promise<{ requested: string[]; release: () => Promise<void> }> {
  const waiting: Array<() => Promise<void>> = [];
  const requested: string[] = [];
  let released = false;
  await page.route(isPart, async (route) => {
    requested.push(PART.exec(new URL(route.request().url()).pathname)![1]);
    if (released) return route.continue();
    await new Promise<void>((resolve) => waiting.push(async () => resolve(await route.continue())));
  });
  return {
    requested,
    release: async () => {
      released = true;
      await Promise.all(waiting.splice(0).map((go) => go()));
    },
  };
}

/** What the page loads before it hydrates: the parts' code is not among it. */
const preloaded = (page: Page) => page.locator("link[rel=modulepreload]").evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();
const item = (page: Page, title: string) => page.getByRole("listitem", { name: title, exact: true });
const notLoaded = (scope: Page | Locator) => scope.getByRole("alert").filter({ hasText: "could not be loaded" });
const isFocused = (within: Locator, label: string) => within.getByLabel(label).evaluate((el) => el === document.activeElement);

/**
 * The upcoming agenda, open for proposals: agenda.test.ts locks it at its end, and the files
 * share the server, so the secretariat reopens it first if it is locked.
 */
async function openAgenda(): Promise<string> {
  const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
  const path = await openNextMeeting(page, "trilateral-cyber", "Agenda");
  await page.getByRole("button", { name: /^(Reopen|Lock) the agenda…$/ }).waitFor();
  const reopen = page.getByRole("button", { name: "Reopen the agenda…" });
  if (await reopen.count()) {
    await reopen.click();
    const dialog = page.getByRole("dialog", { name: /^Reopen the agenda of/ });
    await dialog.getByLabel("Why it is being reopened").fill("Reopened for the tests of the agenda's parts.");
    await dialog.getByRole("button", { name: "Reopen the agenda", exact: true }).click();
    await page.getByRole("button", { name: "Lock the agenda…" }).waitFor();
  }
  await context.close();
  return path;
}

describe("the agenda's parts hydrated when needed", () => {
  it("hydrate without their code; the proposal form, sent while its code cannot come, is held and said, and goes on the next try with focus kept", async () => {
    const stamp = Date.now().toString(36);
    const path = await openAgenda();
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    const online = await partsOffline(page);
    await visit(page, path);
    await page.waitForLoadState("networkidle");
    expect((await preloaded(page)).filter((href) => PART.test(new URL(href).pathname))).toEqual([]);
    // The server's HTML of every part is there all the same.
    await page.getByRole("group", { name: "Time in each capital" }).waitFor();
    await page.getByRole("list", { name: "Concurrence" }).waitFor();
    const form = page.getByRole("region", { name: "Propose an item" });
    const title = await heading(page);

    const text = `Held offline ${stamp}`;
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await notLoaded(page).waitFor();
    // The page is as it was, nothing was sent, and what was typed is there.
    await expect(heading(page)).resolves.toBe(title);
    await expect(form.getByLabel("Title").inputValue()).resolves.toBe(text);
    await expect(item(page, text).count()).resolves.toBe(0);

    await online();
    await form.getByLabel("Title").focus();
    // Hydrated: the description field now loads its editor (it is on screen).
    await form.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(notLoaded(page).count()).resolves.toBe(0);
    await expect(isFocused(form, "Title")).resolves.toBe(true);
    await expect(form.getByLabel("Title").inputValue()).resolves.toBe(text);
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(page, text).waitFor();
    await form.getByRole("status").filter({ hasText: "Item proposed." }).waitFor();
    await context.close();
  });

  it("an item's edit form opens without its code, holds a save its code cannot come for, and saves on the next try", async () => {
    const stamp = Date.now().toString(36);
    const path = await openAgenda();
    const { context, page } = await signedInPage(browser(), "kr.delegate@concord.test");
    await openNextMeeting(page, "trilateral-cyber", "Agenda");
    // Proposed after a client-side navigation: the parts' code comes at once there.
    const text = `Edited offline ${stamp}`;
    const form = page.getByRole("region", { name: "Propose an item" });
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(page, text).waitFor();

    const online = await partsOffline(page);
    await visit(page, path);
    await page.waitForLoadState("networkidle");
    const title = await heading(page);
    const row = item(page, text);

    // A <details>: it opens as it does without JavaScript, with the server's form in it.
    await row.getByText("Edit", { exact: true }).click();
    await expect(row.getByLabel("Title").inputValue()).resolves.toBe(text);
    await row.getByLabel("Title").fill(`${text} (new wording)`);
    await row.getByRole("button", { name: "Save item" }).click();
    await notLoaded(row).waitFor();
    await expect(heading(page)).resolves.toBe(title);
    await expect(row.getByLabel("Title").inputValue()).resolves.toBe(`${text} (new wording)`);

    await online();
    await row.getByLabel("Title").focus();
    await row.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(isFocused(row, "Title")).resolves.toBe(true);
    await row.getByRole("button", { name: "Save item" }).click();
    const saved = item(page, `${text} (new wording)`);
    await saved.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await context.close();
  });

  it("a live change waits for the parts still waiting for their code, which keep their HTML, and then shows", async () => {
    const stamp = Date.now().toString(36);
    const path = await openAgenda();
    const [jp, us] = await Promise.all(["jp.delegate@concord.test", "us.delegate@concord.test"].map((email) => signedInPage(browser(), email)));
    await openNextMeeting(us.page, "trilateral-cyber", "Agenda");
    const reactErrors: string[] = [];
    jp.page.on("console", (message) => {
      if (message.type() === "error") reactErrors.push(message.text());
    });
    const slow = await partsSlow(jp.page);
    // Connected to the live updates (the notice of it is itself an update, which waits too).
    const connected = jp.page.waitForResponse((response) => response.url().includes("/agenda/events"));
    await visit(jp.page, path);
    await connected;

    const text = `Live while waiting ${stamp}`;
    const form = us.page.getByRole("region", { name: "Propose an item" });
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await item(us.page, text).waitFor();
    // The update asked every part for its code; until it is here the page keeps the server's
    // HTML of each (React would otherwise drop it and render afresh: its error 421).
    await expect.poll(() => new Set(slow.requested), { timeout: 5_000 }).toEqual(new Set(["agenda-when", "agenda-special", "agenda-panels", "agenda-item-editor"]));
    await expect(jp.page.getByRole("group", { name: "Time in each capital" }).count()).resolves.toBe(1);
    await expect(jp.page.getByRole("region", { name: "Propose an item" }).getByLabel("Title").count()).resolves.toBe(1);
    await slow.release();
    await item(jp.page, text).waitFor({ timeout: 5_000 });
    expect(reactErrors).toEqual([]);
    await Promise.all([jp, us].map((p) => p.context.close()));
  });

  it("the lock button clicked before its code opens the dialog once it is here, Escape gives focus back; the zone picker works", async () => {
    const path = await openAgenda();
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    const slow = await partsSlow(page);
    await visit(page, path);
    // Clicked before its code is here: the click waits for it (without it, the button is a link
    // to the confirmation page).
    const lock = page.getByRole("button", { name: "Lock the agenda…" });
    await lock.click();
    await slow.release();
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

  it("are all there without JavaScript, and a proposal posts the page", async () => {
    const stamp = Date.now().toString(36);
    const path = await openAgenda();
    const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false, locale: "en-US" });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill("us.delegate@concord.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);
    await page.goto(path);
    await expect(page.evaluate(() => document.documentElement.dataset.hydrated ?? "no")).resolves.toBe("no");
    await page.getByRole("group", { name: "Time in each capital" }).waitFor();
    await page.getByRole("form", { name: "Show item times in" }).waitFor();
    await page.getByRole("list", { name: "Concurrence" }).waitFor();
    await page.getByRole("link", { name: "Open the follow-up list" }).waitFor();
    const form = page.getByRole("region", { name: "Propose an item" });
    const text = `Without scripts ${stamp}`;
    await form.getByLabel("Title").fill(text);
    await form.getByLabel("Minutes allotted").fill("0");
    await Promise.all([page.waitForLoadState("load"), form.getByRole("button", { name: "Propose item" }).click()]);
    await item(page, text).waitFor();
    // An item's edit form opens as a plain <details>, its fields filled in.
    const editor = item(page, text).locator("details:has(> summary:text-is('Edit'))");
    await editor.getByText("Edit", { exact: true }).click();
    await expect(editor.getByLabel("Title").inputValue()).resolves.toBe(text);
    await context.close();
  });
});
