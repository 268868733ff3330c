import { describe, expect, it } from "vitest";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

/**
 * A confirmation dialog's form is loaded when the dialog first opens (ADR 052). Offline, a
 * click that cannot fetch it leaves the page as it was (no error page: on the minutes page that
 * would take the editor away); back online the same button opens the dialog, focus moves into
 * it, Escape closes it and focus returns to the button. Opens a member's page of the second demo
 * body and changes nothing.
 */

const browser = useBrowser();

describe("a confirmation dialog", () => {
  it("opens once its form is loaded, and a failed load offline leaves the page as it was", async () => {
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    await visit(page, "/bodies/cet-dialogue/members");
    const table = page.getByRole("table");
    await Promise.all([page.waitForURL(/\/members\/[^/?]+$/), table.getByRole("link").first().click()]);
    await hydrated(page);
    const trigger = page.getByRole("button", { name: /^Deactivate .+…$/ });
    const heading = await page.getByRole("heading", { level: 1 }).textContent();

    await context.setOffline(true);
    await trigger.click();
    // Whatever the failed load did, it did it before the page settles: the page is still there.
    await page.waitForLoadState("networkidle");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(heading);
    await expect(page.getByRole("dialog").count()).resolves.toBe(0);

    await context.setOffline(false);
    await trigger.click();
    const dialog = page.getByRole("dialog", { name: /^Deactivate .+\?$/ });
    await dialog.waitFor();
    await expect(page.evaluate(() => document.activeElement?.closest("dialog") !== null)).resolves.toBe(true);
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    await expect(trigger.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await context.close();
  });
});
