import { describe, expect, it } from "vitest";
import { signedInPage, submit, useBrowser, visit } from "./helpers";

/**
 * A person chooses how they are asked and reminded by e-mail; the secretariat sets a body's
 * working language. Works on the second demo body, which the other files leave alone, and
 * puts the language back.
 */

const browser = useBrowser();

describe("settings for asks and the working language", () => {
  it("lets a person choose a daily digest by keyboard, and keeps it", async () => {
    const { context, page } = await signedInPage(browser(), "jp.official@concord.test");
    await visit(page, "/settings");
    const section = page.getByRole("region", { name: "E-mail asks and reminders" });
    const group = section.getByRole("group", { name: "Send them" });
    await expect(group.getByRole("radio", { name: /^Immediately/ }).isChecked()).resolves.toBe(true);
    await group.getByRole("radio", { name: /^Immediately/ }).focus();
    await page.keyboard.press("ArrowDown");
    await expect(group.getByRole("radio", { name: /^Daily digest/ }).isChecked()).resolves.toBe(true);
    await submit(page, () => section.getByRole("button", { name: "Save e-mail setting" }).click());
    await page.getByRole("status").filter({ hasText: "E-mail setting saved." }).waitFor();
    await visit(page, "/settings");
    await expect(page.getByRole("radio", { name: /^Daily digest/ }).isChecked()).resolves.toBe(true);
    // Back to the default, for whoever signs in as this person next.
    await page.getByRole("radio", { name: /^Immediately/ }).check();
    await submit(page, () => page.getByRole("button", { name: "Save e-mail setting" }).click());
    await page.getByRole("status").filter({ hasText: "E-mail setting saved." }).waitFor();
    await context.close();
  });

  it("lets the secretariat set the body's working language, recorded in the audit trail, and hides it from others", async () => {
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    await visit(page, "/bodies/cet-dialogue/members");
    const section = page.getByRole("region", { name: "Working language" });
    await section.getByLabel("Working language").selectOption("ko");
    await submit(page, () => section.getByRole("button", { name: "Save working language" }).click());
    await page.getByRole("status").filter({ hasText: "Working language saved." }).waitFor();
    await expect(section.getByLabel("Working language").inputValue()).resolves.toBe("ko");
    await visit(page, "/bodies/cet-dialogue/audit");
    await page.getByText("changed the body's working language").first().waitFor();
    await expect(page.getByText("English → Korean").or(page.getByText("Korean")).first().isVisible()).resolves.toBe(true);
    await visit(page, "/bodies/cet-dialogue/members");
    await page.getByRole("region", { name: "Working language" }).getByLabel("Working language").selectOption("en");
    await submit(page, () => page.getByRole("button", { name: "Save working language" }).click());
    await page.getByRole("status").filter({ hasText: "Working language saved." }).waitFor();
    await context.close();

    const head = await signedInPage(browser(), "us.head@concord.test");
    await visit(head.page, "/bodies/cet-dialogue/members");
    await expect(head.page.getByRole("region", { name: "Working language" }).count()).resolves.toBe(0);
    await head.context.close();
  });
});
