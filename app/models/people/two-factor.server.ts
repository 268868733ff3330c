import { randomBytes } from "node:crypto";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { and, asc, count, eq, isNull, sql } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { z } from "zod";
import { bodies, memberships, recoveryCodes, sessions, users, webauthnCredentials } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { verifyPassword } from "~/lib/passwords.server";
import { withTransaction } from "~/lib/transaction.server";
import { LIMITS, parseInput, plainText } from "~/lib/validation";
import { authorize } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { queueSecurityMail } from "~/models/people/security-mail.server";
import { revokeUser } from "~/models/people/revocation.server";
import { finishSignIn, normaliseRecoveryCode, type SignInResult } from "~/models/people/sign-in.server";
import { findPendingSession } from "~/models/people/sessions.server";

/**
 * Second factors (ADR 014): an authenticator app (TOTP, RFC 6238, through `otpauth`), passkeys
 * and security keys (WebAuthn, through `@simplewebauthn/server`), and ten one-time recovery
 * codes. Every change is audited and e-mailed to the person; turning a factor off needs the
 * password and ends the person's other sessions.
 */

const ISSUER = "Concord";
const TOTP_PERIOD = 30;
const RECOVERY_CODE_COUNT = 10;

const totpFor = (secret: string, label: string) =>
  new OTPAuth.TOTP({ issuer: ISSUER, label, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD, secret: OTPAuth.Secret.fromBase32(secret) });

/** The relying party is this site's host; the origin is the public URL the browser sees. */
function relyingParty() {
  const url = new URL(publicUrl());
  return { rpID: url.hostname, origin: url.origin, rpName: ISSUER };
}

// ---------- status ----------

export interface TwoFactorStatus {
  totp: boolean;
  passkeys: Array<{ id: string; name: string; createdAt: Date; lastUsedAt: Date | null }>;
  recoveryCodesLeft: number;
  /** Some body the person belongs to requires a second factor. */
  required: boolean;
  enabled: boolean;
}

export async function twoFactorStatus(userId: string): Promise<TwoFactorStatus> {
  const [user] = await db().select({ totp: users.totpConfirmedAt }).from(users).where(eq(users.id, userId));
  const passkeys = await db()
    .select({ id: webauthnCredentials.id, name: webauthnCredentials.name, createdAt: webauthnCredentials.createdAt, lastUsedAt: webauthnCredentials.lastUsedAt })
    .from(webauthnCredentials)
    .where(eq(webauthnCredentials.userId, userId))
    .orderBy(asc(webauthnCredentials.createdAt));
  const [codes] = await db().select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  const required = await twoFactorRequired(userId);
  const totp = !!user?.totp;
  return { totp, passkeys, recoveryCodesLeft: Number(codes?.n ?? 0), required, enabled: totp || passkeys.length > 0 };
}

export async function twoFactorRequired(userId: string): Promise<boolean> {
  const [row] = await db()
    .select({ n: count() })
    .from(memberships)
    .innerJoin(bodies, eq(bodies.id, memberships.bodyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true), eq(bodies.requireTwoFactor, true)));
  return Number(row?.n ?? 0) > 0;
}

/** The person must set up a second factor before doing anything else. */
export async function mustSetUpTwoFactor(userId: string): Promise<boolean> {
  if (!(await twoFactorRequired(userId))) return false;
  return !(await twoFactorStatus(userId)).enabled;
}

async function audited(tx: DbOrTx, actor: Actor, action: string, after?: Record<string, unknown>) {
  await recordAudit(tx, { bodyId: null, actorId: actor.id, action, entityType: "user", entityId: actor.id, after });
  await queueSecurityMail(tx, { userId: actor.id, change: action });
}

// ---------- authenticator app ----------

/** Starts (or restarts) setting up an authenticator app: a new secret, not in use until confirmed. */
export async function startTotpSetup({ actor }: { actor: Actor }) {
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await withTransaction(async (tx) => {
    const [user] = await tx.select({ confirmed: users.totpConfirmedAt }).from(users).where(eq(users.id, actor.id));
    if (user?.confirmed) throw ValidationError.field("", "settings:twoFactor.totp.alreadyOn");
    await tx.update(users).set({ totpSecret: secret }).where(eq(users.id, actor.id));
  });
  return setupView(secret, actor.email);
}

async function setupView(secret: string, email: string) {
  const uri = totpFor(secret, email).toString();
  const { default: QRCode } = await import("qrcode"); // on first use, not at start-up (ADR 033)
  const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 1 });
  return { secret, uri, qrSvg };
}

