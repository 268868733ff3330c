import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD, useBrowser } from "./helpers";

/**
 * The confirmation of an irreversible step works with JavaScript off: the button is a link to
 * the confirmation page, whose form asks for the reason and carries the step out. Deactivates
 * a person this test adds, on the second demo body.
 */

const browser = useBrowser();

/** Elements reaching past the window's right edge. */
const wider = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("body *"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .map((el) => `${el.tagName}.${el.className}: ${el.textContent?.slice(0, 60)}`),
  );

describe("confirming without JavaScript", () => {
  it("asks for a reason on a confirmation page and carries out the step", async () => {
    const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false, locale: "en-US", viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await page.goto("/login");
    await page.getByLabel("Email").fill("secretariat@concord.test");
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);
    // No script ran: the page is the server's HTML alone.
    await expect(page.evaluate(() => document.documentElement.dataset.hydrated ?? "no")).resolves.toBe("no");

    const name = `No-script Person ${Date.now().toString(36)}`;
    await page.goto("/bodies/cet-dialogue/members");
    const add = page.getByRole("region", { name: "Add a person" });
    await add.getByLabel("Full name").fill(name);
    await add.getByLabel("Email").fill(`${name.replace(/\W+/g, ".").toLowerCase()}@example.org`);
    await add.getByLabel("Delegation").selectOption({ index: 1 });
    await Promise.all([page.waitForLoadState("load"), add.getByRole("button", { name: "Add person" }).click()]);
    await page.getByText(`${name} has been added.`).waitFor();

    await page.goto("/bodies/cet-dialogue/members");
    await Promise.all([page.waitForURL(/\/members\/[^/?]+$/), page.getByRole("link", { name }).click()]);
    await Promise.all([page.waitForURL(/\?confirm=deactivate$/), page.getByRole("button", { name: `Deactivate ${name}…` }).click()]);
    const confirmation = page.getByRole("region", { name: `Deactivate ${name}?` });
    await confirmation.waitFor();
    const reason = confirmation.getByLabel("Reason for deactivating");
    await expect(reason.getAttribute("required")).resolves.not.toBeNull();
    // The confirmation page fits a phone, its buttons naming the person included.
    expect(await wider(page)).toEqual([]);
    await reason.fill("Left the delegation at the end of the posting.");
    await Promise.all([page.waitForLoadState("load"), confirmation.getByRole("button", { name: `Deactivate ${name}`, exact: true }).click()]);
    await page.getByText(`${name} has been deactivated and signed out everywhere.`).waitFor();
    await expect(page.getByRole("button", { name: `Reactivate ${name}` }).count()).resolves.toBe(1);
    // Nothing sideways at 390 px once done either (a button naming the person wraps).
    expect(await wider(page)).toEqual([]);
    await context.close();
  });
});
