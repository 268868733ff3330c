import { createClient } from "@libsql/client";
import { parse } from "csv-parse/sync";
import { describe, expect, inject, it } from "vitest";
import { hydrated, signedInPage, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("action items", () => {
  it("are raised at a meeting by a delegate, updated by an official, and followed up at the next meeting", async () => {
    const title = `暗号資産交換業者への注意喚起 ${Date.now()}`;
    const { context: del, page } = await signedInPage(browser(), "kr.delegate@concord.test");
    await visit(page, "/bodies/trilateral-cyber/meetings");
    await page.getByRole("link", { name: "4th meeting" }).click();
    await page.getByRole("heading", { name: "4th meeting", level: 1 }).waitFor();
    await page.getByRole("main").getByRole("link", { name: "Action items" }).click();
    await page.getByRole("heading", { name: "Action items for this meeting" }).waitFor();
    await hydrated(page);
    await page.getByRole("link", { name: "New action item" }).click();
    await page.getByRole("heading", { name: "New action item" }).waitFor();
    await hydrated(page);
    await page.getByLabel("Title").fill(title);
    // The plain textarea becomes a rich-text editor once its code has loaded.
    await page.getByRole("toolbar", { name: "Formatting" }).waitFor();
    await page.getByRole("textbox", { name: "Detail" }).click();
    await page.keyboard.type("Warn exchanges about the new laundering pattern.");
    await page.getByLabel("Owner delegation").selectOption({ label: "KR · Republic of Korea" });
    await page.getByLabel("The next meeting").check();
    await page.getByLabel("Handling marking").selectOption("TLP:GREEN");
    await expect(page.getByLabel("Raised at").inputValue()).resolves.not.toBe("");
    await page.getByRole("button", { name: "Create action item" }).click();
    await page.waitForURL(/\/actions\/[\w-]+$/);
    const itemPath = new URL(page.url()).pathname;
    await page.getByText("Raised at the 4th meeting").waitFor();
    await page.getByText("Warn exchanges about the new laundering pattern.").waitFor();

    const { context: off, page: official } = await signedInPage(browser(), "kr.official@concord.test");
    await visit(official, itemPath);
    await official.getByLabel("Status").selectOption({ label: "In progress" });
    await official.getByLabel("Progress note").fill("Briefing scheduled with the three largest exchanges.");
    await submit(official, () => official.getByRole("button", { name: "Record" }).click());
    await official.getByRole("status").filter({ hasText: "Recorded." }).waitFor();

    // The next meeting's follow-up view lists it, with its history one click away.
    await visit(page, "/bodies/trilateral-cyber");
    await page.getByRole("link", { name: "5th meeting" }).first().click();
    await page.getByRole("heading", { name: "5th meeting", level: 1 }).waitFor();
    await page.getByRole("main").getByRole("link", { name: "Action items" }).click();
    const due = page.getByRole("region", { name: "Due by this meeting" });
    await due.getByRole("link", { name: title }).click();
    await page.waitForURL((u) => u.pathname === itemPath);
    const history = page.getByRole("region", { name: "History" });
    await history.getByText("created the item").waitFor();
    await history.getByText("Briefing scheduled with the three largest exchanges.").waitFor();
    await off.close();
    await del.close();
  });

  it("export to CSV that spreadsheets read in Japanese", async () => {
    const { context, page } = await signedInPage(browser(), "jp.official@concord.test");
    await visit(page, "/bodies/trilateral-cyber/actions?status=all");
    await page.getByRole("button", { name: "日本語" }).click();
    await page.getByRole("heading", { name: "アクションアイテム", level: 1 }).waitFor();
    const link = page.getByRole("link", { name: "CSVをダウンロード" });
    const href = (await link.getAttribute("href"))!;
    const response = await page.request.get(href);
    expect(response.headers()["content-type"]).toContain("text/csv");
    const body = await response.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(body.toString("utf8").slice(1)) as string[][];
    expect(rows[0][0]).toBe("番号");
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.some((r) => r[4] === "完了")).toBe(true);
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("heading", { name: "Action items", level: 1 }).waitFor();
    await context.close();
  });

  it("show overdue items first on the dashboard", async () => {
    const { context, page } = await signedInPage(browser(), "us.official@concord.test");
    await visit(page, "/bodies/trilateral-cyber/actions");
    const firstRow = page.getByRole("table").last().getByRole("row").nth(1);
    await expect(firstRow.getByText(/Overdue since/).isVisible()).resolves.toBe(true);
    await context.close();
  });

  it("show a 10,000-character title shortened in the list, within 390 px, and whole one click away", async () => {
    // Bad input stored before the 300-character limit (or imported): a copy of a demo item with
    // such a title, done (so the default view other files look at is unchanged), removed after.
    const unit = "指標の共有👨‍👩‍👧‍👦지표 공유 ";
    const whole = unit.repeat(Math.floor(10_000 / unit.length)).trimEnd();
    const db = createClient({ url: `file:${inject("databaseFile")}` });
    const id = `long-title-${Date.now()}`;
    const columns = (await db.execute("select name from pragma_table_info('action_items')")).rows.map((r) => String(r.name));
    const value = (c: string) => ({ id: "?", ref: "(select max(ref) + 1 from action_items where body_id = a.body_id)", title: "?", status: "'done'", marking: "'TLP:CLEAR'", closed_at: "a.updated_at" })[c] ?? `a.${c}`;
    await db.execute({
      sql: `insert into action_items (${columns.join(", ")}) select ${columns.map(value).join(", ")} from action_items a join bodies b on b.id = a.body_id where b.slug = 'trilateral-cyber' limit 1`,
      args: [id, whole],
    });
    const { context, page } = await signedInPage(browser(), "jp.official@concord.test", { width: 390 });
    try {
      await visit(page, "/bodies/trilateral-cyber/actions?status=done");
      await hydrated(page);
      // The link says to a screen reader that the title is shortened; on screen it ends in "…".
      const link = page.getByRole("link", { name: /title shortened; the whole title is on the item’s page/ });
      const shown = (await link.evaluate((a) => a.firstChild!.textContent!)) ?? "";
      expect(shown.endsWith("…")).toBe(true);
      expect(shown.length).toBeLessThanOrEqual(201);
      expect(whole.startsWith(shown.slice(0, -1))).toBe(true);
      const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      await link.click();
      await page.waitForURL((u) => u.pathname === `/actions/${id}`);
      const heading = page.getByRole("heading", { level: 1 });
      expect(await heading.textContent()).toContain(whole);
    } finally {
      await context.close();
      await db.execute({ sql: "delete from action_items where id = ?", args: [id] });
      db.close();
    }
  });
});
