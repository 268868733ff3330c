import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import WebSocket from "ws";
import { baseUrl, hydrated, openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();

async function openMinutes(page: Page) {
  const path = await openNextMeeting(page, "trilateral-cyber", "Minutes");
  await page.getByText("Saved: the server has every change.").waitFor();
  return path;
}

const editor = (page: Page) => page.getByRole("textbox", { name: "Minutes text" });

/** The document's text without the decorations that show other people's carets. */
const documentText = (page: Page) =>
  editor(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });

/** The text of each block, without other people's caret labels. */
const blockTexts = (page: Page) =>
  editor(page).evaluate((el) =>
    [...el.children].map((block) => {
      const copy = block.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret, .collaboration-carets__selection").forEach((c) => c.remove());
      return copy.textContent ?? "";
    }),
  );

async function typeAtEnd(page: Page, text: string) {
  // Click where the line goes (the last block), as a person does. Clicking the middle of the
  // page and relying on Ctrl+End alone races with remote changes: one arriving before the editor
  // reads the moved caret puts it back where the click was (once, an agenda heading, where the
  // editor refuses typing). See the closing note of issue 10.
  await editor(page).locator(":scope > *").last().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(text, { delay: 5 });
}

describe("collaborative minutes", () => {
  it("writes what is typed, pasted or entered on an agenda heading on a new line under it, and leaves the heading as the agenda has it", async () => {
    const stamp = Date.now().toString(36);
    const { page, context } = await signedInPage(browser(), "us.delegate@concord.test");
    await openMinutes(page);
    const heading = editor(page).locator("h2[data-agenda-item]").first();
    const title = (await heading.textContent())!;
    const headingsBefore = await editor(page).locator("h2[data-agenda-item]").allTextContents();

    // Clicked in the title, then typed: before, every keystroke was refused in silence. (Near its
    // start: the middle may hold the caret label of someone who just left.)
    const inTitle = { position: { x: 12, y: 12 } };
    const clickTitle = async () => {
      await heading.click(inTitle);
      // The caret is in the title before anything is typed: the browser's, and the editor's own
      // (it reads the browser's a moment later; a paste dispatched in between went to its old place).
      await expect
        .poll(() =>
          page.evaluate(() => {
            const n = document.getSelection()?.anchorNode;
            const inTitle = !!(n instanceof Element ? n : n?.parentElement)?.closest("h2[data-agenda-item]");
            const editor = (document.querySelector(".ProseMirror[aria-label='Minutes text']") as (Element & { editor?: { state: { selection: { $from: { parent: { type: { name: string }; attrs: Record<string, unknown> } } } } } }) | null)?.editor;
            const parent = editor?.state.selection.$from.parent;
            return inTitle && (!editor || (parent?.type.name === "heading" && !!parent.attrs.agendaItemId));
          }),
        )
        .toBe(true);
    };
    await clickTitle();
    await page.keyboard.type(`typed ${stamp}`, { delay: 5 });
    // Enter in a heading does not split it; it opens a line under it.
    await clickTitle();
    await page.keyboard.press("Enter");
    await page.keyboard.type(`entered ${stamp}`, { delay: 5 });
    // A paste into the title lands under it too.
    await clickTitle();
    await page.evaluate((text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      document.querySelector(".ProseMirror[aria-label='Minutes text']")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, `pasted ${stamp}`);

    await expect.poll(() => editor(page).locator("h2[data-agenda-item]").allTextContents()).toEqual(headingsBefore);
    const under = heading.locator("xpath=following-sibling::*[position() <= 3]");
    await expect.poll(() => under.allTextContents()).toEqual(expect.arrayContaining([`typed ${stamp}`, `entered ${stamp}`, `pasted ${stamp}`]));
    expect(await heading.textContent()).toBe(title);
    // And the server has it: a reload shows the lines under the heading.
    await page.getByText("Saved: the server has every change.").waitFor();
    await page.reload();
    await hydrated(page);
    await expect.poll(() => documentText(page), { timeout: 10_000 }).toContain(`typed ${stamp}`);
    await context.close();
  }, 60_000);

  it("converge when three delegations type at once, merge a fourth's offline edits, and stay closed to an official's typing", async () => {
    const stamp = Date.now().toString(36);
    const writers = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"].map((e) => signedInPage(browser(), e)));
    const [us, jp, kr] = writers.map((w) => w.page);
    const path = await openMinutes(us);
    await Promise.all(
      [jp, kr].map(async (p) => {
        await visit(p, path);
        await p.getByText("Saved: the server has every change.").waitFor();
      }),
    );
    // Everyone sees everyone else in the presence list.
    await us.getByRole("list", { name: "Writing now" }).getByText(/田中 美咲/).waitFor();

    const lines = { us: `US note ${stamp}`, jp: `日本側のメモ ${stamp}`, kr: `한국 측 메모 ${stamp}` };
    await Promise.all([typeAtEnd(us, lines.us), typeAtEnd(jp, lines.jp), typeAtEnd(kr, lines.kr)]);
    for (const [n, p] of [us, jp, kr].entries())
      for (const line of Object.values(lines))
        await expect
          .poll(() => documentText(p), { timeout: 15_000 })
          .toContain(line)
          .catch(async (error) => {
            // Which page has what, and what each says about its connection and refused changes.
            const states = await Promise.all(
              [us, jp, kr].map(
                async (q) =>
                  `${await q.locator(".minutes-editor__status").textContent()} | not saved shown: ${await q.locator("#refused-title").count()} ${await q.locator("[data-refused-text]").allTextContents()} | caret in: ${await q.evaluate(() => {
                    const node = document.getSelection()?.anchorNode;
                    const block = (node instanceof Element ? node : node?.parentElement)?.closest("h2, h3, p, li");
                    return `${block?.tagName ?? "none"} ${block?.getAttribute("data-agenda-item") ?? ""} "${(block?.textContent ?? "").slice(0, 60)}" focused=${document.activeElement?.getAttribute("aria-label")}`;
                  })} | ${(await documentText(q)).slice(-300)}`,
              ),
            );
            throw new Error(`page ${n} lacks "${line}": ${error}\n${states.join("\n")}`);
          });
    // Converged: the same document everywhere (other people's caret labels aside), and each
    // line whole, once, in a block of its own (an Enter at the end of a line someone else was
    // still typing used to split it: "U note …" and "…S" at the end of another line).
    await expect.poll(async () => new Set(await Promise.all([us, jp, kr].map(async (p) => JSON.stringify(await blockTexts(p))))).size, { timeout: 10_000 }).toBe(1);
    const shown = await blockTexts(us);
    for (const line of Object.values(lines)) expect(shown.filter((b) => b === line), `"${line}" in ${JSON.stringify(shown.slice(-5))}`).toHaveLength(1);
    // What is stored is what they see: a fresh page gets the same.
    for (const p of [us, jp, kr]) await p.getByText("Saved: the server has every change.").waitFor({ timeout: 20_000 });

    // A fourth writer loses the network, keeps typing, and comes back.
    const { context: fourthContext, page: fourth } = await signedInPage(browser(), "us.head@concord.test");
    await visit(fourth, path);
    await fourth.getByText("Saved: the server has every change.").waitFor();
    expect(await blockTexts(fourth)).toEqual(shown);
    await fourthContext.setOffline(true);
    await fourth.getByRole("status").filter({ hasText: /Offline:/ }).first().waitFor({ timeout: 15_000 });
    const offline = `Written offline ${stamp}`;
    await typeAtEnd(fourth, offline);
    await fourthContext.setOffline(false);
    await fourth.getByText("Saved: the server has every change.").waitFor({ timeout: 20_000 });
    for (const p of [us, jp, kr]) await editor(p).getByText(offline).waitFor({ timeout: 15_000 });

    // An official reads but cannot type.
    const { context: officialContext, page: official } = await signedInPage(browser(), "jp.official@concord.test");
    await visit(official, path);
    await official.getByText("You can read these minutes but not edit them.").waitFor();
    await editor(official).getByText(lines.jp).waitFor();
    await expect(editor(official).getAttribute("contenteditable")).resolves.toBe("false");
    await editor(official).click();
    await official.keyboard.type("official typing");
    await us.waitForTimeout(500);
    await expect(editor(us).innerText()).resolves.not.toContain("official typing");

    await officialContext.close();
    await fourthContext.close();
    await Promise.all(writers.map((w) => w.context.close()));
  }, 150_000); // five browsers on a loaded two-core machine

});

/** Opens a raw WebSocket to /collab and resolves with the HTTP status of a refused upgrade, or "open". */
function tryConnect(headers: Record<string, string>): Promise<number | "open"> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${baseUrl().replace("http", "ws")}/collab`, { headers });
    socket.on("open", () => {
      socket.close();
      resolve("open");
    });
    socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    socket.on("error", () => resolve(0));
  });
}

describe("the collaboration socket", () => {
  it("refuses a connection without a session or from a foreign origin, and upgrades nothing but /collab", async () => {
    const { context } = await signedInPage(browser(), "jp.delegate@concord.test");
    const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    await expect(tryConnect({ origin: baseUrl() })).resolves.toBe(401);
    await expect(tryConnect({ origin: "https://evil.example", cookie })).resolves.toBe(403);
    await expect(tryConnect({ cookie })).resolves.toBe(403);
    await expect(tryConnect({ origin: baseUrl(), cookie })).resolves.toBe("open");
    const other = await new Promise<number>((resolve) => {
      const socket = new WebSocket(`${baseUrl().replace("http", "ws")}/elsewhere`, { headers: { origin: baseUrl(), cookie } });
      socket.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
      socket.on("error", () => resolve(0));
    });
    expect(other).toBe(404);
    await context.close();
  });
});
