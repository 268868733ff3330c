import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { knownDevices, recoveryCodes, sessions, users } from "#db/schema";
import { db } from "~/lib/db.server";
import { ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { newSecret } from "~/lib/ids";
import { verifyDecoy, verifyPassword } from "~/lib/passwords.server";
import { withTransaction } from "~/lib/transaction.server";
import { email, formConstraints, LIMITS, parseInput } from "~/lib/validation";
import { recordAudit } from "~/models/core/audit.server";
import { createSession, findPendingSession } from "~/models/people/sessions.server";
import { reserveAttempt, THROTTLE, type ThrottleRule } from "~/models/people/throttle.server";

/**
 * Signing in: the password, then (when the person has one) the second factor. Every guess is
 * throttled before it is checked (throttle.server.ts, ADR 010):
 *
 * - 5 failures for one account from one address lock that address out of that account;
 * - 20 failures from one address lock that address out;
 * - past 10 failures for one account from anywhere, attempts from browsers that have never
 *   signed in to it wait a delay that doubles up to a minute; a browser the person has signed
 *   in with before (the `concord_device` cookie) is not slowed, so a guesser elsewhere cannot
 *   lock the owner out.
 */

const signInSchema = z.object({
  email: email(),
  password: z.string().min(1).max(LIMITS.password),
});
export const signInConstraints = formConstraints(signInSchema);

export interface SignInResult {
  token: string;
  userId: string;
  /** "full": signed in. "second-factor": the token only lets the person finish with a code or passkey. */
  stage: "full" | "second-factor";
  /** A new known-device token for the cookie, after a full sign-in. */
  deviceToken?: string;
}

async function isKnownDevice(userId: string | undefined, deviceToken: string | null | undefined) {
  if (!userId || !deviceToken) return false;
  const [row] = await db()
    .select({ userId: knownDevices.userId })
    .from(knownDevices)
    .where(and(eq(knownDevices.tokenHash, sha256(deviceToken)), eq(knownDevices.userId, userId)))
    .limit(1);
  return !!row;
}

export async function hasSecondFactor(userId: string): Promise<boolean> {
  const [row] = await db()
    .select({
      totp: users.totpConfirmedAt,
      // Written out: drizzle leaves columns unqualified inside sql``, and "id" would mean the inner table's.
      keys: sql<number>`(select count(*) from webauthn_credentials w where w.user_id = "users"."id")`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return !!row && (row.totp !== null || Number(row.keys) > 0);
}

/** Remembers this browser for the person (a new token each full sign-in; the old one is replaced). */
export async function rememberDevice(userId: string, previous: string | null | undefined, now = new Date()): Promise<string> {
  const token = newSecret();
  await withTransaction(async (tx) => {
    if (previous) await tx.delete(knownDevices).where(and(eq(knownDevices.tokenHash, sha256(previous)), eq(knownDevices.userId, userId)));
    await tx.insert(knownDevices).values({ tokenHash: sha256(token), userId, createdAt: now, lastUsedAt: now });
  });
  return token;
}

/**
 * Checks the password. Without a second factor this opens the session; with one, it opens a
 * short "second-factor" session that can only finish signing in.
 */
export async function signIn({
  input,
  address,
  userAgent,
  deviceToken,
  now = new Date(),
}: {
  input: unknown;
  address: string;
  userAgent: string | null;
  deviceToken?: string | null;
  now?: Date;
}): Promise<SignInResult> {
  const { email: mail, password } = parseInput(signInSchema, input);
  const [user] = await db().select().from(users).where(eq(users.email, mail)).limit(1);
  const rules: ThrottleRule[] = [
    { key: `pair:${mail}|${address}`, kind: "lock", limit: THROTTLE.perAccountAndAddress },
    { key: `ip:${address}`, kind: "lock", limit: THROTTLE.perAddress },
  ];
  if (!(await isKnownDevice(user?.id, deviceToken))) rules.push({ key: `email:${mail}`, kind: "delay", after: THROTTLE.perAccountBeforeDelay });
  else rules.push({ key: `email:${mail}`, kind: "delay", after: Number.MAX_SAFE_INTEGER });
  const attempt = await reserveAttempt(rules, now);

  const ok = user?.passwordHash && user.active ? await verifyPassword(user.passwordHash, password) : (await verifyDecoy(password), false);
  if (!user || !ok) throw ValidationError.field("", "auth:signIn.invalid");
  await attempt.succeeded([`pair:${mail}|${address}`]);

  const stage = (await hasSecondFactor(user.id)) ? "second-factor" : "full";
  const token = await withTransaction(async (tx) => {
    if (stage === "full") await recordAudit(tx, { bodyId: null, actorId: user.id, action: "user.signIn", entityType: "user", entityId: user.id, after: { address } });
    return createSession(tx, user.id, userAgent, { stage, address });
  });
  return { token, userId: user.id, stage, deviceToken: stage === "full" ? await rememberDevice(user.id, deviceToken, now) : undefined };
}

const codeSchema = z.object({ code: z.string().trim().min(1, { message: "errors:validation.required" }).max(40) });

/** A recovery code as typed: case, spaces and dashes do not matter. */
export const normaliseRecoveryCode = (code: string) => code.toLowerCase().replace(/[\s-]/g, "");

/**
 * The second step: a TOTP code from the authenticator app, or one of the recovery codes. On
 * success the pending session is replaced by a full one with a new token (so a token seen
 * before the second factor is worth nothing after it).
 */
export async function verifySecondFactor({
  token,
  input,
  address,
  userAgent,
  deviceToken,
  verifyTotp,
  now = new Date(),
}: {
  token: string;
  input: unknown;
  address: string;
  userAgent: string | null;
  deviceToken?: string | null;
  /** Checks a TOTP code for the person and returns its time step, or null (two-factor.server.ts). */
  verifyTotp: (userId: string, code: string, now: Date) => Promise<number | null>;
  now?: Date;
}): Promise<SignInResult | null> {
  const pending = await findPendingSession(token, now);
  if (!pending) return null;
  const { code } = parseInput(codeSchema, input);
  const attempt = await reserveAttempt(
    [
      { key: `2fa:${pending.id}`, kind: "lock", limit: THROTTLE.perSecondFactor },
      { key: `2fa-user:${pending.userId}`, kind: "lock", limit: THROTTLE.perSecondFactor * 4 },
    ],
    now,
  );
  const digits = code.replace(/\s/g, "");
  let method: "totp" | "recovery" | null = null;
  let recoveryId: string | null = null;
  if (/^\d{6}$/.test(digits)) {
    if ((await verifyTotp(pending.userId, digits, now)) !== null) method = "totp";
  } else {
    const [row] = await db()
      .select({ id: recoveryCodes.id })
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, pending.userId), eq(recoveryCodes.codeHash, sha256(normaliseRecoveryCode(code))), sql`${recoveryCodes.usedAt} is null`))
      .limit(1);
    if (row) {
      method = "recovery";
      recoveryId = row.id;
    }
  }
  if (!method) throw ValidationError.field("code", "auth:twoFactor.invalid");
  await attempt.succeeded([`2fa:${pending.id}`]);
  return finishSignIn({ pendingId: pending.id, userId: pending.userId, method, recoveryId, address, userAgent, deviceToken, now });
}

