import { readFile } from "node:fs/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { PDFParse } from "pdf-parse";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { hydrated } from "./helpers";

/**
 * The live minutes as delegates use them in a real meeting: three delegations typing in their
 * own sections at once, a network that drops, a page reloaded while cut off, a server killed
 * mid-sentence. This file runs its own server (it kills it) behind a TCP proxy the test cuts.
 * `npm run soak` repeats these (SOAK_* variables); `npm test` runs each once.
 */

const REPEAT_SECTIONS = Number(process.env.SOAK_SECTIONS ?? 1);
const REPEAT_KILLS = Number(process.env.SOAK_KILLS ?? 1);
/** Network cuts to try, in seconds: `npm test` one of 30 s; the soak 5 s and 5 minutes. */
const CUTS = (process.env.SOAK_CUT_SECONDS ?? "30").split(",").map(Number);
const LINES = Number(process.env.SOAK_LINES ?? 20);
const FIRST_CLICKS = Number(process.env.SOAK_FIRST_CLICKS ?? 10);

const PASSWORD = "concord-demo";
const SAVED = "Saved: the server has every change.";

let server: RunningServer;
let proxy: TcpProxy;
/** A second way in to the same server, for the one delegate whose network a test cuts. */
let cutOff: TcpProxy;
let browser: Browser;
const pageErrors: string[] = [];
/** Every browser context a test opened: closed after it, passed or failed (a failed run must not leave its browsers typing into the next). */
const contexts = new Set<BrowserContext>();
const whose = new WeakMap<Page, string>();

beforeAll(async () => {
  // The proxy's address is the site's address: the app checks Origin against it.
  const target = { host: "127.0.0.1", port: 0 };
  proxy = await startTcpProxy(target);
  cutOff = await startTcpProxy(target);
  server = await startServer({ env: { PUBLIC_URL: proxy.url, ALLOWED_ORIGINS: proxy.url } });
  target.port = server.port;
  browser = await launchBrowser();
}, 120_000);

afterEach(async ({ task }) => {
  // A failure says what each browser showed: the sections and the status line.
  if (task.result?.state === "fail") {
    for (const page of [...contexts].flatMap((c) => c.pages())) {
      const shown = await Promise.all([sectionsOf(page), status(page).textContent()]).catch((error: Error) => error.message);
      console.error(`after the failure, ${whose.get(page)} at ${page.url()}:`, JSON.stringify(shown, null, 1));
    }
  }
  await Promise.all([...contexts].map((c) => c.close().catch(() => undefined)));
  contexts.clear();
});

afterAll(async () => {
  await browser?.close();
  await proxy?.close();
  await cutOff?.close();
  await server?.stop("SIGTERM");
  if (server) removeServerFiles(server);
});

async function person(email: string, via: TcpProxy = proxy): Promise<Page> {
  const context = await browser.newContext({ baseURL: via.url, locale: "en-US", viewport: { width: 1280, height: 900 } });
  contexts.add(context);
  const page = await context.newPage();
  whose.set(page, email);
  page.on("pageerror", (error) => pageErrors.push(`${email}: ${error.message}`));
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 30_000 }).catch(async () => {
    throw new Error(`${email} could not sign in: ${(await page.locator("main").textContent())?.slice(0, 500)}`);
  });
  await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "detached" });
  await hydrated(page);
  return page;
}

const editor = (page: Page) => page.getByRole("textbox", { name: "Minutes text" });
const status = (page: Page) => page.locator(".minutes-editor__status");

async function openUpcomingMinutes(page: Page): Promise<string> {
  await page.goto("/bodies/trilateral-cyber");
  await hydrated(page);
  const link = page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" });
  await link.waitFor({ timeout: 10_000 }).catch(async () => {
    throw new Error(`no minutes link on ${page.url()}: ${(await page.locator("main").textContent())?.slice(0, 1500)}`);
  });
  await link.click();
  await page.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
  await hydrated(page);
  await status(page).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
  return new URL(page.url()).pathname;
}

async function open(page: Page, path: string, expected = SAVED) {
  await page.goto(path);
  await hydrated(page);
  try {
    await status(page).filter({ hasText: expected }).waitFor({ timeout: 30_000 });
  } catch (error) {
    // In full e2e runs a page opened fresh has twice stayed short of "Saved" for 30 s (it never
    // has alone): say what it showed instead, so the next failure tells where it stopped.
    const shown = await status(page).textContent().catch(() => "(no status line)");
    throw new Error(`${whose.get(page)} at ${path}: the status still read ${JSON.stringify(shown)} after 30 s`, { cause: error });
  }
}

