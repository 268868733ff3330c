import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();

const editor = (page: Page) => page.getByRole("textbox", { name: "Outcome document text" });
/** The text without the decorations that show other people's carets (they sit inside paragraphs). */
const documentText = (page: Page) =>
  editor(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll(".collaboration-carets__caret").forEach((c) => c.remove());
    return copy.textContent ?? "";
  });

const CONNECTED = "Connected: changes are saved as you type.";

/** The upcoming meeting's page, then its outcome documents. */
async function openOutcomes(page: Page) {
  await visit(page, "/bodies/trilateral-cyber");
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: /meeting/i }).first().click();
  await page.getByRole("link", { name: "Outcome documents" }).click();
  await page.getByRole("heading", { name: "Outcome documents", level: 1 }).waitFor();
  await hydrated(page);
}

/**
 * Selects text in the outcome editor the way a drag would, and waits until the editor itself holds
 * that selection. A click just before can still be settling (ProseMirror syncs a mouse selection a
 * moment after mouseup) and collapse a selection set too early, so the selection is set again until
 * the editor's state agrees, on a loaded machine too.
 */
async function selectInEditor(page: Page, target: { word: string } | { from: string; fromOffset: number; to: string; toOffset: number }) {
  await page.waitForFunction((target) => {
    const root = document.querySelector<HTMLElement & { editor?: { state: { selection: { from: number; to: number } }; view: { posAtDOM(node: Node, offset: number): number } } }>(".ProseMirror[aria-label='Outcome document text']")!;
    const find = (text: string) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent!.includes(text)) return node;
      throw new Error(`no text node has ${text}`);
    };
    const range = document.createRange();
    if ("word" in target) {
      const node = find(target.word);
      const at = node.textContent!.indexOf(target.word);
      range.setStart(node, at);
      range.setEnd(node, at + target.word.length);
    } else {
      range.setStart(find(target.from), target.fromOffset);
      range.setEnd(find(target.to), target.toOffset);
    }
    const selection = window.getSelection()!;
    const held =
      selection.rangeCount === 1 &&
      selection.getRangeAt(0).compareBoundaryPoints(Range.START_TO_START, range) === 0 &&
      selection.getRangeAt(0).compareBoundaryPoints(Range.END_TO_END, range) === 0;
    const editor = root.editor;
    if (held && editor) {
      const { from, to } = editor.state.selection;
      if (from === editor.view.posAtDOM(range.startContainer, range.startOffset) && to === editor.view.posAtDOM(range.endContainer, range.endOffset)) return true;
    }
    selection.removeAllRanges();
    selection.addRange(range);
    return false;
  }, target, { polling: 100, timeout: 10_000 });
}

async function createDocument(page: Page, title: string, kind: string) {
  await openOutcomes(page);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Kind").selectOption({ label: kind });
  await page.getByRole("button", { name: "New outcome document" }).click();
  await page.getByRole("heading", { name: title, level: 1 }).waitFor();
  await hydrated(page);
  await page.getByText(CONNECTED).waitFor();
  return new URL(page.url()).pathname;
}

async function open(page: Page, path: string) {
  await visit(page, path);
  await page.getByText(CONNECTED).waitFor();
}

async function typeAtEnd(page: Page, text: string) {
  await editor(page).click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Enter");
  await page.keyboard.type(text, { delay: 5 });
}

/** A deadline `seconds` from now, typed in UTC. */
async function startSilence(page: Page, seconds: number) {
  const at = new Date(Date.now() + seconds * 1000).toISOString();
  await page.getByLabel("Deadline date").fill(at.slice(0, 10));
  await page.getByLabel("Deadline time").fill(at.slice(11, 19));
  await page.getByLabel("Time zone of the deadline").selectOption("UTC");
  await submit(page, () => page.getByRole("button", { name: "Start silence procedure" }).click());
  await page.getByRole("heading", { name: "Silence procedure under way" }).waitFor();
}

async function translate(page: Page, path: string, language: string, lines: string[]) {
  await visit(page, `${path}/versions/${language}`);
  const fields = page.getByRole("textbox", { name: /^Paragraph \d+ in / });
  await expect.poll(() => fields.count()).toBeGreaterThanOrEqual(lines.length);
  const count = await fields.count();
  // Empty source paragraphs need no translation; fill the others in order.
  let i = 0;
  for (let n = 0; n < count; n++) {
    const cell = fields.nth(n);
    const source = await cell.locator("xpath=ancestor::div[@role='row']").getByRole("cell").first().innerText();
    if (!source.trim()) continue;
    await cell.fill(lines[i++] ?? lines[lines.length - 1]);
  }
  await submit(page, () => page.getByRole("button", { name: "Save translation" }).click());
  await page.getByText("Translation saved.").waitFor();
}