/** An authenticator app being set up but not yet confirmed: its QR code and setup key, for the settings page. */
export async function pendingTotpSetup({ actor }: { actor: Actor }) {
  const [user] = await db().select({ secret: users.totpSecret, confirmed: users.totpConfirmedAt, email: users.email }).from(users).where(eq(users.id, actor.id));
  if (!user?.secret || user.confirmed) return null;
  return setupView(user.secret, user.email);
}

/** Stops a setup that was started and not confirmed. */
export async function cancelTotpSetup({ actor }: { actor: Actor }): Promise<void> {
  await db().update(users).set({ totpSecret: null }).where(and(eq(users.id, actor.id), isNull(users.totpConfirmedAt)));
}

/** Checks a code against a secret, refusing a time step already used (a code works once). */
function matchStep(secret: string, code: string, lastStep: number | null, now: Date): number | null {
  const delta = totpFor(secret, "").validate({ token: code, timestamp: now.getTime(), window: 1 });
  if (delta === null) return null;
  const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD) + delta;
  return lastStep !== null && step <= lastStep ? null : step;
}

/** For sign-in: checks the person's confirmed TOTP code and records its step. */
export async function verifyTotpCode(userId: string, code: string, now = new Date()): Promise<number | null> {
  return withTransaction(async (tx) => {
    const [user] = await tx.select({ secret: users.totpSecret, confirmed: users.totpConfirmedAt, lastStep: users.totpLastStep }).from(users).where(eq(users.id, userId));
    if (!user?.secret || !user.confirmed) return null;
    const step = matchStep(user.secret, code, user.lastStep, now);
    if (step !== null) await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, userId));
    return step;
  });
}

const codeInput = z.object({ code: z.string().trim().regex(/^\d{6}$/, { message: "settings:twoFactor.totp.codeFormat" }) });

/** Confirms the app with a code it shows; returns new recovery codes when the person had none. */
export async function confirmTotp({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }): Promise<{ recoveryCodes: string[] | null }> {
  const { code } = parseInput(codeInput, input);
  return withTransaction(async (tx) => {
    const [user] = await tx.select({ secret: users.totpSecret, confirmed: users.totpConfirmedAt }).from(users).where(eq(users.id, actor.id));
    if (!user?.secret || user.confirmed) throw ValidationError.field("code", "settings:twoFactor.totp.noSetup");
    const step = matchStep(user.secret, code, null, now);
    if (step === null) throw ValidationError.field("code", "settings:twoFactor.totp.wrongCode");
    await tx.update(users).set({ totpConfirmedAt: now, totpLastStep: step }).where(eq(users.id, actor.id));
    await audited(tx, actor, "user.twoFactor.totp.enable");
    return { recoveryCodes: await ensureRecoveryCodes(tx, actor.id) };
  });
}

const passwordInput = z.object({ password: z.string().min(1, { message: "errors:validation.required" }).max(LIMITS.password) });

async function checkPassword(actor: Actor, input: unknown) {
  const { password } = parseInput(passwordInput, input);
  const [user] = await db().select({ hash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  if (!user?.hash || !(await verifyPassword(user.hash, password))) throw ValidationError.field("password", "errors:validation.currentPasswordWrong");
}

/** Removing a factor is a reset of the account's security: other sessions end. */
function endOtherSessions(tx: DbOrTx, afterCommit: (f: () => unknown) => void, userId: string, sessionId: string) {
  afterCommit(() => revokeUser(userId, { reason: "signed-out", exceptSessionId: sessionId }));
  return tx.delete(sessions).where(and(eq(sessions.userId, userId), sql`${sessions.id} <> ${sessionId}`));
}

export async function disableTotp({ actor, sessionId, input }: { actor: Actor; sessionId: string; input: unknown }): Promise<void> {
  await checkPassword(actor, input);
  await withTransaction(async (tx, afterCommit) => {
    await tx.update(users).set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null }).where(eq(users.id, actor.id));
    await afterFactorRemoved(tx, actor.id);
    await endOtherSessions(tx, afterCommit, actor.id, sessionId);
    await audited(tx, actor, "user.twoFactor.totp.disable");
  });
}

/** With no factor left, the recovery codes mean nothing: they go too. */
async function afterFactorRemoved(tx: DbOrTx, userId: string) {
  const [user] = await tx.select({ totp: users.totpConfirmedAt }).from(users).where(eq(users.id, userId));
  const [keys] = await tx.select({ n: count() }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, userId));
  if (!user?.totp && Number(keys?.n ?? 0) === 0) await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}

// ---------- recovery codes ----------

