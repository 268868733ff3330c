import { describe, expect, it } from "vitest";
import { signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("forms", () => {
  it("keep a pasted title that is too long and say so, instead of cutting it short", async () => {
    const { page } = await signedInPage(browser(), "us.delegate@concord.test");
    await visit(page, "/bodies/trilateral-cyber/actions/new");
    const title = page.getByRole("main").getByLabel("Title");
    const pasted = `Too long ${"x".repeat(10_000)}`;
    await title.fill(pasted);
    // Nothing cut: the browser keeps every character, and the field says what is wrong.
    expect((await title.inputValue()).length).toBe(pasted.length);
    await page.getByText("Use at most 300 characters.").waitFor();
    await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");
    // The server refuses it too, with the same message, and creates nothing.
    await page.getByRole("button", { name: "Create action item" }).click();
    await page.getByRole("alert").first().waitFor();
    await expect(page.getByRole("heading", { name: /Too long x/ }).count()).resolves.toBe(0);
    expect(new URL(page.url()).pathname).toBe("/bodies/trilateral-cyber/actions/new");
    await expect(title.inputValue()).resolves.toBe(pasted);
  });
});
