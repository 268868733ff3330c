import { randomUUID } from "node:crypto";
import { createClient, type Client } from "@libsql/client";
import * as OTPAuth from "otpauth";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hydrated, newContext, useBrowser, visit } from "./helpers";

/**
 * Two-factor sign-in in Chromium, as people use it: an authenticator app set up from the
 * setup key shown on the page, recovery codes, a passkey through Chromium's virtual
 * authenticator, and a body that requires a second factor of every member.
 */

const browser = useBrowser();
let db: Client;
let bodyId: string;
let passwordHash: string;
const PASSWORD = "concord-demo";

beforeAll(async () => {
  db = createClient({ url: `file:${inject("databaseFile")}` });
  // The demo body and a demo person's password hash, by name: other files share this database
  // and add people and bodies of their own (with other passwords), so "any member" is not stable.
  const demo = await db.execute("select b.id, u.password_hash from bodies b join memberships m on m.body_id = b.id join users u on u.id = m.user_id where b.slug = 'trilateral-cyber' and u.email = 'jp.delegate@concord.test'");
  bodyId = String(demo.rows[0][0]);
  passwordHash = String(demo.rows[0][1]);
});

afterAll(() => db?.close());

/** A new person of their own (so nothing here changes how other files' demo people sign in). */
async function person(role: "secretariat" | "official" = "official", body = bodyId) {
  const id = randomUUID().replace(/-/g, "").slice(0, 16);
  const email = `tf-${id}@concord.test`;
  const now = Date.now();
  await db.execute({ sql: "insert into users (id, email, name, password_hash, active, created_at, updated_at) values (?, ?, ?, ?, 1, ?, ?)", args: [id, email, `Tester ${id.slice(0, 4)}`, passwordHash, now, now] });
  const delegation = role === "secretariat" ? null : String((await db.execute({ sql: "select id from delegations where body_id = ? limit 1", args: [body] })).rows[0][0]);
  await db.execute({ sql: "insert into memberships (id, user_id, body_id, delegation_id, role, active, created_at, updated_at) values (?, ?, ?, ?, ?, 1, ?, ?)", args: [`m${id}`, id, body, delegation, role, now, now] });
  return email;
}

async function passwordStep(page: Page, email: string) {
  await visit(page, "/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Waits until the password step has left the sign-in page; if it never does, says what the page said. */
async function leftSignIn(page: Page) {
  try {
    await page.waitForURL((u) => !u.pathname.startsWith("/login"));
  } catch (error) {
    const said = await page.getByRole("alert").allTextContents().catch(() => []);
    throw new Error(`still on ${page.url()} after the password step; the page said: ${JSON.stringify(said)}`, { cause: error });
  }
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: /^Tester / }).or(page.getByText(/^Tester /).first()).first().click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/login/);
}

const codeFor = (secret: string, offsetSeconds = 0) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: Date.now() + offsetSeconds * 1000 });

describe("an authenticator app", () => {
  it("is set up from the setup key on the page, then asked for at sign-in; a recovery code works once", async () => {
    const email = await person();
    const context = await newContext(browser());
    const page = await context.newPage();
    await passwordStep(page, email);
    await leftSignIn(page);
    await visit(page, "/settings");
    const section = page.getByRole("region", { name: "Two-factor authentication" });
    await section.getByRole("button", { name: "Set up an authenticator app" }).click();
    const key = section.getByLabel("Setup key");
    await key.waitFor();
    const secret = (await key.textContent())!.trim();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await expect(section.getByRole("img", { name: "QR code for your authenticator app" }).locator("svg").count()).resolves.toBe(1);
    await section.getByLabel("Authentication code").fill(codeFor(secret));
    await section.getByRole("button", { name: "Verify" }).click();
    const codes = section.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await codes.first().waitFor();
    const recovery = await codes.allTextContents();
    expect(recovery).toHaveLength(10);

    await signOut(page);
    await passwordStep(page, email);
    await page.waitForURL(/\/login\/two-factor/);
    await hydrated(page);
    // The next time step: the one used for setting up cannot be used twice.
    await page.getByLabel("Authentication code").fill(codeFor(secret, 30));
    await page.getByRole("button", { name: "Verify" }).click();
    await leftSignIn(page);

    await signOut(page);
    await passwordStep(page, email);
    await page.waitForURL(/\/login\/two-factor/);
    await hydrated(page);
    await page.getByLabel("Authentication code").fill(recovery[0]);
    await page.getByRole("button", { name: "Verify" }).click();
    await leftSignIn(page);
    await visit(page, "/settings");
    await expect(page.getByText("9 recovery codes left.").isVisible()).resolves.toBe(true);
    await context.close();
  });
});

describe("a passkey", () => {
  it("is added in settings and used to sign in, through Chromium's virtual authenticator", async () => {
    const email = await person();
    const context = await newContext(browser());
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
    });
    await passwordStep(page, email);
    await leftSignIn(page);
    await visit(page, "/settings");
    const section = page.getByRole("region", { name: "Two-factor authentication" });
    await section.getByLabel("Name for a new passkey").fill("Work laptop");
    await section.getByRole("button", { name: "Add a passkey" }).click();
    await section.getByText("Work laptop", { exact: true }).waitFor();

    await signOut(page);
    await passwordStep(page, email);
    await page.waitForURL(/\/login\/two-factor/);
    await hydrated(page);
    await page.getByRole("button", { name: "Use a passkey" }).click();
    await leftSignIn(page);
    await visit(page, "/settings");
    await expect(page.getByText("last used").first().isVisible()).resolves.toBe(true);
    await context.close();
  });
});

describe("a body that requires two-factor sign-in", () => {
  it("leads a member without a second factor to set one up before anything else", async () => {
    const slug = `tf-body-${randomUUID().slice(0, 8)}`;
    const id = randomUUID().replace(/-/g, "").slice(0, 16);
    const now = Date.now();
    await db.execute({ sql: "insert into bodies (id, slug, name_en, name_ja, name_ko, created_at, updated_at) values (?, ?, 'Test Body', 'テスト', '테스트', ?, ?)", args: [id, slug, now, now] });
    const secretariat = await person("secretariat", id);
    const member = await person("secretariat", id);

    const context = await newContext(browser());
    const page = await context.newPage();
    await passwordStep(page, secretariat);
    await leftSignIn(page);
    await visit(page, `/bodies/${slug}/members`);
    await page.getByRole("button", { name: "Require two-factor sign-in" }).click();
    // The secretariat is a member too: without a second factor, they are the first to be led to set one up.
    await page.waitForURL(/\/settings/);
    await hydrated(page);
    await page.getByRole("alert").filter({ hasText: "requires two-factor sign-in" }).waitFor();
    await context.close();

    const second = await newContext(browser());
    const other = await second.newPage();
    await passwordStep(other, member);
    await other.waitForURL(/\/settings/);
    await hydrated(other);
    await other.getByRole("alert").filter({ hasText: "requires two-factor sign-in" }).waitFor();
    await other.goto(`/bodies/${slug}`);
    expect(new URL(other.url()).pathname).toBe("/settings");
    await second.close();
  });
});
