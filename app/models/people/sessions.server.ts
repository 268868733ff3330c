import { and, desc, eq, lt, ne, sql } from "drizzle-orm";
import { sessions, users } from "#db/schema";
import { db, primaryDb, type DbOrTx } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import { preparedPerHandle } from "~/lib/prepared-query.server";
import { newSecret } from "~/lib/ids";
import { revokeSession } from "./revocation.server";

const MINUTE = 60_000;

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export function sessionPolicy(): SessionPolicy {
  return {
    idleMs: Number(process.env.SESSION_IDLE_MINUTES ?? 120) * MINUTE,
    absoluteMs: Number(process.env.SESSION_MAX_HOURS ?? 12) * 60 * MINUTE,
  };
}

/** A sign-in waiting for its second factor lasts this long. */
export const PENDING_SESSION_MS = 10 * MINUTE;

/**
 * Starts a session and returns the token for the cookie; the database keeps only its hash.
 * A "second-factor" session only lets its holder finish signing in (`findPendingSession`).
 */
export async function createSession(
  tx: DbOrTx,
  userId: string,
  userAgent: string | null,
  { stage = "full", address = null }: { stage?: "full" | "second-factor"; address?: string | null } = {},
): Promise<string> {
  const token = newSecret();
  const now = new Date();
  await tx.insert(sessions).values({
    id: sha256(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + (stage === "full" ? sessionPolicy().absoluteMs : PENDING_SESSION_MS)),
    userAgent: userAgent?.slice(0, 300) ?? null,
    address: address?.slice(0, 100) ?? null,
    stage,
  });
  return token;
}

/** A sign-in that has passed its password and waits for the second factor, or null. */
export async function findPendingSession(token: string, now = new Date()) {
  const [row] = await primaryDb()
    .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt, challenge: sessions.challenge, active: users.active, email: users.email, name: users.name })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sha256(token)), eq(sessions.stage, "second-factor")))
    .limit(1);
  if (!row || row.expiresAt <= now || !row.active) return null;
  return row;
}

export interface SessionUser {
  sessionId: string;
  expiresAt: Date;
  /** A body of theirs requires a second factor and they have none yet: they must set one up first. */
  mustSetUpTwoFactor: boolean;
  user: { id: string; name: string; email: string; locale: string | null; timeZone: string | null };
}

/**
 * The session with its user and whether they must still set up a second factor: every page
 * asks, so the statement is built once (ADR 051).
 */
const liveSession = preparedPerHandle((handle: DbOrTx) =>
  handle
    .select({
      id: sessions.id,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
      user: { id: users.id, name: users.name, email: users.email, locale: users.locale, timeZone: users.timeZone, active: users.active },
      // Written out with aliases: drizzle leaves columns unqualified inside sql``.
      mustSetUp: sql<number>`("users"."totp_confirmed_at" is null
        and not exists (select 1 from webauthn_credentials w where w.user_id = "users"."id")
        and exists (select 1 from memberships m join bodies b on b.id = m.body_id
          where m.user_id = "users"."id" and m.active = 1 and b.require_two_factor = 1))`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sql.placeholder("id")), eq(sessions.stage, "full")))
    .limit(1)
    .prepare(),
);

/**
 * The live session for a token, or null. Idle and absolute expiry are both enforced here;
 * last-seen is written at most once a minute so reading pages does not mean writing rows.
 */
export async function findSession(token: string, now = new Date()): Promise<SessionUser | null> {
  const id = sha256(token);
  // From the primary even on a read replica (ADR 030): a session just ended must not open a page.
  const row = await liveSession(primaryDb()).get({ id });
  if (!row) return null;
  const idleExpired = now.getTime() - row.lastSeenAt.getTime() > sessionPolicy().idleMs;
  if (idleExpired || row.expiresAt <= now || !row.user.active) {
    await db().delete(sessions).where(eq(sessions.id, id));
    revokeSession(id, "session-expired");
    return null;
  }
  if (now.getTime() - row.lastSeenAt.getTime() > MINUTE) {
    await db().update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
  }
  const { active: _active, ...user } = row.user;
  return { sessionId: id, expiresAt: row.expiresAt, mustSetUpTwoFactor: Number(row.mustSetUp) === 1, user };
}

/** Signs a session out; its open editors and event streams close at once. */
export async function deleteSession(token: string): Promise<void> {
  const id = sha256(token);
  await db().delete(sessions).where(eq(sessions.id, id));
  revokeSession(id);
}

export async function deleteUserSessions(tx: DbOrTx, userId: string, exceptSessionId?: string): Promise<void> {
  const ofUser = eq(sessions.userId, userId);
  await tx.delete(sessions).where(exceptSessionId ? and(ofUser, ne(sessions.id, exceptSessionId)) : ofUser);
}

/**
 * Deletes sessions past their absolute expiry and closes whatever they still hold open (each
 * connection also has its own timer at that instant). Idle expiry is decided when the session
 * is next used; an open editor or event stream counts as use.
 */
export async function purgeExpiredSessions(now = new Date()): Promise<void> {
  const gone = await db().delete(sessions).where(lt(sessions.expiresAt, now)).returning({ id: sessions.id });
  for (const { id } of gone) revokeSession(id, "session-expired");
}

export interface SessionRow {
  id: string;
  userAgent: string | null;
  address: string | null;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
}

/** The person's signed-in sessions, most recently used first (the settings page). */
export async function listSessions({ actor, sessionId }: { actor: { id: string }; sessionId: string }): Promise<SessionRow[]> {
  const rows = await db()
    .select({ id: sessions.id, userAgent: sessions.userAgent, address: sessions.address, createdAt: sessions.createdAt, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(and(eq(sessions.userId, actor.id), eq(sessions.stage, "full")))
    .orderBy(desc(sessions.lastSeenAt));
  return rows.map((r) => ({ ...r, current: r.id === sessionId }));
}
