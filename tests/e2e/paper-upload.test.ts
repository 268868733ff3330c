import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePdf } from "#tests/support/papers";
import { removeServerFiles, startServer, type RunningServer } from "#tests/support/server";
import { launchBrowser } from "#tests/support/browser";
import { DEMO_PASSWORD } from "./helpers";

/**
 * Uploading a paper as people do it, with and without JavaScript, against a server of its own
 * started with PAPER_STORAGE_DIR: the files land in that directory under their SHA-256 and come
 * back byte for byte.
 */
let server: RunningServer;
let browser: Browser;
let storage: string;
let agendaPath: string;

beforeAll(async () => {
  storage = mkdtempSync(join(tmpdir(), "concord-papers-"));
  server = await startServer({ env: { PAPER_STORAGE_DIR: storage } });
  browser = await launchBrowser();
  // The demo's upcoming meeting (draft agenda), read from the server's own database.
  const client = createClient({ url: `file:${server.databaseFile}` });
  const { rows } = await client.execute("select m.id from meetings m join bodies b on b.id = m.body_id where b.slug = 'trilateral-cyber' and m.status not in ('held', 'cancelled') order by m.starts_at limit 1");
  client.close();
  agendaPath = `/meetings/${rows[0].id as string}/agenda`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server) {
    await server.stop("SIGTERM");
    removeServerFiles(server);
  }
  rmSync(storage, { recursive: true, force: true });
});

async function signedIn(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const signing = await browser.newContext({ baseURL: server.url, locale: "en-US" });
  const page = await signing.newPage();
  await page.goto("/login");
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
  await page.getByLabel("Email").fill("us.delegate@concord.test");
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  if (javaScriptEnabled) return { context: signing, page };
  const state = await signing.storageState();
  await signing.close();
  const context = await browser.newContext({ baseURL: server.url, locale: "en-US", javaScriptEnabled: false, storageState: state });
  return { context, page: await context.newPage() };
}

const reviewItem = (page: Page) => page.getByRole("listitem", { name: "Review of action items", exact: true });

async function downloadedBytes(page: Page, symbolLink: ReturnType<Page["getByRole"]>) {
  const href = await symbolLink.getAttribute("href");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  return new Uint8Array(await response.body());
}

describe("uploading a paper", () => {
  it("works without JavaScript: a plain form, streamed by the server, back at the item with the paper listed", async () => {
    const { context, page } = await signedIn(false);
    try {
      const pdf = await samplePdf(`Plain form ${Date.now()}`);
      await page.goto(agendaPath);
      const item = reviewItem(page);
      const form = item.getByRole("form", { name: "Add a paper" });
      await form.getByLabel("Title").fill("Paper sent without scripts");
      await form.getByLabel("File").setInputFiles({ name: "plain.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
      await form.getByLabel("Marking").selectOption("TLP:GREEN");
      await Promise.all([page.waitForURL((url) => url.searchParams.get("paper") === "added"), form.getByRole("button", { name: "Upload" }).click()]);
      await item.getByRole("status").filter({ hasText: /^Added TCCB\/\d+\/INF\.\d+\.$/ }).waitFor();
      const link = item.getByRole("link", { name: /^Download TCCB\/\d+\/INF\.\d+ / }).filter({ hasText: "Paper sent without scripts" });
      // Stored in PAPER_STORAGE_DIR under its SHA-256, and served back unchanged.
      const sha = createHash("sha256").update(pdf).digest("hex");
      expect(existsSync(join(storage, sha))).toBe(true);
      expect(new Uint8Array(readFileSync(join(storage, sha)))).toEqual(pdf);
      expect(await downloadedBytes(page, link)).toEqual(pdf);

      // A refusal comes back to the item too, and nothing is kept.
      const before = readdirSync(storage).filter((f) => f !== "incoming").length;
      const again = reviewItem(page).getByRole("form", { name: "Add a paper" });
      await again.getByLabel("Title").fill("Not a PDF");
      await again.getByLabel("File").setInputFiles({ name: "fake.pdf", mimeType: "application/pdf", buffer: Buffer.from("this is not a PDF at all") });
      await Promise.all([page.waitForURL((url) => url.searchParams.has("paperError")), again.getByRole("button", { name: "Upload" }).click()]);
      await reviewItem(page).getByRole("alert").filter({ hasText: /PDF/ }).waitFor();
      expect(readdirSync(storage).filter((f) => f !== "incoming").length).toBe(before);
      expect(readdirSync(join(storage, "incoming"))).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("shows its progress with JavaScript and lists the paper when it is done", async () => {
    const { context, page } = await signedIn(true);
    try {
      // Large enough that the browser reports progress while it sends.
      const pdf = await samplePdf(`With scripts ${Date.now()} ${"padding ".repeat(20_000)}`);
      await page.goto(agendaPath);
      await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
      const item = reviewItem(page);
      await item.getByRole("button", { name: "Add a paper" }).click();
      const form = item.getByRole("form", { name: "Add a paper" });
      await form.getByLabel("Title").fill("Paper sent with progress");
      await form.getByLabel("File").setInputFiles({ name: "progress.pdf", mimeType: "application/pdf", buffer: Buffer.from(pdf) });
      await form.getByLabel("Marking").selectOption("TLP:GREEN");
      // Slow the upload down so its progress can be seen, as on a meeting-room connection.
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 50, downloadThroughput: 1_000_000, uploadThroughput: 200_000 });
      await form.getByRole("button", { name: "Upload" }).click();
      await form.getByRole("progressbar", { name: "Upload progress" }).waitFor();
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      const link = item.getByRole("link", { name: /^Download TCCB\/\d+\/INF\.\d+ / }).filter({ hasText: "Paper sent with progress" });
      await link.waitFor({ timeout: 30_000 });
      expect(existsSync(join(storage, createHash("sha256").update(pdf).digest("hex")))).toBe(true);
      expect(await downloadedBytes(page, link)).toEqual(pdf);
    } finally {
      await context.close();
    }
  });
});
