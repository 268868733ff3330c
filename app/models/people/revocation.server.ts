/**
 * Revocation that reaches open connections. Every long-lived connection (a minutes WebSocket,
 * an agenda event stream) registers here with the session and person it was authorised for.
 * When that authority changes — sign-out, deactivation, a role or delegation change, a
 * password or two-factor reset, a session's expiry — the change's model function calls
 * `revokeUser` / `revokeSession` after its commit, and every matching connection is closed at
 * once. A WebSocket provider then reconnects and is authorised afresh (refused, or read-only).
 *
 * Closing is not enough on its own: a message may already be in flight, or a connection may be
 * between its check and its registration. So each revocation is also remembered with its
 * time, and `isRevoked` refuses any message from a connection authorised before it.
 */

export interface LiveConnection {
  userId: string;
  sessionId: string;
  /** When the connection's rights were decided (ms). */
  authorizedAt: number;
  /** When the session ends in any case (ms); the connection is closed then. */
  expiresAt: number;
  close(reason: RevocationReason): void;
}

export type RevocationReason = "signed-out" | "access-changed" | "session-expired";

const REMEMBER_MS = 24 * 60 * 60_000;

interface Registry {
  connections: Set<LiveConnection>;
  /** "user:<id>" / "session:<id>" → the latest revocation (a person's may spare one session). */
  revokedAt: Map<string, { at: number; except?: string }>;
  timers: Map<LiveConnection, ReturnType<typeof setTimeout>>;
}

const g = globalThis as typeof globalThis & { __concordRevocation?: Registry };
const registry = (g.__concordRevocation ??= { connections: new Set(), revokedAt: new Map(), timers: new Map() });

// setTimeout's longest delay is about 24.8 days; sessions are far shorter.
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Registers an open connection; returns the function to call when it closes by itself. */
export function registerConnection(connection: LiveConnection): () => void {
  if (isRevoked(connection)) {
    connection.close(connection.expiresAt <= Date.now() ? "session-expired" : "signed-out");
    return () => {};
  }
  registry.connections.add(connection);
  const timer = setTimeout(() => {
    unregister(connection);
    connection.close("session-expired");
  }, Math.min(MAX_TIMER_MS, Math.max(0, connection.expiresAt - Date.now())));
  timer.unref?.();
  registry.timers.set(connection, timer);
  return () => unregister(connection);
}

function unregister(connection: LiveConnection) {
  registry.connections.delete(connection);
  const timer = registry.timers.get(connection);
  if (timer) clearTimeout(timer);
  registry.timers.delete(connection);
}

/** True when the connection must not be served any more: its session or person was revoked since it was authorised, or it expired. */
export function isRevoked(connection: Pick<LiveConnection, "userId" | "sessionId" | "authorizedAt" | "expiresAt">, now = Date.now()): boolean {
  if (connection.expiresAt <= now) return true;
  const byUser = registry.revokedAt.get(`user:${connection.userId}`);
  const bySession = registry.revokedAt.get(`session:${connection.sessionId}`);
  if (bySession && bySession.at >= connection.authorizedAt) return true;
  return !!byUser && byUser.at >= connection.authorizedAt && byUser.except !== connection.sessionId;
}

function remember(key: string, now: number, except?: string) {
  registry.revokedAt.set(key, { at: now, except });
  for (const [k, { at }] of registry.revokedAt) if (at < now - REMEMBER_MS) registry.revokedAt.delete(k);
}

function closeWhere(match: (c: LiveConnection) => boolean, reason: RevocationReason): number {
  let closed = 0;
  for (const connection of [...registry.connections]) {
    if (!match(connection)) continue;
    unregister(connection);
    closed += 1;
    try {
      connection.close(reason);
    } catch (error) {
      console.warn("closing a revoked connection failed", error);
    }
  }
  return closed;
}

/**
 * Ends one session's connections (sign-out, a session ended from the settings page or by
 * expiry). Call it after the session row is gone.
 */
export function revokeSession(sessionId: string, reason: RevocationReason = "signed-out"): number {
  remember(`session:${sessionId}`, Date.now());
  return closeWhere((c) => c.sessionId === sessionId, reason);
}

/**
 * Ends (or, for a change of role, makes re-authorise) every connection of a person, except
 * those of `exceptSessionId` when given (the session that changed its own password keeps
 * its connections; pass it only when that session's rights did not change).
 */
export function revokeUser(userId: string, { reason = "access-changed", exceptSessionId }: { reason?: RevocationReason; exceptSessionId?: string } = {}): number {
  remember(`user:${userId}`, Date.now(), exceptSessionId);
  return closeWhere((c) => c.userId === userId && c.sessionId !== exceptSessionId, reason);
}

/** How many connections are open now (for tests and health). */
export function openConnectionCount(userId?: string): number {
  return [...registry.connections].filter((c) => !userId || c.userId === userId).length;
}
