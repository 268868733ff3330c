import { and, eq } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { auditEvents, outboxMessages, recoveryCodes, sessions, webauthnCredentials } from "#db/schema";
import { actorOf, cookieFor, createBody, createMember, createUser, PASSWORD } from "#tests/factories";
import { context, get, post, respond } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { RateLimitError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { issuePasswordToken, setPasswordWithToken, signOutOtherSessions } from "~/models/people/accounts.server";
import { withTransaction } from "~/lib/transaction.server";
import { getUser, requireUser } from "~/models/people/current-user.server";
import { findSession, listSessions } from "~/models/people/sessions.server";
import { hasSecondFactor, signIn, verifySecondFactor } from "~/models/people/sign-in.server";
import { confirmTotp, disableTotp, regenerateRecoveryCodes, resetMemberTwoFactor, setBodyTwoFactorRequirement, startTotpSetup, twoFactorStatus, verifyTotpCode } from "~/models/people/two-factor.server";
import * as twoFactorRoute from "~/routes/login_.two-factor";
import * as login from "~/routes/login";

/** What an authenticator app would show for a setup key at a moment. */
const codeAt = (secret: string, at: Date) => new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 }).generate({ timestamp: at.getTime() });

async function enrolled() {
  const body = await createBody({ codes: ["US"] });
  const member = await createMember(body, "delegate", "US");
  const { secret } = await startTotpSetup({ actor: member.actor });
  const now = new Date(Date.now() - 60_000);
  const { recoveryCodes: codes } = await confirmTotp({ actor: member.actor, input: { code: codeAt(secret, now) }, now });
  return { ...member, body, secret, codes: codes! };
}

const second = (token: string, code: string, now = new Date()) =>
  verifySecondFactor({ token, input: { code }, address: "10.9.0.1", userAgent: "vitest", verifyTotp: verifyTotpCode, now });

describe("an authenticator app", () => {
  it("is set up with a code computed from the setup key, gives ten recovery codes, and is audited and mailed", async () => {
    const { user, codes } = await enrolled();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await twoFactorStatus(user.id)).totp).toBe(true);
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.entityId, user.id), eq(auditEvents.action, "user.twoFactor.totp.enable")));
    expect(audit).toHaveLength(1);
    const mail = await db().select().from(outboxMessages).where(and(eq(outboxMessages.userId, user.id), eq(outboxMessages.kind, "account.security")));
    expect(mail).toHaveLength(1);
    expect(mail[0].text).toContain("authenticator app");
  });

  it("refuses a wrong code at setup with a field error", async () => {
    const user = await createUser();
    await startTotpSetup({ actor: actorOf(user) });
    await expect(confirmTotp({ actor: actorOf(user), input: { code: "000000" } })).rejects.toBeInstanceOf(ValidationError);
    await expect(confirmTotp({ actor: actorOf(user), input: { code: "12ab" } })).rejects.toMatchObject({ fieldErrors: { code: [{ key: "settings:twoFactor.totp.codeFormat" }] } });
  });

  it("makes sign-in a two-step affair: the password alone gives no session, the code does, once", async () => {
    const { user, secret } = await enrolled();
    const first = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.1", userAgent: "vitest" });
    expect(first.stage).toBe("second-factor");
    expect(await findSession(first.token)).toBeNull();
    const code = codeAt(secret, new Date());
    const done = await second(first.token, code);
    expect(done?.stage).toBe("full");
    expect(done!.token).not.toBe(first.token);
    expect(await findSession(done!.token)).not.toBeNull();
    // The same code cannot sign in again (replay), even with a new password step.
    const again = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.1", userAgent: "vitest" });
    await expect(second(again.token, code)).rejects.toBeInstanceOf(ValidationError);
  });

  it("accepts each recovery code once, in any case and with or without dashes", async () => {
    const { user, codes } = await enrolled();
    const first = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.2", userAgent: "vitest" });
    expect((await second(first.token, ` ${codes[3].toUpperCase().replace(/-/g, " ")} `))?.stage).toBe("full");
    const used = await db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    expect(used.filter((c) => c.usedAt).length).toBe(1);
    const next = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.2", userAgent: "vitest" });
    await expect(second(next.token, codes[3])).rejects.toBeInstanceOf(ValidationError);
    expect((await twoFactorStatus(user.id)).recoveryCodesLeft).toBe(9);
  });

  it("stops guessing after five wrong codes for one sign-in", async () => {
    const { user } = await enrolled();
    const first = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.3", userAgent: "vitest" });
    for (let i = 0; i < 5; i++) await expect(second(first.token, String(100000 + i))).rejects.toBeInstanceOf(ValidationError);
    await expect(second(first.token, "123456")).rejects.toBeInstanceOf(RateLimitError);
  });

  it("is turned off only with the password, which ends the other sessions", async () => {
    const { user, actor } = await enrolled();
    const mine = await getUser(get("/", await cookieFor(user.id)));
    const otherCookie = await cookieFor(user.id);
    await expect(disableTotp({ actor, sessionId: mine!.sessionId, input: { password: "wrong" } })).rejects.toBeInstanceOf(ValidationError);
    await disableTotp({ actor, sessionId: mine!.sessionId, input: { password: PASSWORD } });
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);
    expect((await twoFactorStatus(user.id)).recoveryCodesLeft).toBe(0);
    expect(await getUser(get("/", otherCookie))).toBeNull();
  });

  it("replaces the recovery codes on request; the old ones stop working", async () => {
    const { user, actor, codes } = await enrolled();
    const fresh = await regenerateRecoveryCodes({ actor });
    expect(fresh).toHaveLength(10);
    const first = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.0.4", userAgent: "vitest" });
    await expect(second(first.token, codes[0])).rejects.toBeInstanceOf(ValidationError);
    expect((await second(first.token, fresh[0]))?.stage).toBe("full");
  });
});

