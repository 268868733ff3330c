import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

/**
 * Issue 10, "every line where it was typed": a delegate's Enter at the end of a line another
 * delegation is still typing. Before the fix the caret stayed in front of the other's next
 * keystroke (y-tiptap anchors a caret to the character on its left), so the Enter split their
 * line and carried its tail into the new one ("U note …" and "…S"). `npm test` runs the
 * step-by-step case (it failed every time before the fix); `npm run soak` adds rounds of three
 * delegations at once on a throttled CPU (SOAK_PLACEMENT_ROUNDS; before the fix, round 1 or 2
 * failed), the race as it happens in `tests/e2e/minutes.test.ts` "converge when three…".
 */

const browser = useBrowser();
const ROUNDS = Number(process.env.SOAK_PLACEMENT_ROUNDS ?? 0);
/** How much slower Chromium runs (CDP), as on the loaded machine where this was first seen. */
const THROTTLE = Number(process.env.PLACEMENT_CPU_THROTTLE ?? 6);
const SAVED = "Saved: the server has every change.";

const editor = (page: Page) => page.getByRole("textbox", { name: "Minutes text" });

async function openMinutes(page: Page) {
  await visit(page, "/bodies/trilateral-cyber");
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" }).click();
  await page.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
  await hydrated(page);
  await page.getByText(SAVED).waitFor();
  return new URL(page.url()).pathname;
}

async function person(email: string, path?: string) {
  const { context, page } = await signedInPage(browser(), email);
  if (path) {
    await visit(page, path);
    await page.getByText(SAVED).waitFor({ timeout: 30_000 });
  }
  return { context, page };
}

/** The blocks' texts, without other people's caret labels. */
const blocks = (page: Page) =>
  editor(page).evaluate((el) =>
    [...el.children].map((b) => {
      const copy = b.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret, .collaboration-carets__selection").forEach((c) => c.remove());
      return copy.textContent ?? "";
    }),
  );

/** Every page shows the same blocks; returns them. */
async function converged(pages: Page[]) {
  await expect.poll(async () => new Set(await Promise.all(pages.map(async (p) => JSON.stringify(await blocks(p))))).size, { timeout: 20_000 }).toBe(1);
  return blocks(pages[0]);
}

/** Where the editor has the caret: at the very end of the document (the end of its last line)? */
const caretAtEnd = (page: Page) =>
  editor(page).evaluate((el) => {
    const { state } = (el as HTMLElement & { editor: { state: { selection: { empty: boolean; head: number }; doc: { content: { size: number } } } } }).editor;
    return state.selection.empty && state.selection.head === state.doc.content.size - 1;
  });

describe("a delegate's Enter at the end of a line another delegation is typing", () => {
  it("starts a new line of their own and takes nothing of the other's, step by step", async () => {
    const stamp = Date.now().toString(36);
    const us = await person("us.delegate@concord.test");
    const path = await openMinutes(us.page);
    const jp = await person("jp.delegate@concord.test", path);
    const first = `US first ${stamp}`;

    // Washington starts a line at the end of the minutes.
    await editor(us.page).locator(":scope > *").last().click();
    await us.page.keyboard.press("Control+End");
    await us.page.keyboard.press("Enter");
    await us.page.keyboard.type(first, { delay: 5 });
    await expect.poll(async () => (await blocks(jp.page)).at(-1)).toBe(first);

    // Tokyo goes to the end of the minutes: the end of Washington's line.
    await editor(jp.page).locator(":scope > *").last().click();
    await jp.page.keyboard.press("Control+End");
    await expect.poll(() => caretAtEnd(jp.page)).toBe(true);

    // Washington types on before Tokyo presses Enter.
    await us.page.keyboard.type(" and more", { delay: 5 });
    await expect.poll(async () => (await blocks(jp.page)).at(-1)).toBe(`${first} and more`);
    await jp.page.keyboard.press("Enter");
    await jp.page.keyboard.type(`JP ${stamp}`, { delay: 5 });
    // And Washington's line goes on where Washington is typing.
    await us.page.keyboard.type(" to the end", { delay: 5 });

    const shown = await converged([us.page, jp.page]);
    expect(shown.slice(-2)).toEqual([`${first} and more to the end`, `JP ${stamp}`]);
    // What is stored is what they see: a fresh reader gets the same.
    await Promise.all([us, jp].map((p) => p.page.getByText(SAVED).waitFor({ timeout: 30_000 })));
    const reader = await person("kr.delegate@concord.test", path);
    expect(await blocks(reader.page)).toEqual(shown);
    await Promise.all([us, jp, reader].map((p) => p.context.close()));
  }, 120_000);

  it.skipIf(ROUNDS === 0)(`keeps three delegations' lines whole when they all press Ctrl+End, Enter and type at once (${ROUNDS} rounds, CPU ${THROTTLE}× slower)`, async () => {
    const stamp = Date.now().toString(36);
    const first = await person("us.delegate@concord.test");
    const path = await openMinutes(first.page);
    const people = [first, ...(await Promise.all(["jp.delegate@concord.test", "kr.delegate@concord.test"].map((e) => person(e, path))))];
    const pages = people.map((p) => p.page);
    for (const page of pages) await (await page.context().newCDPSession(page)).send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
    const before = await converged(pages);
    const typed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const lines = ["US", "JP", "KR"].map((n) => `${n} line ${round} ${stamp}`);
      typed.push(...lines);
      await Promise.all(
        pages.map(async (page, i) => {
          // Not quite at once: a later Ctrl+End lands at the end of a line just begun (the race).
          if (i > 0) await page.waitForTimeout(Math.random() * 800);
          await editor(page).locator(":scope > *").last().click();
          await page.keyboard.press("Control+End");
          await page.keyboard.press("Enter");
          await page.keyboard.type(lines[i], { delay: 5 });
        }),
      );
      // Every line whole, once, in a block of its own, after what was there; nothing else changed.
      const shown = await converged(pages);
      expect(shown.slice(0, before.length), `round ${round}`).toEqual(before);
      expect([...shown.slice(before.length)].sort(), `round ${round}: ${JSON.stringify(shown.slice(before.length))}`).toEqual([...typed].sort());
    }
    await Promise.all(pages.map((p) => p.getByText(SAVED).waitFor({ timeout: 30_000 })));
    const reader = await person("us.head@concord.test", path);
    expect(await blocks(reader.page)).toEqual(await blocks(pages[0]));
    await Promise.all([...people, reader].map((p) => p.context.close()));
  }, 60_000 + ROUNDS * 60_000);
});
