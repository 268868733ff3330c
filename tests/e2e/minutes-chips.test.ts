import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();
const PLACEHOLDER = "Action item for a narrower audience";

/** The next meeting's minutes page, with its editor loaded. */
async function openMinutes(page: Page) {
  await visit(page, "/bodies/trilateral-cyber");
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" }).click();
  await page.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
  await hydrated(page);
  const editor = page.locator('[role="textbox"][aria-label="Minutes text"]');
  await editor.waitFor();
  return editor;
}

/** Sets the item's title and handling marking through its edit page, as its owner would. */
async function mark(page: Page, itemId: string, marking: string, title: string) {
  await visit(page, `/actions/${itemId}/edit`);
  await hydrated(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Handling marking").selectOption(marking);
  await submit(page, () => page.getByRole("button", { name: "Save changes" }).click());
  await page.waitForURL((u) => u.pathname === `/actions/${itemId}`);
}

describe("action-item chips in the live minutes (ADR 042)", () => {
  it("show their title to readers in the item's audience and a placeholder to the others, and follow a re-marking live", async () => {
    const { context: jpContext, page: jp } = await signedInPage(browser(), "jp.delegate@concord.test");
    const { context: krContext, page: kr } = await signedInPage(browser(), "kr.delegate@concord.test");
    try {
      const editor = await openMinutes(jp);
      const words = `Trace the mixer wallets ${Date.now().toString(36)}`;
      await editor.click();
      await jp.keyboard.press("Control+End");
      await jp.keyboard.press("Enter");
      await jp.keyboard.type(words);
      await jp.keyboard.press("Shift+Home");
      await jp.getByRole("button", { name: "Action item" }).click();
      await jp.getByText(/^Action item No\.\d+ created\.$/).waitFor({ timeout: 10_000 });
      const jpChip = jp.locator(".minutes-editor span[data-action-item]").filter({ hasText: words });
      await jpChip.waitFor();
      const itemId = (await jpChip.getAttribute("data-action-item"))!;
      const chipIn = (page: Page) => page.locator(`.minutes-editor span[data-action-item="${itemId}"]`);

      // The KR delegate's open page: the chip arrived over the live document, its title from their own page's data.
      await openMinutes(kr);
      await chipIn(kr).filter({ hasText: words }).waitFor({ timeout: 15_000 });

      // Re-titled (words that are not in the minutes' own text) and marked for JP only: the KR
      // page, still open, shows the placeholder; nothing of the new title reaches it.
      const secret = `Attribution to the JP source ${Date.now().toString(36)}`;
      await mark(jp, itemId, "TLP:AMBER+STRICT", secret);
      await chipIn(kr).filter({ hasText: PLACEHOLDER }).waitFor({ timeout: 15_000 });
      expect(await kr.content()).not.toContain(secret);

      // Reloaded, the same: before the editor loads (the server's HTML) and after.
      const html = await (await kr.request.get(kr.url())).text();
      expect(html).not.toContain(secret);
      await openMinutes(kr);
      await chipIn(kr).filter({ hasText: PLACEHOLDER }).waitFor({ timeout: 15_000 });
      expect(await kr.content()).not.toContain(secret);

      // The JP delegate, in the item's audience, reads its title on the chip.
      await openMinutes(jp);
      await chipIn(jp).filter({ hasText: secret }).waitFor({ timeout: 15_000 });

      // Back to the minutes' own audience: the KR page follows, without a reload.
      await mark(jp, itemId, "TLP:AMBER", secret);
      await chipIn(kr).filter({ hasText: secret }).waitFor({ timeout: 15_000 });
    } finally {
      await jpContext.close();
      await krContext.close();
    }
  });
});