describe("a passkey", () => {
  it("alone makes sign-in a two-step affair too", async () => {
    const user = await createUser();
    await db().insert(webauthnCredentials).values({ id: `cred-${user.id}`, userId: user.id, name: "Key", publicKey: Buffer.from([1]), counter: 0, transports: [] });
    expect(await hasSecondFactor(user.id)).toBe(true);
    const first = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.2.1", userAgent: "vitest" });
    expect(first.stage).toBe("second-factor");
  });
});

describe("a password reset", () => {
  it("never bypasses the second factor: the link leads to the code step, not into the app", async () => {
    const { user, secret } = await enrolled();
    const link = await withTransaction((tx) => issuePasswordToken(tx, user.id));
    const result = await setPasswordWithToken({ token: link, input: { password: "a brand new passphrase", confirmPassword: "a brand new passphrase" }, userAgent: "vitest" });
    expect(result?.stage).toBe("second-factor");
    expect(await findSession(result!.token)).toBeNull();
    expect((await second(result!.token, codeAt(secret, new Date(Date.now() + 30_000))))?.stage).toBe("full");
  });
});

describe("the sign-in pages", () => {
  it("send a person with a second factor from /login to the code step, and sign them in there", async () => {
    const { user, secret } = await enrolled();
    const response = await respond(() => login.action({ request: post("/login", { email: user.email, password: PASSWORD, redirectTo: "/settings" }), params: {}, context }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login/two-factor?redirectTo=%2Fsettings");
    const cookie = response.headers.get("set-cookie")!.split(";")[0];
    const page = await respond(() => twoFactorRoute.loader({ request: get("/login/two-factor", cookie), params: {}, context }));
    expect(page.status).toBe(200);
    const done = await respond(() =>
      twoFactorRoute.action({ request: post("/login/two-factor", { intent: "code", code: codeAt(secret, new Date()), redirectTo: "/settings" }, cookie), params: {}, context }),
    );
    expect(done.status).toBe(302);
    expect(done.headers.get("location")).toBe("/settings");
    const cookies = done.headers.get("set-cookie")!;
    expect(cookies).toMatch(/concord_session=/);
    expect(cookies).toMatch(/concord_device=/);
  });

  it("send the code step back to /login without a pending sign-in", async () => {
    const response = await respond(() => twoFactorRoute.loader({ request: get("/login/two-factor"), params: {}, context }));
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login");
  });
});

describe("a body that requires two-factor sign-in", () => {
  it("leads members without a second factor to set it up before anything else", async () => {
    const body = await createBody({ codes: ["US"] });
    const secretariat = await createMember(body, "secretariat");
    const member = await createMember(body, "delegate", "US");
    await setBodyTwoFactorRequirement({ actor: secretariat.actor, input: { bodyId: body.body.id, required: "1" } });
    const cookie = await cookieFor(member.user.id);
    const thrown = await requireUser(get("/", cookie)).catch((e) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect(thrown.headers.get("location")).toBe("/settings?setup=two-factor#two-factor");
    await expect(requireUser(get("/settings", cookie))).resolves.toMatchObject({ mustSetUpTwoFactor: true });
    const { secret } = await startTotpSetup({ actor: member.actor });
    await confirmTotp({ actor: member.actor, input: { code: codeAt(secret, new Date()) } });
    await expect(requireUser(get("/", cookie))).resolves.toMatchObject({ mustSetUpTwoFactor: false });
  });

  it("may be set only by the secretariat, and is audited", async () => {
    const body = await createBody({ codes: ["US"] });
    const secretariat = await createMember(body, "secretariat");
    const head = await createMember(body, "head", "US");
    await expect(setBodyTwoFactorRequirement({ actor: head.actor, input: { bodyId: body.body.id, required: "1" } })).rejects.toThrow();
    await setBodyTwoFactorRequirement({ actor: secretariat.actor, input: { bodyId: body.body.id, required: "1" } });
    const audit = await db().select().from(auditEvents).where(and(eq(auditEvents.bodyId, body.body.id), eq(auditEvents.action, "body.twoFactor")));
    expect(audit).toHaveLength(1);
  });

  it("lets the secretariat reset a member who lost their phone: factors and sessions go", async () => {
    const { user, body, membership } = await enrolled();
    const secretariat = await createMember(body, "secretariat");
    const cookie = await cookieFor(user.id);
    await expect(resetMemberTwoFactor({ actor: secretariat.actor, input: { bodyId: body.body.id, membershipId: membership.id, reason: " " } })).rejects.toBeInstanceOf(ValidationError);
    await resetMemberTwoFactor({ actor: secretariat.actor, input: { bodyId: body.body.id, membershipId: membership.id, reason: "Lost phone, confirmed by video call" } });
    expect((await twoFactorStatus(user.id)).enabled).toBe(false);
    expect(await getUser(get("/", cookie))).toBeNull();
  });
});

describe("active sessions", () => {
  it("are listed with device, address and last use; 'sign out of all other sessions' ends the rest", async () => {
    const user = await createUser();
    const mine = await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.1.1", userAgent: "Mozilla/5.0 (Windows NT 10.0) Chrome/140.0" });
    await signIn({ input: { email: user.email, password: PASSWORD }, address: "10.9.1.2", userAgent: "Mozilla/5.0 (iPhone) Safari/605.1" });
    const me = (await findSession(mine.token))!;
    const list = await listSessions({ actor: { id: user.id }, sessionId: me.sessionId });
    expect(list.map((s) => s.address).sort()).toEqual(["10.9.1.1", "10.9.1.2"]);
    expect(list.find((s) => s.current)?.address).toBe("10.9.1.1");
    await signOutOtherSessions({ actor: actorOf(user), sessionId: me.sessionId });
    const left = await db().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(left.map((s) => s.id)).toEqual([sha256(mine.token)]);
  });
});
