import type { BrowserContext, Page } from "playwright-core";
import { afterEach, describe, expect, it } from "vitest";
import { openNextMeeting, signedInPage, useBrowser, visit } from "./helpers";

/**
 * The minutes page opens with a live view of the shared text and loads the editor only when a
 * writer starts editing (ADR 056): what each person's browser fetches, how the editor takes over
 * (caret, keys typed meanwhile), that the view is the editor's HTML, and the offline case.
 */

const browser = useBrowser();
/** Every context a test opened: closed after it, passed or failed (a failed test's pages must not stay in the next one's document). */
const contexts = new Set<BrowserContext>();
afterEach(async () => {
  await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
  contexts.clear();
});

async function person(email: string, width?: number) {
  const opened = await signedInPage(browser(), email, { width });
  contexts.add(opened.context);
  return opened;
}
const SAVED = "Saved: the server has every change.";
/** The editor's own chunk (ProseMirror and tiptap come with it, in chunks of their own). */
const EDITOR_CHUNK = /\/minutes-editor\.client-[^/]+\.js$/;

const textbox = (page: Page) => page.getByRole("textbox", { name: "Minutes text" });
const status = (page: Page) => page.locator(".minutes-editor__status");

/** Whether the text box on the page is ProseMirror's (the editor has taken over) rather than the view. */
const isEditor = (page: Page) => textbox(page).evaluate((el) => "pmViewDesc" in el);

/** Every script the page requests, from now on. */
function scriptsOf(page: Page): string[] {
  const urls: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script" || request.url().endsWith(".js")) urls.push(request.url());
  });
  return urls;
}

async function openMinutes(page: Page, expected = SAVED) {
  const path = await openNextMeeting(page, "trilateral-cyber", "Minutes");
  await status(page).filter({ hasText: expected }).waitFor({ timeout: 30_000 });
  return path;
}

async function open(page: Page, path: string, expected = SAVED) {
  await visit(page, path);
  await status(page)
    .filter({ hasText: expected })
    .waitFor({ timeout: 30_000 })
    .catch(async (error) => {
      // Seen once in a full run (a fresh page short of "Saved" for 30 s, as minutes-live.test.ts has seen): say what it showed.
      throw new Error(`the status read ${JSON.stringify(await status(page).textContent().catch(() => null))} after 30 s at ${path}`, { cause: error });
    });
}

/** Types `line` on a new line at the end of the text, in a page whose editor has taken over (or takes over on the click). */
async function writeLine(page: Page, line: string) {
  await textbox(page).locator(":scope > *").last().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(line, { delay: 5 });
  await expect.poll(() => isEditor(page), { timeout: 15_000 }).toBe(true);
}

/** Holds the editor's code back until the returned function lets it go, so every key meanwhile waits for it. */
async function holdEditor(page: Page): Promise<() => void> {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(EDITOR_CHUNK, async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

/**
 * The browser reports a caret moved by a click a task later ("selectionchange"); while held, the
 * report does not reach the page at all, as when something happens before it comes.
 */
async function selectionReports(page: Page) {
  await page.evaluate(() => {
    document.addEventListener("selectionchange", (event) => (window as unknown as { held?: boolean }).held && event.stopImmediatePropagation(), true);
  });
  return { hold: (held: boolean) => page.evaluate((held) => void ((window as unknown as { held?: boolean }).held = held), held) };
}

/** Clicks in the view (or the editor) just before `offset` characters into the first text containing `text`. */
async function clickInText(page: Page, text: string, offset: number) {
  const point = await textbox(page).evaluate(
    (root, [text, offset]) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.nodeValue!.indexOf(text as string);
        if (at < 0) continue;
        node.parentElement!.scrollIntoView({ block: "center" });
        const range = document.createRange();
        range.setStart(node, at + (offset as number));
        range.setEnd(node, at + (offset as number) + 1);
        const box = range.getBoundingClientRect();
        return { x: box.left + 1, y: box.top + box.height / 2 };
      }
      return null;
    },
    [text, offset] as const,
  );
  if (!point) throw new Error(`no "${text}" in the text`);
  await page.mouse.click(point.x, point.y);
}