/** The document as sections: each heading with the text of the blocks under it (carets removed). */
function sectionsOf(page: Page) {
  return editor(page).evaluate((root) => {
    const copy = root.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret, .collaboration-carets__selection").forEach((c) => c.remove());
    const sections: Array<{ heading: string; lines: string[] }> = [{ heading: "", lines: [] }];
    for (const child of Array.from(copy.children)) {
      const text = (child.textContent ?? "").trim();
      if (/^H[1-6]$/.test(child.tagName)) sections.push({ heading: text, lines: [] });
      else if (text) sections.at(-1)!.lines.push(...(child.tagName === "UL" || child.tagName === "OL" ? Array.from(child.children).map((li) => (li.textContent ?? "").trim()) : [text]));
    }
    return sections;
  });
}

/**
 * Types `lines` at the end of a section, Enter between them, as a delegate adds to it: a click at
 * the end of the section's last block, End, and Enter first when that block already has text
 * (earlier tests of this file wrote in the same sections; typing on at the end of someone's
 * line would merge the first new line into it).
 */
async function typeInSection(page: Page, heading: string, lines: string[], how: "type" | "insertText") {
  const blocks = editor(page).locator("xpath=./*");
  const tags = await blocks.evaluateAll((els) => els.map((el) => ({ tag: el.tagName, text: (el.textContent ?? "").trim() })));
  const start = tags.findIndex((b) => /^H[1-6]$/.test(b.tag) && b.text === heading);
  if (start < 0) throw new Error(`no section "${heading}" in ${JSON.stringify(tags.map((b) => b.text))}`);
  let last = start + 1;
  while (last + 1 < tags.length && !/^H[1-6]$/.test(tags[last + 1].tag)) last++;
  const block = blocks.nth(last);
  const box = (await block.boundingBox())!;
  await block.click({ position: { x: Math.max(1, box.width - 4), y: Math.max(1, box.height - 4) } });
  await page.keyboard.press("End");
  if (tags[last].text) await page.keyboard.press("Enter");
  for (const [i, line] of lines.entries()) {
    if (how === "type") await page.keyboard.type(line, { delay: 8 });
    else await page.keyboard.insertText(line);
    if (i < lines.length - 1) await page.keyboard.press("Enter");
    await page.waitForTimeout(20);
  }
}

const agendaHeadings = async (page: Page) => (await sectionsOf(page)).map((s) => s.heading).filter((h) => /^\d+\. /.test(h));

/**
 * Waits until `page` shows every line, each as a whole block of its own (another person's caret,
 * drawn inside the line they type in, is not part of the text), and returns the sections.
 */
async function waitForLines(page: Page, lines: string[], timeout: number) {
  await expect
    .poll(async () => { const shown = new Set((await sectionsOf(page)).flatMap((s) => s.lines)); return lines.filter((l) => !shown.has(l)); }, { timeout })
    .toEqual([]);
  return sectionsOf(page);
}

/** Every `line` is in `heading`'s section, exactly once, and nowhere else. */
function expectPlaced(sections: Array<{ heading: string; lines: string[] }>, heading: string, lines: string[]) {
  for (const line of lines) {
    const where = sections.flatMap((s) => s.lines.filter((l) => l === line).map(() => s.heading));
    expect(where, `"${line}"`).toEqual([heading]);
  }
}

