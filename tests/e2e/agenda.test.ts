import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

const upcomingAgenda = (page: Page) => openNextMeeting(page, "trilateral-cyber", "Agenda");

async function propose(page: Page, title: string) {
  const form = page.getByRole("region", { name: "Propose an item" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Minutes allotted").fill("0");
  await form.getByRole("button", { name: "Propose item" }).click();
}

const item = (page: Page, title: string) => page.getByRole("listitem", { name: title, exact: true });

describe("a shared agenda", () => {
  it("loads the description editor only when a form is on screen or focused, not for every item at once", async () => {
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    const editorCode: string[] = [];
    page.on("request", (request) => {
      if (/rich-text-editor\.client/.test(request.url())) editorCode.push(request.url());
    });
    await upcomingAgenda(page);
    await page.waitForLoadState("networkidle");
    // The items' forms are closed and the proposal form is below the fold: no editor yet.
    expect(editorCode).toEqual([]);
    const form = page.getByRole("region", { name: "Propose an item" });
    await form.scrollIntoViewIfNeeded();
    await form.getByRole("toolbar", { name: "Formatting" }).waitFor();
    expect(editorCode).toHaveLength(1);
    await context.close();
  });

  it("is edited by three delegations at once, live, without losing an edit, then concurred and locked", async () => {
    const stamp = Date.now().toString(36);
    const people = await Promise.all(
      ["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"].map((email) => signedInPage(browser(), email)),
    );
    const [us, jp, kr] = people.map((p) => p.page);
    const path = await upcomingAgenda(us);
    await Promise.all([jp, kr].map((p) => visit(p, path)));
    for (const p of [us, jp, kr]) await p.getByText("Live: changes by others appear here within a second.").waitFor();

    // All three propose at the same time; everyone sees all three without reloading.
    const titles = [`US item ${stamp}`, `JP item ${stamp}`, `KR item ${stamp}`];
    await Promise.all([propose(us, titles[0]), propose(jp, titles[1]), propose(kr, titles[2])]);
    for (const p of [us, jp, kr]) for (const t of titles) await item(p, t).waitFor({ timeout: 5_000 });

    // US and JP edit the KR item at once: the later save gets the conflict view, and keeps its text.
    const target = titles[2];
    for (const p of [us, jp]) await item(p, target).getByText("Edit", { exact: true }).click();
    await item(us, target).getByLabel("Title").fill(`${target} (US wording)`);
    await item(jp, target).getByLabel("Title").fill(`${target} (JP wording)`);
    await item(us, target).getByRole("button", { name: "Save item" }).click();
    await item(kr, `${target} (US wording)`).waitFor({ timeout: 5_000 });
    // JP's page has heard of the US change (the item's heading follows it) but JP's form keeps JP's text.
    const jpRow = item(jp, `${target} (US wording)`);
    await jpRow.waitFor({ timeout: 5_000 });
    await expect(jpRow.getByLabel("Title").inputValue()).resolves.toBe(`${target} (JP wording)`);
    await jpRow.getByRole("button", { name: "Save item" }).click();
    const conflict = jp.getByRole("alert").filter({ hasText: "Someone else changed this item" });
    await conflict.waitFor();
    await expect(conflict.textContent()).resolves.toContain("(US wording)");
    await expect(conflict.textContent()).resolves.toContain("(JP wording)");
    await expect(jpRow.getByLabel("Title").inputValue()).resolves.toBe(`${target} (JP wording)`);
    await jpRow.getByLabel("Title").fill(`${target} (agreed wording)`);
    await jpRow.getByRole("button", { name: "Save item" }).click();
    for (const p of [us, jp, kr]) await item(p, `${target} (agreed wording)`).waitFor({ timeout: 5_000 });
    await Promise.all(people.map((p) => p.context.close()));

    // Items are still proposed and the agenda runs over, so no head can concur yet: the secretariat
    // agrees the items and withdraws one, and the agenda then fits the meeting.
    {
      const { context, page } = await signedInPage(browser(), "us.head@concord.test");
      await visit(page, path);
      await page.getByText(/still proposed: the secretariat or/).waitFor();
      await expect(page.getByRole("button", { name: /^Concur with this agenda/ }).count()).resolves.toBe(0);
      await context.close();
    }
    {
      const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
      await visit(page, path);
      const proposed = page.locator(".agenda-item").filter({ has: page.locator(".badge", { hasText: "Proposed" }) });
      while ((await proposed.count()) > 0) {
        const title = (await proposed.first().getAttribute("aria-label"))!;
        const row = item(page, title);
        await row.getByText("Edit", { exact: true }).click();
        await row.getByLabel("Status").selectOption({ label: title.startsWith("Tabletop exercise") ? "Withdrawn" : "Agreed" });
        await row.getByRole("button", { name: "Save item" }).click();
        await row.locator(".badge", { hasText: "Proposed" }).waitFor({ state: "detached" });
      }
      await page.getByText("The agenda fits the meeting", { exact: false }).first().waitFor();
      await context.close();
    }

    // The three heads concur with the agenda as it now is; the secretariat locks it.
    for (const [email, name] of [
      ["us.head@concord.test", "United States"],
      ["jp.head@concord.test", "Japan"],
      ["kr.head@concord.test", "Republic of Korea"],
    ] as const) {
      const { context, page } = await signedInPage(browser(), email);
      await visit(page, path);
      await page.getByRole("button", { name: `Concur with this agenda for ${name}` }).click();
      await page.getByRole("status").filter({ hasText: "Your delegation's concurrence has been recorded." }).waitFor();
      await context.close();
    }
    const { context, page } = await signedInPage(browser(), "secretariat@concord.test");
    await visit(page, path);
    const strip = page.getByRole("list", { name: "Concurrence" });
    await expect(strip.getByText("concurred", { exact: true }).count()).resolves.toBe(3);
    await page.getByRole("button", { name: "Lock the agenda…" }).click();
    await page.getByRole("dialog", { name: /^Lock the agenda of/ }).getByRole("button", { name: "Lock the agenda", exact: true }).click();
    await page.getByText("This agenda is locked.").waitFor();
    await context.close();
  });

});