/** Where the block holding `text` is on the page (from the top of the document, whatever the scroll). */
const blockTop = (page: Page, text: string) =>
  textbox(page)
    .locator(":scope > *", { hasText: text })
    .last()
    .evaluate((el) => el.getBoundingClientRect().top + window.scrollY);

/** The blocks' texts, without other people's carets. */
const blockTexts = (page: Page) =>
  textbox(page).evaluate((el) =>
    [...el.children].map((block) => {
      const copy = block.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
      return copy.textContent ?? "";
    }),
  );

/** The text box's HTML without what the editor draws of other people (their carets and selections). */
const documentHtml = (page: Page) =>
  textbox(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    copy.querySelectorAll(".collaboration-carets__selection").forEach((c) => c.replaceWith(...c.childNodes));
    copy.querySelectorAll(".ProseMirror-selectednode").forEach((c) => c.classList.remove("ProseMirror-selectednode"));
    copy.querySelectorAll('[class=""]').forEach((c) => c.removeAttribute("class"));
    copy.normalize();
    return copy.innerHTML;
  });

describe("the minutes page's live view", () => {
  it("fetches no editor for a reader, nor for a writer who has not touched the text; a writer's pointer fetches it", async () => {
    const { context: readerContext, page: reader } = await person("jp.official@concord.test");
    const { context: writerContext, page: writer } = await person("kr.delegate@concord.test");
    const readerScripts = scriptsOf(reader);
    const writerScripts = scriptsOf(writer);
    const path = await openMinutes(reader, "Read only");
    await open(writer, path);
    // The text is there, live, as the same text box, for both.
    for (const page of [reader, writer]) await textbox(page).locator("h2[data-agenda-item]").first().waitFor();
    await textbox(reader).hover();
    await textbox(reader).click();
    await reader.keyboard.type("a reader typing");
    await writer.waitForTimeout(1500);
    expect(readerScripts.filter((u) => EDITOR_CHUNK.test(u))).toEqual([]);
    expect(writerScripts.filter((u) => EDITOR_CHUNK.test(u))).toEqual([]);
    expect(await isEditor(reader)).toBe(false);
    expect(await isEditor(writer)).toBe(false);
    expect(await textbox(reader).getAttribute("aria-readonly")).toBe("true");
    expect(await textbox(reader).getAttribute("contenteditable")).toBe("false");
    expect(await textbox(writer).getAttribute("aria-readonly")).toBeNull();
    // Pointing at the text fetches the editor's code (this test sees it when it comes) but builds no editor.
    await textbox(writer).hover();
    await expect.poll(() => writerScripts.filter((u) => EDITOR_CHUNK.test(u)).length, { timeout: 10_000 }).toBe(1);
    await writer.waitForTimeout(500);
    expect(await isEditor(writer)).toBe(false);
    await Promise.all([readerContext.close(), writerContext.close()]);
  }, 90_000);

  it("puts what a writer types at once, before the editor has loaded, where they clicked; a peer sees it live", async () => {
    const { context: peerContext, page: peer } = await person("us.delegate@concord.test");
    const { context: writerContext, page: writer } = await person("jp.delegate@concord.test");
    const stamp = Date.now().toString(36);
    const line = `${stamp} alpha omega ${stamp}`;
    const path = await openMinutes(peer);
    await writeLine(peer, line);
    await status(peer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });

    await open(writer, path);
    await textbox(writer).getByText(line).waitFor();
    expect(await isEditor(writer)).toBe(false);
    const top = await blockTop(writer, line);
    // Between "alpha " and "omega", then straight away: no waiting for the editor.
    await clickInText(writer, line, `${stamp} alpha `.length);
    await writer.keyboard.type("XYZ ");
    await writer.keyboard.press("Enter");
    await writer.keyboard.type("next ");
    const expected = [`${stamp} alpha XYZ `, `next omega ${stamp}`];
    for (const page of [writer, peer])
      await expect.poll(async () => (await blockTexts(page)).filter((b) => b.includes(stamp)), { timeout: 15_000 }).toEqual(expected);
    expect(await isEditor(writer)).toBe(true);
    // The editor took over where the view was: nothing under the writer's pointer moved (its toolbar was already drawn).
    expect(await blockTop(writer, `${stamp} alpha XYZ`)).toBe(top);
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    await Promise.all([peerContext.close(), writerContext.close()]);
  }, 90_000);

  it("puts keys typed after a click the view had not yet heard of where that click put the caret", async () => {
    const { context: peerContext, page: peer } = await person("us.delegate@concord.test");
    const { context: writerContext, page: writer } = await person("kr.delegate@concord.test");
    const stamp = Date.now().toString(36);
    const path = await openMinutes(peer);
    await writeLine(peer, `${stamp} first line`);
    await peer.keyboard.press("Enter");
    await peer.keyboard.type(`${stamp} second line`, { delay: 5 });
    await status(peer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });

    // The editor's code is held back until the test lets it go, so every key below waits for it.
    const release = await holdEditor(writer);
    await open(writer, path);
    await textbox(writer).getByText(`${stamp} second line`).waitFor();
    // The browser reports a caret moved by a click a task later ("selectionchange"); here it does
    // not reach the page at all while held, as when the editor takes over before the report comes.
    const reports = await selectionReports(writer);
    await clickInText(writer, `${stamp} first line`, `${stamp} first`.length);
    await writer.keyboard.type("A");
    await reports.hold(true);
    await clickInText(writer, `${stamp} second line`, `${stamp} second`.length);
    await writer.keyboard.type("B");
    await reports.hold(false);
    expect(await isEditor(writer)).toBe(false);
    release();
    const expected = [`${stamp} firstA line`, `${stamp} secondB line`];
    for (const page of [writer, peer])
      await expect.poll(async () => (await blockTexts(page)).filter((b) => b.includes(stamp)), { timeout: 15_000 }).toEqual(expected);
    await Promise.all([peerContext.close(), writerContext.close()]);
  }, 90_000);

  // A redraw puts a caret in a redrawn line back where the view last knew it to be: a click the
  // browser has not yet reported must be read first, or the keys after it go to the line before.
  for (const redraw of ["the page's data comes back and the chips are drawn again", "another delegate writes in the line clicked"] as const)
    it(`keeps a click the view had not yet heard of when ${redraw}`, async () => {
      const { page: peer } = await person("us.delegate@concord.test");
      const { page: writer } = await person("kr.delegate@concord.test");
      const stamp = Date.now().toString(36);
      const path = await openMinutes(peer);
      await writeLine(peer, `${stamp} one`);
      await peer.keyboard.press("Enter");
      await peer.keyboard.type(`${stamp} two`, { delay: 5 });
      await status(peer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });

      const release = await holdEditor(writer);
      await open(writer, path);
      await textbox(writer).getByText(`${stamp} two`).waitFor();
      const reports = await selectionReports(writer);
      await clickInText(writer, `${stamp} one`, `${stamp} one`.length - 1);
      await reports.hold(true);
      await clickInText(writer, `${stamp} two`, `${stamp} two`.length - 1);
      if (redraw === "another delegate writes in the line clicked") {
        await clickInText(peer, `${stamp} two`, 0);
        await peer.keyboard.press("Home");
        await peer.keyboard.type("P ", { delay: 5 });
        await textbox(writer).getByText(`P ${stamp} two`).waitFor({ timeout: 10_000 });
      } else {
        // Coming back to the tab reloads the page's data; the chips' titles come with it.
        const reloaded = writer.waitForResponse((r) => r.url().includes("_data=routes%2F_app.meetings.%24meetingId.minutes"));
        await writer.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
        await reloaded;
        await writer.waitForTimeout(200);
      }
      await writer.keyboard.type("Z");
      await reports.hold(false);
      expect(await isEditor(writer)).toBe(false);
      release();
      const expected = [`${stamp} one`, `${redraw === "another delegate writes in the line clicked" ? "P " : ""}${stamp} twZo`];
      for (const page of [writer, peer])
        await expect.poll(async () => (await blockTexts(page)).filter((b) => b.includes(stamp)), { timeout: 15_000 }).toEqual(expected);
    }, 90_000);

  it("keeps a writer's caret where they clicked while another delegate writes above it, before the editor has loaded", async () => {
    const { page: peer } = await person("us.delegate@concord.test");
    const { page: writer } = await person("kr.delegate@concord.test");
    const stamp = Date.now().toString(36);
    const path = await openMinutes(peer);
    await writeLine(peer, `${stamp} above`);
    await peer.keyboard.press("Enter");
    await peer.keyboard.type(`${stamp} below`, { delay: 5 });
    await peer.keyboard.press("Enter");
    await peer.keyboard.type(`${stamp} last`, { delay: 5 });
    await status(peer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });

    const release = await holdEditor(writer);
    await open(writer, path);
    await textbox(writer).getByText(`${stamp} below`).waitFor();
    // The writer's caret at the end of the middle line; the peer then writes in the line above it,
    // and the view draws that line again while the writer's keys wait for the editor (it moved
    // the lines after the one it drew, and the browser put the caret at the end of the text).
    await clickInText(writer, `${stamp} below`, `${stamp} below`.length - 1);
    await writer.keyboard.press("End");
    await writer.keyboard.type(" K", { delay: 5 });
    await clickInText(peer, `${stamp} above`, `${stamp} above`.length - 1);
    await peer.keyboard.press("End");
    await peer.keyboard.type(" P", { delay: 5 });
    await textbox(writer).getByText(`${stamp} above P`).waitFor({ timeout: 10_000 });
    await writer.keyboard.type("R", { delay: 5 });
    expect(await isEditor(writer)).toBe(false);
    release();
    const expected = [`${stamp} above P`, `${stamp} below KR`, `${stamp} last`];
    for (const page of [writer, peer])
      await expect.poll(async () => (await blockTexts(page)).filter((b) => b.includes(stamp)), { timeout: 15_000 }).toEqual(expected);
  }, 90_000);

  it("keeps a keyboard user's place across the take-over: a toolbar button pressed before the editor came stays focused, then works and says it is on", async () => {
    const { context, page: writer } = await person("jp.delegate@concord.test");
    const stamp = Date.now().toString(36);
    await openMinutes(writer);
    expect(await isEditor(writer)).toBe(false);
    const bold = writer.getByRole("toolbar", { name: "Formatting" }).getByRole("button", { name: "Bold" });
    expect(await bold.getAttribute("aria-disabled")).toBe("true");
    await bold.focus();
    await writer.keyboard.press("Enter");
    await expect.poll(() => isEditor(writer), { timeout: 15_000 }).toBe(true);
    // The same button, now the editor's, still has the focus (it was taken away with the view's toolbar).
    await expect.poll(() => writer.evaluate(() => (document.activeElement as HTMLElement | null)?.getAttribute("title"))).toBe("Bold");
    expect(await bold.getAttribute("aria-disabled")).toBeNull();
    await writeLine(writer, `Plain ${stamp} `);
    await bold.click();
    await expect.poll(() => bold.getAttribute("aria-pressed")).toBe("true");
    await writer.keyboard.type(`strong ${stamp}`);
    await textbox(writer).locator("strong", { hasText: `strong ${stamp}` }).waitFor({ timeout: 5_000 });
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    await context.close();
  }, 90_000);

  it("keeps the text where it is when someone comes or goes (at a phone's width, where the status and the names wrap)", async () => {
    const { context: writerContext, page: writer } = await person("kr.head@concord.test", 390);
    const path = await openMinutes(writer);
    const presence = writer.getByRole("list", { name: "Writing now" }).getByRole("listitem");
    const first = textbox(writer).locator(":scope > *").first();
    const top = () => first.evaluate((el) => el.getBoundingClientRect().top + window.scrollY);
    await expect.poll(() => presence.count(), { timeout: 10_000 }).toBe(1);
    const alone = await top();
    const others = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test"].map((email) => person(email)));
    await Promise.all(others.map(({ page }) => open(page, path)));
    await expect.poll(() => presence.count(), { timeout: 10_000 }).toBe(3);
    expect(await top()).toBe(alone);
    await Promise.all(others.map(({ context }) => context.close()));
    await expect.poll(() => presence.count(), { timeout: 40_000 }).toBe(1);
    expect(await top()).toBe(alone);
    await writerContext.close();
  }, 120_000);

  it("shows a reader what a writer types within a second, a new chip with the reader's own title and a heading included", async () => {
    const { context: readerContext, page: reader } = await person("us.delegate@concord.test");
    const { context: writerContext, page: writer } = await person("jp.delegate@concord.test");
    const stamp = Date.now().toString(36);
    const path = await openMinutes(writer);
    await open(reader, path);
    const words = `Share the indicators ${stamp}`;
    await writeLine(writer, words);
    await textbox(reader).getByText(words).waitFor({ timeout: 1_000 });
    expect(await isEditor(reader)).toBe(false);

    // A chip: its title is the reader's page's (ADR 042), never the document's.
    await writer.keyboard.press("Shift+Home");
    await writer.getByRole("button", { name: "Action item" }).click();
    await writer.getByText(/^Action item No\.\d+ created\.$/).waitFor({ timeout: 10_000 });
    const chip = writer.locator(".minutes-editor span[data-action-item]").filter({ hasText: words });
    await chip.waitFor();
    const id = (await chip.getAttribute("data-action-item"))!;
    const ref = (await chip.getAttribute("data-ref"))!;
    const readerChip = reader.locator(`.minutes-editor span[data-action-item="${id}"]`);
    await readerChip.waitFor({ timeout: 1_000 });
    // Unknown to the reader's page when it arrived: the page asks for its data again and the chip reads the title.
    await expect.poll(() => readerChip.textContent(), { timeout: 10_000 }).toBe(`No.${ref} ${words}`);
    expect(await readerChip.getAttribute("data-ref")).toBe(ref);
    expect(await readerChip.getAttribute("contenteditable")).toBe("false");

    // A heading.
    const heading = `Side meeting ${stamp}`;
    await writer.keyboard.press("End");
    await writer.keyboard.press("Enter");
    await writer.keyboard.type(heading, { delay: 5 });
    await writer.getByRole("button", { name: "Subheading" }).click();
    await textbox(writer).locator("h3", { hasText: heading }).waitFor();
    await textbox(reader).locator("h3", { hasText: heading }).waitFor({ timeout: 1_000 });
    expect(await isEditor(reader)).toBe(false);
    await Promise.all([readerContext.close(), writerContext.close()]);
  }, 90_000);

  it("is the editor's HTML for a document with every node and mark", async () => {
    const { context: writerContext, page: writer } = await person("jp.delegate@concord.test");
    const { context: otherContext, page: other } = await person("kr.delegate@concord.test");
    const stamp = Date.now().toString(36);
    const path = await openMinutes(writer);
    await writeLine(writer, `Every node ${stamp}`);
    // Headings, lists, a quote, marks (a link with its rel), a hard break, an empty paragraph: pasted as HTML.
    await writer.evaluate((stamp: string) => {
      const html =
        `<h2>Heading ${stamp}</h2><h3>Sub ${stamp}</h3>` +
        `<p><strong>bold</strong> <em>italic</em> <u>under</u> <s>strike</s> <code>code</code> <a href="https://example.org/${stamp}">link</a> ` +
        `<strong><em>both</em></strong> <a href="https://example.org/b"><strong>bold link</strong></a><br>after a break<br></p><p></p>` +
        `<ul><li><p>bullet ${stamp}</p></li><li><p>second</p></li></ul><ol><li><p>first</p></li></ol><ol start="3"><li><p>third</p></li></ol>` +
        `<blockquote><p>quoted ${stamp}</p></blockquote><p>decided ${stamp}</p>`;
      const data = new DataTransfer();
      data.setData("text/html", html);
      data.setData("text/plain", "");
      document.querySelector(".ProseMirror[aria-label='Minutes text']")!.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, stamp);
    // A decision (numbered by the server) and a chip at the end of a line.
    await textbox(writer).getByText(`decided ${stamp}`).click();
    await writer.getByRole("button", { name: "Decision" }).click();
    await writer.keyboard.press("End");
    await writer.keyboard.press("Enter");
    await writer.keyboard.type(`Chip at the end ${stamp}`);
    await writer.keyboard.press("Shift+Home");
    await writer.getByRole("button", { name: "Action item" }).click();
    await writer.getByText(/^Action item No\.\d+ created\.$/).waitFor({ timeout: 10_000 });
    await textbox(writer).locator("div.decision[data-number]", { hasText: `decided ${stamp}` }).waitFor({ timeout: 20_000 });
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    // Gone before the comparison: another person's caret is the editor's decoration, not the document.
    await writerContext.close();

    await open(other, path);
    await textbox(other).locator("span[data-action-item]", { hasText: `Chip at the end ${stamp}` }).waitFor({ timeout: 15_000 });
    await textbox(other).locator("div.decision[data-number]", { hasText: `decided ${stamp}` }).waitFor();
    expect(await isEditor(other)).toBe(false);
    const view = await documentHtml(other);
    for (const part of ["<strong>", "<em>", "<u>", "<s>", "<code>", 'rel="noopener noreferrer nofollow"', "<blockquote>", '<ol start="3">', "<ul>", "<h3>", "data-agenda-item", 'class="decision"', 'class="action-chip"', "ProseMirror-trailingBreak", "ProseMirror-separator", "<br>"])
      expect(view, part).toContain(part);
    // The editor takes over (a click in the text): the same HTML.
    await textbox(other).getByText(`Every node ${stamp}`).click();
    await expect.poll(() => isEditor(other), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => documentHtml(other), { timeout: 5_000 }).toBe(view);
    await otherContext.close();
  }, 120_000);

  it("offline before the editor was ever loaded: the view stays, says so, keeps what is typed; back online the editor loads and it is saved", async () => {
    const { context: peerContext, page: peer } = await person("us.delegate@concord.test");
    const { context: writerContext, page: writer } = await person("kr.head@concord.test");
    const stamp = Date.now().toString(36);
    const path = await openMinutes(peer);
    await writeLine(peer, `Before the cut ${stamp}`);
    await status(peer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    await open(writer, path);
    await textbox(writer).getByText(`Before the cut ${stamp}`).waitFor();

    await writerContext.setOffline(true);
    await status(writer).filter({ hasText: /Offline/ }).waitFor({ timeout: 15_000 });
    // Pointing at the text tries to fetch the editor, and fails: nothing is said, nothing moves.
    await textbox(writer).getByText(`Before the cut ${stamp}`).hover();
    await writer.waitForTimeout(500);
    expect(await writer.getByRole("alert").filter({ hasText: "The editor could not be loaded" }).count()).toBe(0);
    const top = await blockTop(writer, `Before the cut ${stamp}`);
    await clickInText(writer, `Before the cut ${stamp}`, `Before the cut ${stamp}`.length - 1);
    await writer.keyboard.press("End");
    await writer.keyboard.type(" typed offline", { delay: 5 });
    await writer.getByRole("alert").filter({ hasText: "The editor could not be loaded" }).waitFor({ timeout: 10_000 });
    // Said over the page as the writer clicks and types: the line they are in has not moved (it had, and their next click landed two lines up).
    expect(await blockTop(writer, `Before the cut ${stamp}`)).toBe(top);
    // The view is still there, from this browser's copy; what was typed waits for the editor.
    expect(await isEditor(writer)).toBe(false);
    await textbox(writer).getByText(`Before the cut ${stamp}`).waitFor();

    await writerContext.setOffline(false);
    // The next focus (a click) loads the editor; what was typed goes in where it was typed.
    await writer.locator("h1").click();
    await clickInText(writer, `Before the cut ${stamp}`, `Before the cut ${stamp}`.length - 1);
    await expect.poll(() => isEditor(writer), { timeout: 15_000 }).toBe(true);
    await expect(writer.getByRole("alert").filter({ hasText: "The editor could not be loaded" }).count()).resolves.toBe(0);
    const line = [`Before the cut ${stamp} typed offline`];
    await expect
      .poll(async () => (await blockTexts(writer)).filter((b) => b.includes(stamp)), { timeout: 15_000 })
      .toEqual(line)
      .catch(async (error) => {
        // Intermittent in full runs of this file (2 of 6, never alone): the failure says what the page showed.
        const shown = { status: await status(writer).textContent(), refused: await writer.locator("[data-refused-text]").allTextContents(), alerts: await writer.getByRole("alert").allTextContents(), editor: await isEditor(writer), elsewhere: (await blockTexts(writer)).filter((b) => b.includes("typed offline")) };
        throw new Error(`the words typed offline are not in the writer's text: ${JSON.stringify(shown)}`, { cause: error });
      });
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    await expect.poll(async () => (await blockTexts(peer)).filter((b) => b.includes(stamp)), { timeout: 15_000 }).toEqual(line);
    await Promise.all([peerContext.close(), writerContext.close()]);
  }, 120_000);
});
