import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { baseUrl, DEMO_PASSWORD, openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

const upcomingAgenda = (page: Page) => openNextMeeting(page, "trilateral-cyber", "Agenda");

const proposal = (page: Page) => page.getByRole("region", { name: "Propose an item" });

/** Opens "Propose an item" (a button; the form comes with its code, ADR 058) unless it is open. */
async function openProposal(page: Page) {
  const form = proposal(page);
  if ((await form.getByLabel("Title").count()) === 0) await form.getByRole("button", { name: "Propose an item" }).click();
  await form.getByLabel("Title").waitFor();
  return form;
}

async function propose(page: Page, title: string) {
  const form = await openProposal(page);
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
    // The items' forms are closed and the proposal form is not open: no editor yet.
    expect(editorCode).toEqual([]);
    const form = await openProposal(page);
    await form.scrollIntoViewIfNeeded();
    await form.getByRole("toolbar", { name: "Formatting" }).waitFor();
    expect(editorCode).toHaveLength(1);
    await context.close();
  });

  // "Propose an item" is a button whose form comes on demand (ADR 058). These run before the
  // test below locks this agenda; their items take no time, and that test agrees them.
  describe("the proposal form, on demand", () => {
    const focused = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("name") ?? document.activeElement?.textContent ?? null);

    it("opens by click and by Enter with focus in its first field; Escape and Cancel close it and focus returns to the button", async () => {
      const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
      await upcomingAgenda(page);
      const region = proposal(page);
      const button = region.getByRole("button", { name: "Propose an item" });
      // Nothing of the form at first paint.
      await expect(region.getByLabel("Title").count()).resolves.toBe(0);

      await button.click();
      await region.getByLabel("Title").waitFor();
      await expect.poll(() => focused(page)).toBe("title");
      await page.keyboard.press("Escape");
      await button.waitFor();
      await expect(region.getByLabel("Title").count()).resolves.toBe(0);
      await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);

      // From the keyboard: Enter on the focused button; Escape from a field further down.
      await page.keyboard.press("Enter");
      await region.getByLabel("Title").waitFor();
      await expect.poll(() => focused(page)).toBe("title");
      await region.getByLabel("Minutes allotted").focus();
      await page.keyboard.press("Escape");
      await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);

      await button.click();
      await region.getByRole("button", { name: "Cancel" }).click();
      await expect.poll(() => button.evaluate((el) => el === document.activeElement)).toBe(true);
      await expect(region.getByLabel("Title").count()).resolves.toBe(0);
      await context.close();
    });

    it("offline, a click leaves the page as it was; back online the next click opens the form", async () => {
      const { context, page } = await signedInPage(browser(), "kr.delegate@concord.test");
      const formCode: string[] = [];
      page.on("request", (request) => {
        if (/agenda-item-form-/.test(request.url())) formCode.push(request.url());
      });
      await upcomingAgenda(page);
      await page.waitForLoadState("networkidle");
      expect(formCode).toEqual([]);
      const heading = await page.getByRole("heading", { level: 1 }).textContent();
      const region = proposal(page);
      const button = region.getByRole("button", { name: "Propose an item" });

      await context.setOffline(true);
      await button.click();
      await page.waitForLoadState("networkidle");
      expect(formCode.length).toBeGreaterThan(0);
      await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe(heading);
      await expect(region.getByLabel("Title").count()).resolves.toBe(0);
      await expect(button.count()).resolves.toBe(1);
      expect(new URL(page.url()).search).toBe("");

      await context.setOffline(false);
      await button.click();
      await region.getByLabel("Title").waitFor();
      await expect.poll(() => focused(page)).toBe("title");
      await context.close();
    });

    it("proposes an item that another delegate sees appear live, and says what is wrong with a field", async () => {
      const [a, b] = await Promise.all(["us.delegate@concord.test", "kr.delegate@concord.test"].map((email) => signedInPage(browser(), email)));
      const path = await upcomingAgenda(a.page);
      await visit(b.page, path);
      await b.page.getByText("Live: changes by others appear here within a second.").waitFor();

      const form = await openProposal(a.page);
      await form.getByLabel("Minutes allotted").fill("0");
      await form.getByRole("button", { name: "Propose item" }).click();
      // Refused without a title: the field says so, and what was typed stays.
      await form.getByText(/^(This field is required\.|Enter at least 1 characters\.)$/).first().waitFor();
      await expect(form.getByLabel("Minutes allotted").inputValue()).resolves.toBe("0");

      const title = `Live proposal ${Date.now().toString(36)}`;
      await form.getByLabel("Title").fill(title);
      await form.getByRole("button", { name: "Propose item" }).click();
      await form.getByRole("status").filter({ hasText: "Item proposed." }).waitFor();
      await item(b.page, title).waitFor({ timeout: 5_000 });
      // The form starts again, empty, for the next proposal.
      await expect(form.getByLabel("Title").inputValue()).resolves.toBe("");
      await Promise.all([a, b].map((p) => p.context.close()));
    });

    it("works without JavaScript: the button is a link to the form on the page, which proposes the item", async () => {
      const context = await browser().newContext({ baseURL: baseUrl(), javaScriptEnabled: false, locale: "en-US" });
      const page = await context.newPage();
      await page.goto("/login");
      await page.getByLabel("Email").fill("jp.delegate@concord.test");
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await Promise.all([page.waitForURL((url) => !url.pathname.startsWith("/login")), page.getByRole("button", { name: "Sign in" }).click()]);
      await expect(page.evaluate(() => document.documentElement.dataset.hydrated ?? "no")).resolves.toBe("no");
      await page.goto("/bodies/trilateral-cyber");
      await Promise.all([page.waitForURL(/\/agenda$/), page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Agenda" }).click()]);
      const path = new URL(page.url()).pathname;

      await Promise.all([page.waitForURL(/\?propose=1$/), proposal(page).getByRole("button", { name: "Propose an item" }).click()]);
      const form = proposal(page);
      const title = `No-script proposal ${Date.now().toString(36)}`;
      await form.getByLabel("Title").fill(title);
      await form.getByLabel("Minutes allotted").fill("0");
      await Promise.all([page.waitForLoadState("load"), form.getByRole("button", { name: "Propose item" }).click()]);
      await page.getByText("Item proposed.").first().waitFor();
      await item(page, title).waitFor();

      // Cancel leads back to the page with the button.
      await Promise.all([page.waitForURL((url) => url.pathname === path && url.search === ""), proposal(page).getByRole("link", { name: "Cancel" }).click()]);
      await proposal(page).getByRole("button", { name: "Propose an item" }).waitFor();
      await context.close();
    });
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
