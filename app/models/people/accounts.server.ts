import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { passwordTokens, sessions, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";
import { memoized, recall } from "~/lib/request-scope.server";
import { ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { isLocale, locales } from "~/lib/i18n";
import { newSecret } from "~/lib/ids";
import { hashPassword, verifyPassword } from "~/lib/passwords.server";
import { isTimeZone } from "~/lib/time-zones";
import { formConstraints, LIMITS, parseInput } from "~/lib/validation";
import { activeMemberships } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { revokeUser } from "~/models/people/revocation.server";
import { createSession, deleteUserSessions } from "~/models/people/sessions.server";

const MINUTE = 60_000;
const PASSWORD_LINK_TTL_MS = 7 * 24 * 60 * MINUTE;

const newPassword = z
  .string()
  .min(12, { message: "errors:validation.passwordTooShort" })
  .max(LIMITS.password);

// ---------- profile and preferences ----------

export interface Profile {
  id: string;
  name: string;
  email: string;
  locale: string | null;
  timeZone: string | null;
  /** The zone to show times in: the user's choice, else their delegation's capital. */
  effectiveTimeZone: string;
}

export function getProfile(userId: string): Promise<Profile | null> {
  return memoized(`profile:${userId}`, () => readProfile(userId));
}

async function readProfile(userId: string): Promise<Profile | null> {
  // The session lookup of this request may have read the row already (ADR 040).
  const known = await recall<Omit<Profile, "effectiveTimeZone">>(`user:${userId}`);
  const user = known ?? (await db().select().from(users).where(eq(users.id, userId)).limit(1))[0];
  if (!user) return null;
  // No zone of their own: their delegation's capital, from the oldest membership that has one.
  const zone = user.timeZone ?? (await activeMemberships(userId)).find((m) => m.delegationTimeZone)?.delegationTimeZone ?? "UTC";
  return { id: user.id, name: user.name, email: user.email, locale: user.locale, timeZone: user.timeZone, effectiveTimeZone: zone };
}

const preferencesSchema = z.object({
  name: z.string().trim().min(1).max(LIMITS.short),
  locale: z.enum(["", ...locales]).transform((v) => (v === "" ? null : v)),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .refine((v) => v === "" || isTimeZone(v), { message: "errors:validation.timeZone" })
    .transform((v) => (v === "" ? null : v)),
});
export const preferencesConstraints = formConstraints(preferencesSchema);

export async function updatePreferences({ actor, input }: { actor: Actor; input: unknown }): Promise<void> {
  const next = parseInput(preferencesSchema, input);
  await withTransaction(async (tx) => {
    const [before] = await tx
      .select({ name: users.name, locale: users.locale, timeZone: users.timeZone })
      .from(users)
      .where(eq(users.id, actor.id));
    await tx.update(users).set(next).where(eq(users.id, actor.id));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "user.preferences", entityType: "user", entityId: actor.id, before, after: next });
  });
}

/** Sets only the language: the switcher in the header. */
export async function setLocale({ actor, input }: { actor: Actor; input: { locale: string } }): Promise<void> {
  if (!isLocale(input.locale)) throw ValidationError.field("locale", "errors:validation.choice");
  await withTransaction(async (tx) => {
    const [before] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, actor.id));
    await tx.update(users).set({ locale: input.locale }).where(eq(users.id, actor.id));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "user.locale", entityType: "user", entityId: actor.id, before, after: { locale: input.locale } });
  });
}

// ---------- passwords ----------

const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1).max(LIMITS.password),
    newPassword,
    confirmPassword: z.string().max(LIMITS.password),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "errors:validation.passwordMismatch" });
export const changePasswordConstraints = formConstraints(changePasswordSchema);

/** Changes the password and ends every other session of the user. */
export async function changePassword({ actor, input, sessionId }: { actor: Actor; input: unknown; sessionId: string }): Promise<void> {
  const { currentPassword, newPassword: next } = parseInput(changePasswordSchema, input);
  const [user] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, actor.id));
  if (!user?.passwordHash || !(await verifyPassword(user.passwordHash, currentPassword))) {
    throw ValidationError.field("currentPassword", "errors:validation.currentPasswordWrong");
  }
  const passwordHash = await hashPassword(next);
  await withTransaction(async (tx, afterCommit) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await deleteUserSessions(tx, actor.id, sessionId);
    afterCommit(() => revokeUser(actor.id, { reason: "signed-out", exceptSessionId: sessionId }));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "user.password.change", entityType: "user", entityId: actor.id });
  });
}

