/**
 * `npx tsx scripts/screenshots.ts [baseUrl] [outDir] [path ...]`: signs in as a demo user and
 * screenshots pages in English, Japanese and Korean at desktop and phone widths, for a
 * person to look at. Needs a running server with the demo data. AS=email signs in as
 * someone else; ELEMENT=selector shoots one element; LANGS=en,ja limits the languages.
 */
import { mkdirSync } from "node:fs";
import { launchBrowser } from "../tests/support/browser";

const base = process.argv[2] ?? "http://localhost:3000";
const out = process.argv[3] ?? "tmp/screens";
const paths = process.argv.slice(4);
const user = process.env.AS ?? "secretariat@concord.test";
mkdirSync(out, { recursive: true });

const browser = await launchBrowser();
for (const [name, viewport] of [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const) {
  for (const lang of (process.env.LANGS ?? "en,ja,ko").split(",")) {
    const context = await browser.newContext({ viewport, locale: lang });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    if (paths.length === 0 || paths.includes("/login")) {
      await page.screenshot({ path: `${out}/login-${lang}-${name}.png`, fullPage: true });
    }
    await page.getByRole("textbox").first().fill(user);
    await page.locator('input[type="password"]').fill("concord-demo");
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/login")), page.locator('button[type="submit"]').last().click()]);
    await page.request.post(`${base}/language`, { form: { locale: lang, redirectTo: "/" }, headers: { Origin: base } });
    for (const path of paths.filter((p) => p !== "/login")) {
      await page.goto(`${base}${path}`);
      await page.waitForLoadState("networkidle");
      const slug = path.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home";
      const target = process.env.ELEMENT ? page.locator(process.env.ELEMENT).first() : page;
      await target.screenshot({ path: `${out}/${slug}-${lang}-${name}.png`, ...(process.env.ELEMENT ? {} : { fullPage: true }) });
    }
    await context.close();
  }
}
await browser.close();
console.log(`Screenshots in ${out}/`);
