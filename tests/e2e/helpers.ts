import { afterAll, afterEach, beforeAll, expect, inject } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { launchBrowser } from "../support/browser";

export const DEMO_PASSWORD = "concord-demo";
export const baseUrl = () => inject("baseUrl");

// Script errors in any page fail the test that caused them.
const pageErrors: string[] = [];

/** One browser per test file, closed afterwards. */
export function useBrowser(): () => Browser {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(() => {
    const errors = pageErrors.splice(0);
    expect(errors, "errors thrown by page scripts").toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => browser;
}

export async function newContext(browser: Browser, options: { locale?: string; width?: number } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: options.locale ?? "en-US",
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  context.on("page", (page) => {
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    // Anything the Content-Security-Policy blocks is a bug of ours: every page must work under it.
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(`${page.url()}: ${message.text()}`);
    });
  });
  return context;
}

/** Waits until React has taken over the server-rendered page. */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.hydrated === "true");
}

/** Goes to a path and waits for the page to be interactive. */
export async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  await hydrated(page);
  return response;
}

/**
 * Opens the agenda or the minutes of a body's next meeting from the body's page, as a person
 * does, and waits for it to be interactive; returns its path.
 */
export async function openNextMeeting(page: Page, slug: string, part: "Agenda" | "Minutes"): Promise<string> {
  await visit(page, `/bodies/${slug}`);
  await page.getByRole("region", { name: "Next meeting" }).getByRole("link", { name: part }).click();
  await page.getByRole("heading", { name: new RegExp(`^${part} of the`) }).waitFor();
  await hydrated(page);
  return new URL(page.url()).pathname;
}

/** Submits by clicking and waits for the server's answer to that post. */
export async function submit(page: Page, click: () => Promise<void>) {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), click()]);
  await page.waitForLoadState("networkidle");
  return response;
}

/** Signs in through the real form, by label and role, as a person would. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD): Promise<void> {
  await visit(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  // The address changes before the signed-in page has rendered: wait for the form to go.
  await page.getByRole("button", { name: "Sign in" }).waitFor({ state: "detached" });
  await hydrated(page);
}

export async function signedInPage(browser: Browser, email: string, options: { locale?: string; width?: number } = {}) {
  const context = await newContext(browser, options);
  const page = await context.newPage();
  await signIn(page, email);
  return { context, page };
}
