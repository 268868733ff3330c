import { describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { baseUrl, signedInPage, useBrowser, visit } from "./helpers";

/** The slot chart of the planning page stays readable on a phone and on a desktop. */

const browser = useBrowser();

async function setLanguage(page: Page, locale: string) {
  const response = await page.request.post("/language", { form: { locale, redirectTo: "/" }, headers: { Origin: baseUrl() } });
  expect(response.ok()).toBe(true);
}

/** The visible chart's labels: their rendered text height, and whether any two on one line overlap. */
async function chartLabels(page: Page) {
  return page.evaluate(() => {
    const svg = Array.from(document.querySelectorAll<SVGSVGElement>("svg.slot-chart")).find((s) => s.getBoundingClientRect().width > 0)!;
    const boxes = Array.from(svg.querySelectorAll("text")).map((t) => t.getBoundingClientRect());
    const overlaps = boxes.filter((a, i) => boxes.some((b, j) => j > i && Math.abs(a.top - b.top) < 1 && a.left < b.right - 0.5 && b.left < a.right - 0.5)).length;
    return { smallest: Math.min(...boxes.map((b) => b.height)), count: boxes.length, overlaps, width: svg.getBoundingClientRect().width };
  });
}

describe("the slot chart", () => {
  for (const [width, locale] of [
    [390, "en"],
    [390, "ja"],
    [390, "ko"],
    [1366, "en"],
  ] as const) {
    it(`has readable, separate labels at ${width} px (${locale}) and no sideways scrolling`, async () => {
      const { context, page } = await signedInPage(browser(), "secretariat@concord.test", { width });
      await setLanguage(page, locale);
      await visit(page, "/bodies/trilateral-cyber/meetings/plan?format=virtual");
      await page.locator("svg.slot-chart").first().waitFor({ state: "attached" });
      const labels = await chartLabels(page);
      expect(labels.count).toBeGreaterThan(6);
      // 11 px type in a 960-unit drawing shrank to about 4 px at 390 px.
      expect(labels.smallest).toBeGreaterThanOrEqual(10);
      expect(labels.overlaps).toBe(0);
      await expect(page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).resolves.toBe(true);
      await page.locator("figure.slot-chart-figure").screenshot({ path: `tmp/screenshots/slot-chart-${width}-${locale}.png` });
      await setLanguage(page, "en");
      await context.close();
    });
  }
});
