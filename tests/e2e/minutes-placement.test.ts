import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hydrated, signedInPage, useBrowser, visit } from "./helpers";

const browser = useBrowser();
const ROUNDS = Number(process.env.SOAK_PLACEMENT_ROUNDS ?? 6);
const THROTTLE = Number(process.env.PLACEMENT_CPU_THROTTLE ?? 4);

const editor = (page: Page) => page.getByRole("textbox", { name: "Minutes text" });

async function openMinutes(page: Page) {
  await visit(page, "/bodies/trilateral-cyber");
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: "Minutes" }).click();
  await page.getByRole("heading", { name: /^Minutes of the/ }).waitFor();
  await hydrated(page);
  await page.getByText("Saved: the server has every change.").waitFor();
  return new URL(page.url()).pathname;
}

/** The blocks' texts, without other people's caret labels. */
const blocks = (page: Page) =>
  editor(page).evaluate((el) =>
    [...el.children].map((b) => {
      const copy = b.cloneNode(true) as HTMLElement;
      copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
      return copy.textContent ?? "";
    }),
  );

/** Logs every transaction of the page's editor: its kind, the caret before/after and the DOM caret. */
async function instrument(page: Page, who: string) {
  await page.evaluate((who) => {
    const dom = document.querySelector(".ProseMirror[aria-label='Minutes text']") as HTMLElement & { editor: any };
    const ed = dom.editor;
    const log: string[] = [];
    (window as any).__placementLog = log;
    const where = (doc: any, pos: number) => {
      const $p = doc.resolve(Math.min(pos, doc.content.size));
      return `${pos}[b${$p.index(0)}+${$p.parentOffset} "${$p.parent.textContent.slice(-14)}"]`;
    };
    const domCaret = () => {
      const s = document.getSelection();
      const n = s?.anchorNode;
      const block = (n instanceof Element ? n : n?.parentElement)?.closest(".ProseMirror > *");
      const index = block ? [...dom.children].indexOf(block) : -1;
      return `dom b${index}+${s?.anchorOffset} "${(n?.textContent ?? "").slice(-14)}"`;
    };
    let before = ed.state.selection.head;
    let beforeDoc = ed.state.doc;
    ed.on("transaction", ({ transaction }: any) => {
      const metas = Object.keys(transaction.meta ?? {}).join(",");
      const y = [...transaction.meta ? Object.entries(transaction.meta) : []].map(([k, v]: any) => (k.startsWith("y-sync") && v && typeof v === "object" ? `ysync:${Object.keys(v).join("/")}` : "")).join("");
      log.push(
        `${who} ${performance.now().toFixed(0)} ${transaction.docChanged ? "doc" : "-"} ${transaction.selectionSet ? "sel" : "-"} meta=${metas}${y} ${where(beforeDoc, before)} -> ${where(ed.state.doc, ed.state.selection.head)} | ${domCaret()}`,
      );
      before = ed.state.selection.head;
      beforeDoc = ed.state.doc;
    });
    document.addEventListener("keydown", (e) => log.push(`${who} ${performance.now().toFixed(0)} keydown ${e.key} pm=${where(ed.state.doc, ed.state.selection.head)} | ${domCaret()}`), true);
    document.addEventListener("selectionchange", () => log.push(`${who} ${performance.now().toFixed(0)} selectionchange | ${domCaret()}`));
  }, who);
}

async function typeAtEnd(page: Page, text: string) {
  await editor(page).locator(":scope > *").last().click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(text, { delay: 5 });
}

describe("three delegations typing at the end of the minutes at once", () => {
  it(`each line is whole, where it was typed (${ROUNDS} rounds, CPU ${THROTTLE}× slower)`, async () => {
    const stamp = Date.now().toString(36);
    const people = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"].map((e) => signedInPage(browser(), e)));
    const pages = people.map((p) => p.page);
    const path = await openMinutes(pages[0]);
    await Promise.all(pages.slice(1).map(async (p) => { await visit(p, path); await p.getByText("Saved: the server has every change.").waitFor(); }));
    const names = ["US", "JP", "KR"];
    await Promise.all(pages.map((p, i) => instrument(p, names[i])));
    for (const page of pages) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
    }
    const broken: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const lines = names.map((n) => `${n} line ${round} ${stamp}`);
      await Promise.all(pages.map((p, i) => typeAtEnd(p, lines[i])));
      await expect.poll(async () => new Set(await Promise.all(pages.map(async (p) => JSON.stringify(await blocks(p))))).size, { timeout: 20_000 }).toBe(1);
      const shown = await blocks(pages[0]);
      for (const line of lines) if (!shown.includes(line)) broken.push(`round ${round}: "${line}" not a line of its own; last blocks: ${JSON.stringify(shown.slice(-4))}`);
      if (broken.length) break;
    }
    if (broken.length) {
      for (const p of pages) console.log((await p.evaluate(() => (window as any).__placementLog as string[])).slice(-150).join("\n"));
    }
    expect(broken).toEqual([]);
    await Promise.all(people.map((p) => p.context.close()));
  }, 300_000);
});
