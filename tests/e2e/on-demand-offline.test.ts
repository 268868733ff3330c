import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

/**
 * Code loaded on demand (ADR 036, 043, 052) when the connection is gone: the page stays as it
 * was (no "Something went wrong", no script error), the person is told or can go on typing, and
 * the next attempt, back online, loads it. Opens the demo's upcoming agenda and changes nothing.
 */

const browser = useBrowser();

async function upcomingAgenda(page: Page) {
  await openNextMeeting(page, "trilateral-cyber", "Agenda");
  await page.waitForLoadState("networkidle");
}

const heading = (page: Page) => page.getByRole("heading", { level: 1 }).textContent();

describe("code loaded on demand, offline", () => {
  it("an upload form that cannot load says so, and opens on the next try online", async () => {
    const { context, page } = await signedInPage(browser(), "us.delegate@concord.test");
    await upcomingAgenda(page);
    const title = await heading(page);
    const item = page.getByRole("listitem", { name: "Review of action items", exact: true });
    const add = item.getByRole("button", { name: "Add a paper" });

    await context.setOffline(true);
    await add.click();
    await item.getByRole("alert").filter({ hasText: "could not be loaded" }).waitFor();
    await expect(heading(page)).resolves.toBe(title);
    await expect(item.getByRole("form", { name: "Add a paper" }).count()).resolves.toBe(0);

    await context.setOffline(false);
    await add.click(); // closes
    await add.click(); // opens again, and loads the form this time
    await item.getByRole("form", { name: "Add a paper" }).getByLabel("Title").waitFor();
    await expect(item.getByRole("alert").count()).resolves.toBe(0);
    await context.close();
  });

  it("a rich-text field whose editor cannot load stays a plain field, and gets the editor on the next focus online", async () => {
    const { context, page } = await signedInPage(browser(), "us.delegate@concord.test");
    const editorCode: string[] = [];
    page.on("request", (request) => {
      if (/rich-text-editor\.client/.test(request.url())) editorCode.push(request.url());
    });
    // A short window, so that the field is below the fold and its editor not loaded yet.
    await page.setViewportSize({ width: 1280, height: 200 });
    await visit(page, "/bodies/trilateral-cyber/actions/new");
    await page.waitForLoadState("networkidle");
    expect(editorCode).toEqual([]);
    const title = await heading(page);
    const main = page.getByRole("main");
    const field = main.getByRole("textbox", { name: "Detail" });

    await context.setOffline(true);
    await field.click();
    await page.waitForLoadState("networkidle");
    expect(editorCode.length).toBeGreaterThan(0);
    await field.pressSequentially("typed offline");
    await expect(field.inputValue()).resolves.toContain("typed offline");
    await expect(heading(page)).resolves.toBe(title);

    await context.setOffline(false);
    await main.getByLabel("Title").focus();
    await field.focus();
    await main.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(main.locator("[contenteditable]").textContent()).resolves.toContain("typed offline");
    await context.close();
  });
});