/** "abcd-efgh-ij": 50 bits from a 32-letter alphabet without look-alikes. */
function newRecoveryCode(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 10)}`;
}

async function replaceRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId, codeHash: sha256(normaliseRecoveryCode(c)) })));
  return codes;
}

async function ensureRecoveryCodes(tx: DbOrTx, userId: string): Promise<string[] | null> {
  const [row] = await tx.select({ n: count() }).from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return Number(row?.n ?? 0) > 0 ? null : replaceRecoveryCodes(tx, userId);
}

/** New codes; the old ones stop working. Shown once. */
export async function regenerateRecoveryCodes({ actor }: { actor: Actor }): Promise<string[]> {
  if (!(await twoFactorStatus(actor.id)).enabled) throw ValidationError.field("", "settings:twoFactor.recovery.needFactor");
  return withTransaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, actor.id);
    await audited(tx, actor, "user.twoFactor.recovery.regenerate");
    return codes;
  });
}

// ---------- passkeys ----------

async function setChallenge(sessionId: string, challenge: string) {
  await db().update(sessions).set({ challenge }).where(eq(sessions.id, sessionId));
}

/** The session's pending challenge, cleared as it is read: each one can be answered once. */
async function takeChallenge(sessionId: string): Promise<string | null> {
  return withTransaction(async (tx) => {
    const [row] = await tx.select({ challenge: sessions.challenge }).from(sessions).where(eq(sessions.id, sessionId));
    if (row?.challenge) await tx.update(sessions).set({ challenge: null }).where(eq(sessions.id, sessionId));
    return row?.challenge ?? null;
  });
}

/**
 * @simplewebauthn/server with its ASN.1 and X.509 libraries (430 KB): loaded by the first passkey
 * ceremony, not at start-up (ADR 033, ADR 048).
 */
const webauthn = () => import("@simplewebauthn/server");

export async function passkeyRegistrationOptions({ actor, sessionId }: { actor: Actor; sessionId: string }) {
  const { rpID, rpName } = relyingParty();
  const existing = await db().select({ id: webauthnCredentials.id, transports: webauthnCredentials.transports }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, actor.id));
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName,
    rpID,
    userName: actor.email,
    userDisplayName: actor.name,
    userID: new TextEncoder().encode(actor.id),
    attestationType: "none",
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports as never })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  await setChallenge(sessionId, options.challenge);
  return options;
}

const registrationInput = z.object({
  name: plainText(z.string().trim().min(1, { message: "errors:validation.required" }).max(LIMITS.short)),
  response: z.string().min(2).max(20_000),
});

/** Adds a passkey; returns new recovery codes when the person had none. */
export async function registerPasskey({ actor, sessionId, input }: { actor: Actor; sessionId: string; input: unknown }): Promise<{ recoveryCodes: string[] | null }> {
  const { name, response } = parseInput(registrationInput, input);
  const expectedChallenge = await takeChallenge(sessionId);
  if (!expectedChallenge) throw ValidationError.field("", "settings:twoFactor.passkey.failed");
  const { rpID, origin } = relyingParty();
  let verification;
  try {
    verification = await (await webauthn()).verifyRegistrationResponse({ response: JSON.parse(response) as RegistrationResponseJSON, expectedChallenge, expectedOrigin: origin, expectedRPID: rpID });
  } catch {
    throw ValidationError.field("", "settings:twoFactor.passkey.failed");
  }
  if (!verification.verified || !verification.registrationInfo) throw ValidationError.field("", "settings:twoFactor.passkey.failed");
  const { credential } = verification.registrationInfo;
  return withTransaction(async (tx) => {
    await tx.insert(webauthnCredentials).values({
      id: credential.id,
      userId: actor.id,
      name,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: credential.transports ?? [],
    });
    await audited(tx, actor, "user.twoFactor.passkey.add", { name });
    return { recoveryCodes: await ensureRecoveryCodes(tx, actor.id) };
  });
}

export async function removePasskey({ actor, sessionId, input }: { actor: Actor; sessionId: string; input: unknown }): Promise<void> {
  const { id } = parseInput(z.object({ id: z.string().min(1).max(400) }), input);
  await checkPassword(actor, input);
  await withTransaction(async (tx, afterCommit) => {
    const gone = await tx.delete(webauthnCredentials).where(and(eq(webauthnCredentials.id, id), eq(webauthnCredentials.userId, actor.id))).returning({ name: webauthnCredentials.name });
    if (gone.length === 0) return;
    await afterFactorRemoved(tx, actor.id);
    await endOtherSessions(tx, afterCommit, actor.id, sessionId);
    await audited(tx, actor, "user.twoFactor.passkey.remove", { name: gone[0].name });
  });
}

/** Sign-in with a passkey, after the password: options for the pending session. */
export async function passkeySignInOptions(token: string) {
  const pending = await findPendingSession(token);
  if (!pending) return null;
  const creds = await db().select({ id: webauthnCredentials.id, transports: webauthnCredentials.transports }).from(webauthnCredentials).where(eq(webauthnCredentials.userId, pending.userId));
  if (creds.length === 0) return null;
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: relyingParty().rpID,
    allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports as never })),
    userVerification: "preferred",
  });
  await setChallenge(pending.id, options.challenge);
  return options;
}

export async function verifyPasskeySignIn({
  token,
  input,
  address,
  userAgent,
  deviceToken,
}: {
  token: string;
  input: unknown;
  address: string;
  userAgent: string | null;
  deviceToken?: string | null;
}): Promise<SignInResult | null> {
  const pending = await findPendingSession(token);
  if (!pending) return null;
  const { response } = parseInput(z.object({ response: z.string().min(2).max(20_000) }), input);
  const failed = () => ValidationError.field("", "auth:twoFactor.passkeyFailed");
  const expectedChallenge = await takeChallenge(pending.id);
  if (!expectedChallenge) throw failed();
  let parsed: AuthenticationResponseJSON;
  try {
    parsed = JSON.parse(response) as AuthenticationResponseJSON;
  } catch {
    throw failed();
  }
  const [cred] = await db()
    .select()
    .from(webauthnCredentials)
    .where(and(eq(webauthnCredentials.id, String(parsed.id)), eq(webauthnCredentials.userId, pending.userId)));
  if (!cred) throw failed();
  const { rpID, origin } = relyingParty();
  let result;
  try {
    result = await (await webauthn()).verifyAuthenticationResponse({
      response: parsed,
      expectedChallenge,
      expectedOrigin: origin,
      expectedRPID: rpID,
      credential: { id: cred.id, publicKey: new Uint8Array(cred.publicKey), counter: cred.counter, transports: cred.transports },
    });
  } catch {
    throw failed();
  }
  if (!result.verified) throw failed();
  await db().update(webauthnCredentials).set({ counter: result.authenticationInfo.newCounter, lastUsedAt: new Date() }).where(eq(webauthnCredentials.id, cred.id));
  return finishSignIn({ pendingId: pending.id, userId: pending.userId, method: "passkey", address, userAgent, deviceToken });
}

// ---------- the secretariat's requirement ----------

export async function setBodyTwoFactorRequirement({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  const data = parseInput(z.object({ bodyId: z.string().min(1).max(64), required: z.enum(["0", "1"]).transform((v) => v === "1") }), input);
  await withTransaction(async (tx) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const [before] = await tx.select({ required: bodies.requireTwoFactor }).from(bodies).where(eq(bodies.id, data.bodyId));
    if (before?.required === data.required) return;
    await tx.update(bodies).set({ requireTwoFactor: data.required }).where(eq(bodies.id, data.bodyId));
    await recordAudit(tx, { bodyId: data.bodyId, actorId: actor.id, action: "body.twoFactor", entityType: "body", entityId: data.bodyId, before: { required: before?.required ?? false }, after: { required: data.required } });
  });
}

/**
 * A secretariat resets a member's second factors (lost phone and codes): every factor and
 * session goes, the member sets one up again at the next sign-in. Irreversible: a reason is
 * asked for and audited.
 */
export async function resetMemberTwoFactor({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  const data = parseInput(
    z.object({ bodyId: z.string().min(1).max(64), membershipId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(2000) }),
    input,
  );
  await withTransaction(async (tx, afterCommit) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const [member] = await tx
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.bodyId, data.bodyId), eq(memberships.id, data.membershipId)));
    if (!member) throw new NotFoundError("membership");
    await tx.update(users).set({ totpSecret: null, totpConfirmedAt: null, totpLastStep: null }).where(eq(users.id, member.userId));
    await tx.delete(webauthnCredentials).where(eq(webauthnCredentials.userId, member.userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, member.userId));
    await tx.delete(sessions).where(eq(sessions.userId, member.userId));
    afterCommit(() => revokeUser(member.userId, { reason: "signed-out" }));
    await recordAudit(tx, { bodyId: data.bodyId, actorId: actor.id, action: "user.twoFactor.reset", entityType: "user", entityId: member.userId, after: { reason: data.reason } });
    await queueSecurityMail(tx, { userId: member.userId, change: "user.twoFactor.reset" });
  });
}
