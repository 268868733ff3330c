import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, sessions, users } from "#db/schema";
import { actorOf, cookieFor, createUser, PASSWORD } from "#tests/factories";
import { context, get, post, respond } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { RateLimitError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { getUser } from "~/models/people/current-user.server";
import { changePassword, findPasswordToken, issuePasswordToken, setPasswordWithToken } from "~/models/people/accounts.server";
import { signIn } from "~/models/people/sign-in.server";
import { THROTTLE } from "~/models/people/throttle.server";
import { createSession, findSession } from "~/models/people/sessions.server";
import * as login from "~/routes/login";

const signInAs = (email: string, password: string, address = "10.0.0.1", now?: Date) =>
  signIn({ input: { email, password }, address, userAgent: "vitest", now });

describe("signing in", () => {
  it("opens a session whose cookie is httpOnly and SameSite=Lax, storing only the token's hash", async () => {
    const user = await createUser();
    const response = await respond(() =>
      login.action({ request: post("/login", { email: user.email.toUpperCase(), password: PASSWORD, redirectTo: "/settings" }), params: {}, context }),
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/settings");
    const cookie = response.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^concord_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const token = decodeURIComponent(cookie.split(";")[0].split("=")[1]);
    const rows = await db().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0].id).not.toContain(token.slice(0, 10));
  });

  it("refuses a wrong password with one message that does not say which part was wrong", async () => {
    const user = await createUser();
    await expect(signInAs(user.email, "wrong password")).rejects.toMatchObject({ fieldErrors: { "": [{ key: "auth:signIn.invalid" }] } });
    await expect(signInAs("nobody@example.org", "wrong password")).rejects.toMatchObject({ fieldErrors: { "": [{ key: "auth:signIn.invalid" }] } });
  });

  it("does not follow a redirect to another site after signing in", async () => {
    const user = await createUser();
    const response = await respond(() =>
      login.action({ request: post("/login", { email: user.email, password: PASSWORD, redirectTo: "//evil.example/x" }), params: {}, context }),
    );
    expect(response.headers.get("location")).toBe("/");
  });

  it("locks one address out of an account after five failures there, even for the right password; the owner elsewhere still signs in", async () => {
    const user = await createUser();
    for (let i = 0; i < THROTTLE.perAccountAndAddress; i++) {
      await expect(signInAs(user.email, `wrong ${i}`, "10.1.0.1")).rejects.toBeInstanceOf(ValidationError);
    }
    const error = await signInAs(user.email, PASSWORD, "10.1.0.1").catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterSeconds).toBeGreaterThan(14 * 60);
    await expect(signInAs(user.email, PASSWORD, "10.1.0.99")).resolves.toHaveProperty("token");
    // After the window the right password works again from the first address too.
    const later = new Date(Date.now() + THROTTLE.windowMs + 1000);
    await expect(signInAs(user.email, PASSWORD, "10.1.0.1", later)).resolves.toHaveProperty("token");
  });

  it("slows guesses at one account from many addresses, but not the owner's known browser", async () => {
    const user = await createUser();
    const { deviceToken } = await signInAs(user.email, PASSWORD, "10.4.0.200");
    const now = new Date();
    for (let i = 0; i < THROTTLE.perAccountBeforeDelay; i++) {
      await expect(signInAs(user.email, `wrong ${i}`, `10.4.0.${i}`, now)).rejects.toBeInstanceOf(ValidationError);
    }
    // An unknown browser at a fresh address must now wait (one second, doubling to a minute).
    await expect(signInAs(user.email, PASSWORD, "10.4.1.1", now)).rejects.toBeInstanceOf(RateLimitError);
    await expect(signInAs(user.email, PASSWORD, "10.4.1.1", new Date(now.getTime() + 1500))).resolves.toHaveProperty("token");
    // The owner's browser, known from an earlier sign-in, is not slowed at all.
    for (let i = 0; i < 5; i++) await signInAs(user.email, `wrong again ${i}`, `10.4.2.${i}`, now).catch(() => null);
    await expect(signIn({ input: { email: user.email, password: PASSWORD }, address: "10.4.3.1", userAgent: "vitest", deviceToken, now })).resolves.toHaveProperty("token");
  });

  it.each([
    ["a tab the browser strips", decodeURIComponent("/%09/evil.example/phish")],
    ["a line break", "/\n/evil.example"],
    ["a backslash", "/\\evil.example"],
    ["a dot segment", "/.//evil.example"],
    ["an encoded slash", "/%2F%2Fevil.example"],
  ])("after signing in, stays on this site for a redirectTo with %s (never a 500)", async (_label, redirectTo) => {
    const user = await createUser();
    const response = await respond(() => login.action({ request: post("/login", { email: user.email, password: PASSWORD, redirectTo }), params: {}, context }));
    expect(response.status).toBe(302);
    const location = response.headers.get("location")!;
    // Read as a browser reads a Location header.
    expect(new URL(location.replace(/[\t\n\r]/g, ""), "https://concord.example").origin).toBe("https://concord.example");
  });

  it("pauses an address that fails across many accounts", async () => {
    for (let i = 0; i < THROTTLE.perAddress; i++) {
      await expect(signInAs(`ghost-${i}@example.org`, "x", "10.2.0.1")).rejects.toBeInstanceOf(ValidationError);
    }
    const user = await createUser();
    await expect(signInAs(user.email, PASSWORD, "10.2.0.1")).rejects.toBeInstanceOf(RateLimitError);
    await expect(signInAs(user.email, PASSWORD, "10.2.0.2")).resolves.toHaveProperty("token");
  });

  it("answers a throttled sign-in form with 429 and Retry-After", async () => {
    const user = await createUser();
    for (let i = 0; i < THROTTLE.perAccountAndAddress; i++) await signInAs(user.email, "nope", context.clientAddress).catch(() => null);
    const response = await respond(() => login.action({ request: post("/login", { email: user.email, password: PASSWORD }), params: {}, context }));
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a deactivated account", async () => {
    const user = await createUser({ active: false });
    await expect(signInAs(user.email, PASSWORD)).rejects.toBeInstanceOf(ValidationError);
  });

  it.each([
    ["empty", { email: "", password: "" }],
    ["overlong", { email: `${"a".repeat(10_000)}@example.org`, password: "x".repeat(10_000) }],
    ["malformed", { email: "not an email", password: "x" }],
    ["hostile", { email: "<script>alert(1)</script>", password: "' OR 1=1 --" }],
  ])("answers %s input with field errors and 400", async (_label, form) => {
    const response = await respond(() => login.action({ request: post("/login", form), params: {}, context }));
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(Object.keys(body.fieldErrors).length).toBeGreaterThan(0);
  });
});