/** A one-time link token to set a password; earlier unused links of the user stop working. */
export async function issuePasswordToken(tx: DbOrTx, userId: string, now = new Date()): Promise<string> {
  const token = newSecret();
  await tx.delete(passwordTokens).where(and(eq(passwordTokens.userId, userId), isNull(passwordTokens.usedAt)));
  await tx.insert(passwordTokens).values({
    tokenHash: sha256(token),
    userId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PASSWORD_LINK_TTL_MS),
  });
  return token;
}

async function liveToken(tx: DbOrTx, token: string, now: Date) {
  const [row] = await tx
    .select({ userId: passwordTokens.userId, email: users.email, name: users.name, active: users.active })
    .from(passwordTokens)
    .innerJoin(users, eq(users.id, passwordTokens.userId))
    .where(and(eq(passwordTokens.tokenHash, sha256(token)), isNull(passwordTokens.usedAt), gt(passwordTokens.expiresAt, now)))
    .limit(1);
  return row && row.active ? row : null;
}

/** Who a set-password link is for, or null when it is unknown, used or expired. */
export async function findPasswordToken(token: string, now = new Date()) {
  const row = await liveToken(db(), token, now);
  return row ? { email: row.email, name: row.name } : null;
}

const setPasswordSchema = z
  .object({ password: newPassword, confirmPassword: z.string().max(LIMITS.password) })
  .refine((v) => v.password === v.confirmPassword, { path: ["confirmPassword"], message: "errors:validation.passwordMismatch" });
export const setPasswordConstraints = formConstraints(setPasswordSchema);

/** Uses a one-time link: sets the password, ends old sessions, and signs the person in. */
export async function setPasswordWithToken({
  token,
  input,
  userAgent,
  now = new Date(),
}: {
  token: string;
  input: unknown;
  userAgent: string | null;
  now?: Date;
}): Promise<{ token: string; userId: string; stage: "full" | "second-factor" } | null> {
  const { password } = parseInput(setPasswordSchema, input);
  const passwordHash = await hashPassword(password);
  return withTransaction(async (tx, afterCommit) => {
    const row = await liveToken(tx, token, now);
    if (!row) return null;
    afterCommit(() => revokeUser(row.userId, { reason: "signed-out" }));
    await tx.update(passwordTokens).set({ usedAt: now }).where(eq(passwordTokens.tokenHash, sha256(token)));
    await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId));
    await deleteUserSessions(tx, row.userId);
    await recordAudit(tx, { bodyId: null, actorId: row.userId, action: "user.password.set", entityType: "user", entityId: row.userId });
    // A reset never bypasses a second factor: with one, the person still has to give it.
    const [factor] = await tx
      .select({ totp: users.totpConfirmedAt, keys: sql<number>`(select count(*) from webauthn_credentials w where w.user_id = "users"."id")` })
      .from(users)
      .where(eq(users.id, row.userId));
    const stage = factor && (factor.totp !== null || Number(factor.keys) > 0) ? ("second-factor" as const) : ("full" as const);
    return { token: await createSession(tx, row.userId, userAgent, { stage }), userId: row.userId, stage };
  });
}

// ---------- sessions ----------

/** "Sign out of all other sessions": every other browser of the person is signed out at once. */
export async function signOutOtherSessions({ actor, sessionId }: { actor: Actor; sessionId: string }): Promise<number> {
  return withTransaction(async (tx, afterCommit) => {
    const gone = await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, actor.id), ne(sessions.id, sessionId)))
      .returning({ id: sessions.id });
    afterCommit(() => revokeUser(actor.id, { reason: "signed-out", exceptSessionId: sessionId }));
    await recordAudit(tx, { bodyId: null, actorId: actor.id, action: "user.sessions.signOutOthers", entityType: "user", entityId: actor.id, after: { count: gone.length } });
    return gone.length;
  });
}
