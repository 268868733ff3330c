import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

/**
 * Code loaded on demand (ADR 036, 043, 052) when the connection is gone: the page stays as it
 * was (no "Something went wrong", no script error), the person is told or can go on typing, and
 * the next attempt, back online, loads it. Opens the demo's upcoming agenda and changes nothing.
 */

const browser = useBrowser();

async function upcomingAgenda(page: Page) {
  await visit(page, "/bodies/trilateral-cyber");
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Agenda" }).click();
  await page.getByRole("heading", { name: /^Agenda of the/ }).waitFor();
  await hydrated(page);
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

  it("a description field whose editor cannot load stays a plain field, and gets the editor on the next focus online", async () => {
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    await upcomingAgenda(page);
    const title = await heading(page);
    const row = page.getByRole("listitem").filter({ has: page.getByText("Edit", { exact: true }) }).first();

    await context.setOffline(true);
    await row.getByText("Edit", { exact: true }).click();
    const field = row.getByRole("textbox", { name: "Description" });
    await field.click();
    await page.waitForLoadState("networkidle");
    await field.pressSequentially("typed offline");
    await expect(field.inputValue()).resolves.toContain("typed offline");
    await expect(heading(page)).resolves.toBe(title);

    await context.setOffline(false);
    await row.getByRole("textbox", { name: "Title" }).focus();
    await field.focus();
    await row.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await expect(row.getByRole("textbox", { name: "Description" }).textContent()).resolves.toContain("typed offline");
    await context.close();
  });
});
