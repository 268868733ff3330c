import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { baseUrl, DEMO_PASSWORD, hydrated, newContext, signedInPage, signIn, submit, useBrowser, visit } from "./helpers";

const browser = useBrowser();

describe("accounts", () => {
  it("signs in, shows the body, and signs out", async () => {
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Trilateral Cyber Consultative Body");
    await expect(page.getByRole("link", { name: "Meetings", exact: true }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole("link", { name: "Action items" }).isVisible()).resolves.toBe(true);
    // The session cookie is httpOnly: scripts cannot read it.
    await expect(page.evaluate(() => document.cookie)).resolves.not.toContain("concord_session");
    await page.getByText("田中 美咲", { exact: true }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await expect(page.getByRole("status").textContent()).resolves.toContain("You have signed out.");
    await page.goto("/bodies/trilateral-cyber");
    expect(new URL(page.url()).pathname).toBe("/login");
    await context.close();
  });

  it("says so when the password is wrong, keeping the email typed", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    await visit(page, "/login");
    await page.getByLabel("Email").fill("us.official@concord.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("The email or password is not correct.");
    await expect(page.getByLabel("Email").inputValue()).resolves.toBe("us.official@concord.test");
    await context.close();
  });

  it("pauses sign-in after repeated failures and says for how long", async () => {
    const context = await newContext(browser());
    const page = await context.newPage();
    const email = `nobody-${randomUUID().slice(0, 6)}@concord.test`;
    await visit(page, "/login");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`guess ${i}`);
      const answer = await submit(page, () => page.getByRole("button", { name: "Sign in" }).click());
      expect(answer.status()).toBe(400);
    }
    await page.getByLabel("Password").fill("guess 6");
    const answer = await submit(page, () => page.getByRole("button", { name: "Sign in" }).click());
    expect(answer.status()).toBe(429);
    await page.getByRole("alert").filter({ hasText: /Too many failed attempts.*try again in 15 minutes/ }).waitFor();
    await context.close();
  });

  it("switches the whole page to Japanese and Korean, and remembers the choice", async () => {
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    await page.getByRole("button", { name: "日本語" }).click();
    await page.getByRole("link", { name: "会合", exact: true }).waitFor();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("ja");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("日米韓サイバー協議体");
    await expect(page.getByRole("link", { name: "アクションアイテム" }).isVisible()).resolves.toBe(true);
    await page.getByRole("button", { name: "한국어" }).click();
    await page.getByRole("link", { name: "회의", exact: true }).waitFor();
    await expect(page.locator("html").getAttribute("lang")).resolves.toBe("ko");
    await page.reload();
    await expect(page.getByRole("link", { name: "조치 사항" }).isVisible()).resolves.toBe(true);
    // Stored on the user: a new browser signs in to Korean.
    const other = await newContext(browser());
    const second = await other.newPage();
    await second.goto("/login");
    await second.getByLabel("Email").fill("jp.delegate@concord.test");
    await second.getByLabel("Password").fill(DEMO_PASSWORD);
    await second.getByRole("button", { name: "Sign in" }).click();
    await second.getByRole("link", { name: "회의", exact: true }).waitFor();
    await second.getByRole("button", { name: "English" }).click();
    await second.getByRole("link", { name: "Meetings", exact: true }).waitFor();
    await other.close();
    await context.close();
  });

  it("greets a visitor in the browser's language before sign-in", async () => {
    const context = await newContext(browser(), { locale: "ko-KR" });
    const page = await context.newPage();
    await page.goto("/login");
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("로그인");
    await context.close();
  });

  it("shows a non-member the same 404 as a page that does not exist", async () => {
    const { context, page } = await signedInPage(browser(), "jp.delegate@concord.test");
    const response = await page.goto("/bodies/cet-dialogue");
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("Page not found");
    const members = await page.goto("/bodies/cet-dialogue/members");
    expect(members?.status()).toBe(404);
    const nothing = await page.goto("/bodies/no-such-body");
    expect(nothing?.status()).toBe(404);
    await context.close();
  });

  it("refuses a forged cross-site form post", async () => {
    const { context, page } = await signedInPage(browser(), "us.delegate@concord.test");
    const cookies = await context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const forged = await fetch(`${baseUrl()}/settings`, {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: "intent=profile&name=Hacked&locale=&timeZone=",
      redirect: "manual",
    });
    expect(forged.status).toBe(403);
    await page.goto("/settings");
    await expect(page.getByLabel("Name", { exact: true }).inputValue()).resolves.toBe("Sarah Chen");
    await context.close();
  });
});

describe("member management", () => {
  it("adds a person who sets a password, and deactivation ends their session", async () => {
    const { context: sec, page: admin } = await signedInPage(browser(), "secretariat@concord.test");
    await admin.goto("/bodies/trilateral-cyber/members");
    const email = `new-${randomUUID().slice(0, 6)}@concord.test`;
    await admin.getByLabel("Full name").fill("Hana Kobayashi");
    await admin.getByRole("textbox", { name: "Email" }).fill(email);
    await admin.getByLabel("Delegation").selectOption({ label: "JP · Japan" });
    await admin.getByLabel("Role").selectOption({ label: "Delegate" });
    await admin.getByRole("button", { name: "Add person" }).click();
    const link = (await admin.locator(".secret").textContent())!.trim();
    expect(link).toMatch(/\/set-password\//);

    const personContext = await newContext(browser());
    const person = await personContext.newPage();
    await person.goto(link.replace(/^https?:\/\/[^/]+/, ""));
    await person.getByLabel("New password", { exact: true }).fill("hana's own passphrase");
    await person.getByLabel("Repeat the new password").fill("hana's own passphrase");
    await person.getByRole("button", { name: "Set password and sign in" }).click();
    await person.getByRole("heading", { name: "Trilateral Cyber Consultative Body" }).waitFor();

    await admin.reload();
    await admin.getByRole("link", { name: "Hana Kobayashi" }).click();
    await admin.getByRole("heading", { name: "Hana Kobayashi" }).first().waitFor();
    await hydrated(admin);
    // Deactivating asks first, and for the reason, which the audit trail keeps.
    await admin.getByRole("button", { name: "Deactivate Hana Kobayashi…" }).click();
    const confirm = admin.getByRole("dialog", { name: "Deactivate Hana Kobayashi?" });
    await confirm.getByLabel("Reason for deactivating").fill("Moved to another post.");
    await confirm.getByRole("button", { name: "Deactivate Hana Kobayashi", exact: true }).click();
    await admin.getByText("has been deactivated").waitFor();

    await person.goto("/bodies/trilateral-cyber/members");
    expect(new URL(person.url()).pathname).toBe("/login");
    await signIn(person, email, "hana's own passphrase");
    const response = await person.goto("/bodies/trilateral-cyber");
    expect(response?.status()).toBe(404);
    await personContext.close();
    await sec.close();
  });
});