// A soak that turns one proof off (SOAK_…=0) skips its suite rather than leaving it empty (vitest fails an empty suite).
describe.skipIf(REPEAT_SECTIONS === 0)("three delegations typing in three sections at once", () => {
  for (let run = 0; run < REPEAT_SECTIONS; run++) {
    it(`puts every line where it was typed (run ${run + 1})`, async () => {
      const [us, jp, kr] = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"].map((email) => person(email)));
      const path = await openUpcomingMinutes(us);
      await Promise.all([open(jp, path), open(kr, path)]);
      const headings = await agendaHeadings(us);
      expect(headings.length).toBeGreaterThanOrEqual(3);
      const stamp = `${Date.now().toString(36)}${run}`;
      const lines = {
        us: Array.from({ length: LINES }, (_, i) => `US ${stamp} line ${i + 1} on the joint advisory`),
        jp: Array.from({ length: LINES }, (_, i) => `日本 ${stamp} 第${i + 1}行 共同勧告について`),
        kr: Array.from({ length: LINES }, (_, i) => `한국 ${stamp} ${i + 1}번째 줄 공동 권고`),
      };
      await Promise.all([typeInSection(us, headings[0], lines.us, "type"), typeInSection(jp, headings[1], lines.jp, "insertText"), typeInSection(kr, headings[2], lines.kr, "insertText")]);
      for (const p of [us, jp, kr])
        await status(p)
          .filter({ hasText: SAVED })
          .waitFor({ timeout: 60_000 })
          .catch(async (error) => {
            throw new Error(`${error}; statuses: ${await Promise.all([us, jp, kr].map((q) => status(q).textContent()))}; server: ${server.output().slice(-1500)}`);
          });

      // Converged, and every line in its own section; no new heading.
      await expect.poll(async () => new Set(await Promise.all([us, jp, kr].map(async (p) => JSON.stringify(await sectionsOf(p))))).size, { timeout: 15_000 }).toBe(1);
      const sections = await sectionsOf(us);
      expect(await agendaHeadings(us)).toEqual(headings);
      expect(sections.filter((s) => s.heading === "Attendance").length, JSON.stringify(sections).slice(0, 3000)).toBe(1);
      expect(sections[0]).toEqual({ heading: "", lines: [] });
      expectPlaced(sections, headings[0], lines.us);
      expectPlaced(sections, headings[1], lines.jp);
      expectPlaced(sections, headings[2], lines.kr);

      // What is stored is what everyone sees: a fresh reader (an official, read only) gets the same.
      const official = await person("jp.official@concord.test");
      await open(official, path, "Read only");
      await expect.poll(async () => JSON.stringify(await sectionsOf(official)), { timeout: 15_000 }).toBe(JSON.stringify(sections));
      await Promise.all([us, jp, kr, official].map((p) => p.context().close()));
      expect(pageErrors).toEqual([]);
    }, 180_000);
  }
});

describe.skipIf(FIRST_CLICKS === 0)("a delegate's first click into a page just opened, while another delegation types", () => {
  it(`lands where it was made, every time (${FIRST_CLICKS} page loads)`, async () => {
    // Before the fix 2 of 15 first lines went into "Attendance" or above it: a remote change
    // arriving before the editor had read the click put the caret back at the document's start.
    const typer = await person("us.delegate@concord.test");
    const path = await openUpcomingMinutes(typer);
    const clicker = await person("jp.delegate@concord.test");
    const headings = await agendaHeadings(typer);
    let typing = true;
    const typed = (async () => {
      await typeInSection(typer, headings[2], [`Typed meanwhile ${Date.now().toString(36)}`], "type");
      for (let i = 0; typing; i++) {
        await typer.keyboard.type(` w${i}`, { delay: 5 });
        if (i % 5 === 4) await typer.keyboard.press("Enter");
      }
    })();
    const misplaced: string[] = [];
    for (let n = 0; n < FIRST_CLICKS; n++) {
      await open(clicker, path);
      const line = `First click ${n} ${Date.now().toString(36)}`;
      await typeInSection(clicker, headings[1], [line], "insertText");
      await status(clicker).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
      const sections = await sectionsOf(clicker);
      const where = sections.filter((s) => s.heading.includes(line) || s.lines.includes(line)).map((s) => (s.heading.includes(line) ? `in the heading "${s.heading}"` : s.heading));
      if (where.length !== 1 || where[0] !== headings[1]) misplaced.push(`${line}: ${JSON.stringify(where)}`);
    }
    typing = false;
    await typed;
    expect(misplaced).toEqual([]);
    await Promise.all([typer, clicker].map((p) => p.context().close()));
    expect(pageErrors).toEqual([]);
  }, 300_000);
});