describe("sessions", () => {
  it("expire after the idle limit", async () => {
    const user = await createUser();
    const token = await createSession(db(), user.id, null);
    expect(await findSession(token)).not.toBeNull();
    const idle = new Date(Date.now() + 121 * 60_000);
    expect(await findSession(token, idle)).toBeNull();
    expect(await findSession(token)).toBeNull();
  });

  it("expire at the absolute limit however active they are", async () => {
    const user = await createUser();
    const token = await createSession(db(), user.id, null);
    await db().update(sessions).set({ expiresAt: new Date(Date.now() - 1) }).where(eq(sessions.id, sha256(token)));
    expect(await findSession(token)).toBeNull();
  });

  it("end with sign-out", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user.id);
    expect(await getUser(get("/", cookie))).not.toBeNull();
    const logout = await import("~/routes/logout");
    const response = await respond(() => logout.action({ request: post("/logout", {}, cookie), params: {}, context }));
    expect(response.headers.get("set-cookie")).toMatch(/Max-Age=0/i);
    expect(await getUser(get("/", cookie))).toBeNull();
  });
});

describe("passwords", () => {
  it("change, ending every other session and recording an audit event", async () => {
    const user = await createUser();
    const mine = await createSession(db(), user.id, null);
    const other = await createSession(db(), user.id, null);
    await changePassword({
      actor: actorOf(user),
      input: { currentPassword: PASSWORD, newPassword: "a brand new passphrase", confirmPassword: "a brand new passphrase" },
      sessionId: sha256(mine),
    });
    expect(await findSession(mine)).not.toBeNull();
    expect(await findSession(other)).toBeNull();
    await expect(signInAs(user.email, "a brand new passphrase")).resolves.toHaveProperty("token");
    const events = await db().select().from(auditEvents).where(eq(auditEvents.entityId, user.id));
    expect(events.map((e) => e.action)).toContain("user.password.change");
  });

  it("refuse a change with the wrong current password, a short one or a mismatch", async () => {
    const user = await createUser();
    const actor = actorOf(user);
    await expect(
      changePassword({ actor, input: { currentPassword: "nope", newPassword: "long enough password", confirmPassword: "long enough password" }, sessionId: "x" }),
    ).rejects.toMatchObject({ fieldErrors: { currentPassword: [{ key: "errors:validation.currentPasswordWrong" }] } });
    await expect(
      changePassword({ actor, input: { currentPassword: PASSWORD, newPassword: "short", confirmPassword: "short" }, sessionId: "x" }),
    ).rejects.toMatchObject({ fieldErrors: { newPassword: [{ key: "errors:validation.passwordTooShort" }] } });
    await expect(
      changePassword({ actor, input: { currentPassword: PASSWORD, newPassword: "long enough password", confirmPassword: "different one here" }, sessionId: "x" }),
    ).rejects.toMatchObject({ fieldErrors: { confirmPassword: [{ key: "errors:validation.passwordMismatch" }] } });
  });

  it("are stored as argon2id hashes", async () => {
    const user = await createUser();
    const [row] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(row.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("set through a one-time link that works once and signs the person in", async () => {
    const user = await createUser({ passwordHash: null });
    const token = await issuePasswordToken(db(), user.id);
    expect(await findPasswordToken(token)).toEqual({ email: user.email, name: user.name });
    const result = await setPasswordWithToken({ token, input: { password: "my first password", confirmPassword: "my first password" }, userAgent: null });
    expect(result?.userId).toBe(user.id);
    expect(await findPasswordToken(token)).toBeNull();
    expect(await setPasswordWithToken({ token, input: { password: "another password!", confirmPassword: "another password!" }, userAgent: null })).toBeNull();
    await expect(signInAs(user.email, "my first password")).resolves.toHaveProperty("token");
  });

  it("links expire after seven days and a newer link replaces an older one", async () => {
    const user = await createUser({ passwordHash: null });
    const first = await issuePasswordToken(db(), user.id);
    const second = await issuePasswordToken(db(), user.id);
    expect(await findPasswordToken(first)).toBeNull();
    expect(await findPasswordToken(second)).not.toBeNull();
    expect(await findPasswordToken(second, new Date(Date.now() + 8 * 24 * 3600_000))).toBeNull();
  });
});
