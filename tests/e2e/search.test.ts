import { describe, expect, it } from "vitest";
import { signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("search", () => {
  it("finds minutes, decisions and agenda items from the shell's search box, and opens a hit", async () => {
    const { context, page } = await signedInPage(browser(), "jp.official@concord.test");
    await visit(page, "/bodies/trilateral-cyber/meetings");
    const box = page.getByRole("searchbox", { name: "Search" });
    await box.fill("joint advisory");
    await box.press("Enter");
    await page.waitForURL(/\/search\?q=joint\+advisory/);
    await page.getByRole("heading", { name: "Search", level: 1 }).waitFor();
    const decisions = page.getByRole("region", { name: /^Decisions/ });
    await decisions.getByRole("link", { name: "Decision D4" }).waitFor();
    await page.getByRole("region", { name: /^Minutes/ }).getByRole("link", { name: "Minutes of the 4th meeting" }).waitFor();
    await page.getByRole("region", { name: /^Agenda items/ }).getByRole("link", { name: "Joint advisory on DPRK IT workers: final text for clearance" }).waitFor();
    // The box keeps what was searched for, and one kind can be shown alone.
    await expect(page.getByRole("searchbox", { name: "Search" }).first().inputValue()).resolves.toBe("joint advisory");
    await page.getByRole("navigation", { name: "Show" }).getByRole("link", { name: "Decisions" }).click();
    await page.waitForURL(/kind=decisions/);
    // The address changes as the navigation commits, the page a moment later (its loader data):
    // wait for the other kinds to go, rather than looking the moment the URL changed.
    await page.getByRole("region", { name: /^Minutes/ }).waitFor({ state: "detached" });
    await expect(page.getByRole("region", { name: /^Minutes/ }).count()).resolves.toBe(0);
    await decisions.getByRole("link", { name: "Decision D4" }).waitFor();

    await decisions.getByRole("link", { name: "Decision D4" }).click();
    await page.waitForURL(/\/minutes#decision-4$/);
    await page.getByRole("heading", { name: /^Minutes of the 4th meeting/ }).waitFor();

    // Japanese text in the minutes is found as typed.
    await visit(page, `/search?q=${encodeURIComponent("共同注意喚起")}`);
    await page.getByRole("region", { name: /^Minutes/ }).getByRole("link", { name: "Minutes of the 4th meeting" }).waitFor();
    await page.getByText("Nothing matches").count().then((n) => expect(n).toBe(0));
    await visit(page, "/search?q=zzzz-nowhere");
    await page.getByRole("status").filter({ hasText: "Nothing matches “zzzz-nowhere”" }).waitFor();
    await context.close();
  });

  it("keeps the cross-body Meetings and Action items for someone in two bodies, and the rest of the width for results", async () => {
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    await visit(page, "/search?q=advisory");
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(nav.getByRole("link", { name: "Meetings" }).getAttribute("href")).resolves.toBe("/meetings");
    await expect(nav.getByRole("link", { name: "Action items" }).getAttribute("href")).resolves.toBe("/actions");
    const main = await page.getByRole("main").boundingBox();
    expect(main!.width).toBeGreaterThan(900);
    await context.close();
  });
});