describe("a delegate whose network drops", () => {
  for (const CUT_SECONDS of CUTS) {
    it(`keeps typing for ${CUT_SECONDS} s cut off while others type on, then everything merges in place; and a reload while cut off loses nothing`, async () => {
      // Only the writer's network drops; Tokyo types on in another section meanwhile.
      const writer = await person("us.head@concord.test", cutOff);
      const reader = await person("kr.delegate@concord.test");
      const typist = await person("jp.delegate@concord.test");
      const path = await openUpcomingMinutes(writer);
      await Promise.all([open(reader, path), open(typist, path)]);
      const headings = await agendaHeadings(writer);
      const stamp = Date.now().toString(36);

      cutOff.cut();
      await status(writer).filter({ hasText: /Offline/ }).waitFor({ timeout: 20_000 });
      expect(cutOff.open().websockets).toBe(0); // the socket is closed at the server's end too
      const offline = Array.from({ length: 5 }, (_, i) => `Typed offline ${stamp} ${i + 1}`);
      const meanwhile = Array.from({ length: 5 }, (_, i) => `東京より ${stamp} ${i + 1}`);
      await Promise.all([typeInSection(writer, headings[1], offline, "type"), typeInSection(typist, headings[0], meanwhile, "insertText")]);
      await writer.waitForTimeout(CUT_SECONDS * 1000);
      // Nothing of the writer's reached the server meanwhile.
      expect(cutOff.bytesSinceCut()).toBe(0);
      expect(await writer.getByText("Something went wrong").count()).toBe(0);
      expect((await sectionsOf(reader)).flatMap((s) => s.lines)).not.toContain(offline[0]);
      cutOff.restore();
      await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 40_000 });
      for (const page of [reader, typist, writer]) {
        const sections = await waitForLines(page, [...offline, ...meanwhile], 40_000);
        expectPlaced(sections, headings[1], offline);
        expectPlaced(sections, headings[0], meanwhile);
      }

      // Cut off again (WebSocket only, so the page itself can load), type, reload: the browser's copy keeps it.
      cutOff.cut({ only: "websocket" });
      await status(writer).filter({ hasText: /Offline|Connecting/ }).waitFor({ timeout: 20_000 });
      const beforeReload = Array.from({ length: 3 }, (_, i) => `Typed before a reload ${stamp} ${i + 1}`);
      await typeInSection(writer, headings[2], beforeReload, "type");
      await writer.waitForTimeout(1500); // y-indexeddb writes within a second
      await writer.reload();
      await hydrated(writer);
      await waitForLines(writer, beforeReload, 20_000);
      expect(await editor(reader).getByText(beforeReload[0]).count()).toBe(0);
      cutOff.restore();
      expectPlaced(await waitForLines(reader, beforeReload, 40_000), headings[2], beforeReload);
      await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 40_000 });
      await Promise.all([writer, reader, typist].map((p) => p.context().close()));
      expect(pageErrors).toEqual([]);
    }, 240_000 + CUT_SECONDS * 1000);
  }
});

describe.skipIf(REPEAT_KILLS === 0)("a server killed while three browsers type", () => {
  for (let run = 0; run < REPEAT_KILLS; run++) {
    it(`keeps every change a browser showed as saved, and the browsers' unsaved changes arrive after the restart (run ${run + 1})`, async () => {
      const pages = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test", "kr.head@concord.test"].map((email) => person(email)));
      const path = await openUpcomingMinutes(pages[0]);
      await Promise.all(pages.slice(1).map((p) => open(p, path)));
      const headings = await agendaHeadings(pages[0]);
      const stamp = `${Date.now().toString(36)}k${run}`;
      const saved = pages.map((_, n) => Array.from({ length: 5 }, (_, i) => `saved ${stamp} p${n} ${i}`));
      await Promise.all(pages.map((p, n) => typeInSection(p, headings[n], saved[n], "insertText")));
      for (const p of pages) await status(p).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });

      // Keep typing; kill the server mid-way.
      const more = pages.map((_, n) => Array.from({ length: 10 }, (_, i) => `more ${stamp} p${n} ${i}`));
      const typing = Promise.all(pages.map((p, n) => typeInSection(p, headings[n], more[n], "type")));
      await pages[0].waitForTimeout(700);
      await server.stop("SIGKILL");
      await typing;
      for (const p of pages) await status(p).filter({ hasText: /Offline|Connecting/ }).waitFor({ timeout: 30_000 });
      server = await startServer({ port: server.port, databaseFile: server.databaseFile, env: { PUBLIC_URL: proxy.url, ALLOWED_ORIGINS: proxy.url } });

      // They reconnect on their own and send what the server had not acknowledged.
      for (const p of pages) await status(p).filter({ hasText: SAVED }).waitFor({ timeout: 60_000 });
      const reader = await person("jp.official@concord.test");
      await open(reader, path, "Read only");
      // "Read only" shows once the server's text has arrived; the editor renders it a moment later.
      const expected = [...saved.flat(), ...more.flat()];
      const sections = await waitForLines(reader, expected, 20_000);
      for (const [n, lines] of saved.entries()) expectPlaced(sections, headings[n], lines);
      for (const [n, lines] of more.entries()) expectPlaced(sections, headings[n], lines);
      await Promise.all([...pages, reader].map((p) => p.context().close()));
      expect(pageErrors).toEqual([]);
    }, 240_000);
  }
});