/** Replaces a pending session with a full one (after a code, a recovery code or a passkey). */
export async function finishSignIn({
  pendingId,
  userId,
  method,
  recoveryId = null,
  address,
  userAgent,
  deviceToken,
  now = new Date(),
}: {
  pendingId: string;
  userId: string;
  method: "totp" | "recovery" | "passkey";
  recoveryId?: string | null;
  address: string;
  userAgent: string | null;
  deviceToken?: string | null;
  now?: Date;
}): Promise<SignInResult | null> {
  const token = await withTransaction(async (tx) => {
    const gone = await tx.delete(sessions).where(and(eq(sessions.id, pendingId), eq(sessions.stage, "second-factor"))).returning({ id: sessions.id });
    // Two tabs finishing the same sign-in: only one wins.
    if (gone.length === 0) return null;
    if (recoveryId) {
      const used = await tx
        .update(recoveryCodes)
        .set({ usedAt: now })
        .where(and(eq(recoveryCodes.id, recoveryId), sql`${recoveryCodes.usedAt} is null`))
        .returning({ id: recoveryCodes.id });
      if (used.length === 0) throw ValidationError.field("code", "auth:twoFactor.invalid");
    }
    await recordAudit(tx, { bodyId: null, actorId: userId, action: "user.signIn", entityType: "user", entityId: userId, after: { address, method } });
    return createSession(tx, userId, userAgent, { address });
  });
  if (!token) return null;
  return { token, userId, stage: "full", deviceToken: await rememberDevice(userId, deviceToken, now) };
}