describe("negotiating an outcome document", () => {
  it("three delegations draft, JP brackets with an alternative that the US and KR accept, silence ends unbroken, versions are written and the PDF says Adopted", async () => {
    const stamp = Date.now().toString(36);
    const [us, jp, kr] = await Promise.all(["us.delegate@concord.test", "jp.delegate@concord.test", "kr.delegate@concord.test"].map((e) => signedInPage(browser(), e)));
    const path = await createDocument(us.page, `Joint statement ${stamp}`, "Joint statement");
    await Promise.all([open(jp.page, path), open(kr.page, path)]);
    const lines = { us: `The participants met in Washington ${stamp}.`, jp: `The participants condemned the theft ${stamp}.`, kr: `They will meet again in Seoul ${stamp}.` };
    await typeAtEnd(us.page, lines.us);
    await editor(jp.page).getByText(lines.us).waitFor();
    await typeAtEnd(jp.page, lines.jp);
    await editor(kr.page).getByText(lines.jp).waitFor();
    await typeAtEnd(kr.page, lines.kr);
    for (const p of [us.page, jp.page, kr.page]) for (const line of Object.values(lines)) await editor(p).getByText(line).waitFor({ timeout: 10_000 });

    // A bracket across two paragraphs is refused with a clear message, and nothing is bracketed.
    await editor(jp.page).getByText(lines.jp).click();
    await selectInEditor(jp.page, { from: lines.us, fromOffset: 4, to: lines.jp, toOffset: 4 });
    await jp.page.getByRole("button", { name: "Bracket" }).click();
    await jp.page.getByText("A bracket must stay within one paragraph").waitFor();
    await expect(editor(jp.page).locator("[data-bracket]").count()).resolves.toBe(0);

    // JP selects its sentence's verb and brackets it with an alternative.
    await editor(jp.page).getByText(lines.jp).click();
    await selectInEditor(jp.page, { word: "condemned" });
    await jp.page.getByRole("button", { name: "Bracket" }).click();
    await jp.page.getByLabel("Alternatives (one per line, optional)").fill("strongly condemned");
    await jp.page.getByRole("button", { name: "Put in brackets" }).click();
    await jp.page.getByText("Bracketed for your delegation.").waitFor();

    // The US and KR see JP's bracket with its owner, and accept the alternative.
    for (const p of [us.page, kr.page]) {
      await p.getByRole("listitem", { name: "Bracket of JP: condemned" }).waitFor({ timeout: 10_000 });
      await editor(p).locator("[data-bracket][data-owner='JP']").waitFor();
      await submit(p, () => p.getByRole("button", { name: "Accept “strongly condemned”" }).click());
    }
    await us.page.getByText("No open brackets: the text is agreed word for word.").waitFor({ timeout: 10_000 });
    for (const p of [us.page, jp.page, kr.page]) await expect.poll(() => documentText(p), { timeout: 10_000 }).toContain(`The participants strongly condemned the theft ${stamp}.`);
    await expect(editor(us.page).locator("[data-bracket]").count()).resolves.toBe(0);

    // The secretariat starts a silence procedure a few seconds ahead; nobody breaks it.
    const secretariat = await signedInPage(browser(), "secretariat@concord.test");
    await visit(secretariat.page, path);
    await startSilence(secretariat.page, 8);
    await kr.page.getByRole("heading", { name: "Silence procedure under way" }).waitFor({ timeout: 10_000 });
    await expect(editor(kr.page).getAttribute("contenteditable")).resolves.toBe("false");
    await secretariat.page.getByRole("heading", { name: "Silence procedure ended unbroken: adopted" }).waitFor({ timeout: 30_000 });
    await secretariat.page.getByText("Adopted", { exact: true }).first().waitFor();

    // Japanese and Korean versions, written by those delegations, marked final.
    await translate(jp.page, path, "ja", ["共同声明", "参加者はワシントンで会合した。", "参加者は窃取を強く非難した。", "参加者はソウルで再び会合する。"]);
    await translate(kr.page, path, "ko", ["공동성명", "참가자들은 워싱턴에서 회합하였다.", "참가자들은 탈취를 강력히 규탄하였다.", "참가자들은 서울에서 다시 회합한다."]);
    for (const language of ["Japanese", "Korean"]) {
      await visit(secretariat.page, `${path}/versions/${language === "Japanese" ? "ja" : "ko"}`);
      await submit(secretariat.page, () => secretariat.page.getByRole("button", { name: `Mark the ${language} version final` }).click());
      await secretariat.page.getByText("The version is marked final.").waitFor();
    }

    // The English PDF says Adopted, with the document's symbol.
    await visit(us.page, path);
    const symbol = (await us.page.locator("header code").first().innerText()).trim();
    expect(symbol).toMatch(/^TCCB\/\d+\/OD\.\d+$/);
    const [download] = await Promise.all([us.page.waitForEvent("download"), us.page.getByRole("link", { name: "PDF (English)" }).click()]);
    const pdf = await (await download.createReadStream()).toArray();
    const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(pdf)) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("Adopted");
    expect(text).toContain(symbol);
    expect(text).toContain("strongly condemned");
    for (const c of [us, jp, kr, secretariat]) await c.context.close();
  }, 180_000);

  it("the owner edits its bracket's alternatives in place; the others see them at once and no one else can edit them", async () => {
    const stamp = Date.now().toString(36);
    const [jp, kr] = await Promise.all(["jp.delegate@concord.test", "kr.delegate@concord.test"].map((e) => signedInPage(browser(), e)));
    const path = await createDocument(jp.page, `Readout ${stamp}`, "Readout");
    await open(kr.page, path);
    const line = `The participants noted the report ${stamp}.`;
    await typeAtEnd(jp.page, line);
    await editor(kr.page).getByText(line).waitFor({ timeout: 10_000 });
    await editor(jp.page).getByText(line).click();
    await selectInEditor(jp.page, { word: "noted" });
    await jp.page.getByRole("button", { name: "Bracket" }).click();
    await jp.page.getByLabel("Alternatives (one per line, optional)").fill("welcomed");
    await jp.page.getByRole("button", { name: "Put in brackets" }).click();
    const bracket = (p: Page) => p.getByRole("listitem", { name: "Bracket of JP: noted" });
    await bracket(kr.page).getByRole("button", { name: "Accept “welcomed”" }).waitFor({ timeout: 10_000 });
    // Only the owner is offered the edit.
    await expect(bracket(kr.page).getByText("Edit alternatives").count()).resolves.toBe(0);

    await bracket(jp.page).getByText("Edit alternatives").click();
    await bracket(jp.page).getByLabel("Alternatives (one per line, optional)").fill("welcomed\nacknowledged");
    await submit(jp.page, () => bracket(jp.page).getByRole("button", { name: "Save alternatives" }).click());
    await jp.page.getByText("The bracket's alternatives are changed.").waitFor();

    // KR's page and editor follow without a reload; KR accepts the new alternative.
    await bracket(kr.page).getByRole("button", { name: "Accept “acknowledged”" }).waitFor({ timeout: 10_000 });
    await expect.poll(() => editor(kr.page).locator("[data-bracket][data-owner='JP']").first().getAttribute("data-alternatives"), { timeout: 10_000 }).toContain("acknowledged");
    await submit(kr.page, () => bracket(kr.page).getByRole("button", { name: "Accept “acknowledged”" }).click());
    await expect.poll(() => bracket(kr.page).getByText(/Accepted by:/).allInnerTexts(), { timeout: 10_000 }).toContainEqual(expect.stringContaining("KR"));
    for (const c of [jp, kr]) await c.context.close();
  }, 120_000);

  it("a head breaking silence reopens negotiation, and every head clearing adopts the text", async () => {
    const stamp = Date.now().toString(36);
    const delegate = await signedInPage(browser(), "us.delegate@concord.test");
    const path = await createDocument(delegate.page, `Readout ${stamp}`, "Readout");
    await typeAtEnd(delegate.page, `The delegations exchanged views ${stamp}.`);
    await delegate.page.getByText(CONNECTED).waitFor();
    await delegate.context.close();
    const secretariat = await signedInPage(browser(), "secretariat@concord.test");
    await visit(secretariat.page, path);
    await editor(secretariat.page).getByText(`The delegations exchanged views ${stamp}.`).waitFor();
    await startSilence(secretariat.page, 24 * 3600);

    const heads = await Promise.all(["us.head@concord.test", "jp.head@concord.test", "kr.head@concord.test"].map((e) => signedInPage(browser(), e)));
    const jpHead = heads[1].page;
    await visit(jpHead, path);
    await jpHead.getByLabel("Reason for breaking silence").fill("Tokyo needs to consult the ministry");
    jpHead.once("dialog", (dialog) => void dialog.accept());
    await submit(jpHead, () => jpHead.getByRole("button", { name: "Break silence" }).click());
    await jpHead.getByText("You broke silence. Negotiation is open again.").waitFor();
    await jpHead.getByRole("heading", { name: "Silence procedure broken" }).waitFor();
    await secretariat.page.getByText("Under negotiation").first().waitFor({ timeout: 10_000 });

    for (const head of heads) {
      await visit(head.page, path);
      await submit(head.page, () => head.page.getByRole("button", { name: "Cleared for my delegation" }).click());
    }
    await heads[2].page.getByText("Cleared. Every delegation has now cleared this text: it is adopted.").waitFor();
    await secretariat.page.getByText("Adopted", { exact: true }).first().waitFor({ timeout: 10_000 });
    for (const c of [secretariat, ...heads]) await c.context.close();
  }, 180_000);
});