describe("changes the server makes to the live document", () => {
  it("leave a delegate's caret where it was (a decision numbered), or at the nearest surviving place when a restore removes its line", async () => {
    const [writer, other] = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test"].map((email) => person(email)));
    const path = await openUpcomingMinutes(writer);
    await open(other, path);
    const headings = await agendaHeadings(writer);
    const stamp = Date.now().toString(36);
    // The writer's caret sits inside a line of theirs, between "left " and "right".
    await typeInSection(writer, headings[0], [`Caret ${stamp} left right`], "type");
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    for (let i = 0; i < "right".length; i++) await writer.keyboard.press("ArrowLeft");

    // Another delegation records a decision elsewhere; the server numbers it (its own change to the document).
    await typeInSection(other, headings[1], [`Decided ${stamp}`], "insertText");
    await other.keyboard.press("Shift+Home");
    await other.getByRole("button", { name: "Decision" }).click();
    await editor(writer).locator("div.decision[data-number]", { hasText: `Decided ${stamp}` }).waitFor({ timeout: 20_000 });
    await writer.keyboard.type("X");
    // (Read without the writer's caret, which the other page draws inside that very line.)
    const linesOf = async (page: Page) => (await sectionsOf(page)).flatMap((s) => s.lines);
    await expect.poll(async () => (await linesOf(other)).filter((l) => l.includes(stamp)), { timeout: 15_000 }).toContain(`Caret ${stamp} left Xright`);

    // The secretariat restores the draft's first saved version, taken before the "X": the writer's
    // paragraph is replaced (or, when the version predates the line, removed).
    const secretariat = await person("secretariat@concord.test");
    await open(secretariat, path);
    const restore = secretariat.getByRole("button", { name: "Restore this version" });
    await restore.last().click();
    await expect.poll(async () => (await linesOf(writer)).includes(`Caret ${stamp} left Xright`), { timeout: 20_000 }).toBe(false);
    // The writer keeps typing: the text goes in at the nearest surviving place, in the body of
    // the minutes (never into an agenda heading, never lost), and the agenda headings stand.
    await writer.keyboard.type(`Y${stamp}`);
    await status(writer).filter({ hasText: SAVED }).waitFor({ timeout: 30_000 });
    const sections = await sectionsOf(writer);
    expect(sections.flatMap((s) => s.lines).some((l) => l.includes(`Y${stamp}`)), JSON.stringify(sections).slice(0, 2000)).toBe(true);
    expect(await agendaHeadings(writer)).toEqual(headings);
    await expect.poll(async () => JSON.stringify(await sectionsOf(other)), { timeout: 15_000 }).toBe(JSON.stringify(sections));
    await Promise.all([writer, other, secretariat].map((p) => p.context().close()));
    expect(pageErrors).toEqual([]);
  }, 180_000);
});

describe("adopted minutes and readers", () => {
  it("show an official 'Read only', and the main PDF is the adopted record with its hash and approvals", async () => {
    const official = await person("jp.official@concord.test");
    await official.goto("/bodies/trilateral-cyber");
    await hydrated(official);
    await official.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" }).click();
    await status(official).filter({ hasText: "Read only" }).waitFor({ timeout: 30_000 });
    // Back through the previous meetings to adopted minutes (the demo adopted the first three).
    for (let i = 0; i < 4 && !(await official.locator(".badge").filter({ hasText: /^Adopted$/ }).count()); i++) {
      // Wait for the previous meeting's page itself: a check made while the old page is still
      // shown would go back one meeting too far.
      const from = official.url();
      await official.getByRole("link", { name: /previous meeting/i }).click();
      await official.waitForURL((url) => url.href !== from);
      await official.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
      await hydrated(official);
    }
    await official.locator(".badge").filter({ hasText: /^Adopted$/ }).waitFor();
    await status(official).filter({ hasText: "Read only" }).waitFor({ timeout: 30_000 });
    const title = (await official.getByRole("heading", { name: /^Minutes of the/ }).textContent())!.trim();
    const shown = ((await official.getByRole("region", { name: "Official record" }).getByText(/SHA-256/).textContent()) ?? "").match(/[0-9a-f]{16}/)?.[0];
    expect(shown).toBeTruthy();
    const [download] = await Promise.all([official.waitForEvent("download"), official.getByRole("navigation", { name: "Export" }).getByRole("link", { name: "PDF" }).click()]);
    const parser = new PDFParse({ data: new Uint8Array(await readFile((await download.path())!)) });
    const text = (await parser.getText()).text.replace(/\s+/g, " ");
    await parser.destroy();
    expect(text).toContain(title);
    expect(text).toContain("Adopted record");
    expect(text).toContain("Approvals");
    expect(text).toContain(shown!);
    expect(text).not.toContain("Draft");
    await official.context().close();
    expect(pageErrors).toEqual([]);
  }, 120_000);
});
