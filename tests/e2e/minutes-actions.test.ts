import { describe, expect, it } from "vitest";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("an action item from the minutes", () => {
  it("is raised from a selection in one step and shown in the text as a chip", async () => {
    const { page } = await signedInPage(browser(), "jp.delegate@concord.test");
    await visit(page, "/bodies/trilateral-cyber");
    await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" }).click();
    await page.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
    await hydrated(page);
    const editor = page.locator('[role="textbox"][aria-label="Minutes text"][contenteditable="true"]');
    await editor.waitFor();
    const words = `Share the wallet list ${Date.now().toString(36)}`;
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type(words);
    await page.keyboard.press("Shift+Home");
    await page.getByRole("button", { name: "Action item" }).click();
    // The server created the item; the editor shows where it came from, and the page knows it.
    await page.getByText(/^Action item No\.\d+ created\.$/).waitFor({ timeout: 10_000 });
    const created = await page.getByText(/^Action item No\.\d+ created\.$/).textContent();
    const ref = /No\.(\d+)/.exec(created ?? "")![1];
    // The item exists with the selected words as its title, raised at this meeting.
    await visit(page, `/search?q=${encodeURIComponent(words)}`);
    await page.getByRole("main").getByRole("link", { name: new RegExp(`${words}`) }).first().waitFor();
    expect(Number(ref)).toBeGreaterThan(0);
  });
});
