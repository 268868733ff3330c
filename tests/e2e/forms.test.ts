import { describe, expect, it } from "vitest";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("forms", () => {
  it("keep a pasted title that is too long and say so, instead of cutting it short", async () => {
    const { page } = await signedInPage(browser(), "us.delegate@concord.test");
    await visit(page, "/bodies/trilateral-cyber");
    await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Agenda" }).click();
    await page.getByRole("heading", { name: /^Agenda of the/ }).waitFor();
    await hydrated(page);
    const form = page.getByRole("region", { name: "Propose an item" });
    const title = form.getByLabel("Title");
    const pasted = `Too long ${"x".repeat(10_000)}`;
    await title.fill(pasted);
    // Nothing cut: the browser keeps every character, and the field says what is wrong.
    expect((await title.inputValue()).length).toBe(pasted.length);
    await form.getByText("Use at most 300 characters.").waitFor();
    await expect(title.getAttribute("aria-invalid")).resolves.toBe("true");
    // The server refuses it too, with the same message, and stores nothing.
    await form.getByLabel("Minutes allotted").fill("0");
    await form.getByRole("button", { name: "Propose item" }).click();
    await page.getByRole("alert").first().waitFor();
    expect(await page.getByRole("listitem", { name: /^Too long x/ }).count()).toBe(0);
  });
});
