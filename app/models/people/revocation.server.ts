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
 *
 * With several instances (ADR 031) a connection may be held by another instance than the one
 * that made the change: every revocation is also published on the live bus (Redis), and each
 * instance applies the ones it hears from the others, with the revoking instance's time, so a
 * connection authorised there after the revocation is spared.
 */
import { randomUUID } from "node:crypto";
import { publish, subscribe } from "~/lib/events.server";

export interface LiveConnection {
  userId: string;
  sessionId: string;
  /** When the connection's rights were decided (ms). */
  authorizedAt: number;
  /** When the session ends in any case (ms); the connection is closed then. */
  expiresAt: number;
  /** The meeting whose live document it holds: a change of that meeting's TLP audience re-decides it. */
  meetingId?: string;
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
export function isRevoked(connection: Pick<LiveConnection, "userId" | "sessionId" | "authorizedAt" | "expiresAt" | "meetingId">, now = Date.now()): boolean {
  if (connection.expiresAt <= now) return true;
  const byMeeting = connection.meetingId ? registry.revokedAt.get(`meeting:${connection.meetingId}`) : undefined;
  if (byMeeting && byMeeting.at >= connection.authorizedAt) return true;
  const byUser = registry.revokedAt.get(`user:${connection.userId}`);
  const bySession = registry.revokedAt.get(`session:${connection.sessionId}`);
  if (bySession && bySession.at >= connection.authorizedAt) return true;
  return !!byUser && byUser.at >= connection.authorizedAt && byUser.except !== connection.sessionId;
}

function remember(key: string, now: number, except?: string) {
  const previous = registry.revokedAt.get(key);
  // A revocation heard late from another instance never replaces a later one.
  if (!previous || previous.at <= now) registry.revokedAt.set(key, { at: now, except });
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
  const at = Date.now();
  announce({ kind: "session", id: sessionId, at, reason });
  return applySession(sessionId, at, reason);
}

function applySession(sessionId: string, at: number, reason: RevocationReason): number {
  remember(`session:${sessionId}`, at);
  return closeWhere((c) => c.sessionId === sessionId && c.authorizedAt <= at, reason);
}

/**
 * Ends (or, for a change of role, makes re-authorise) every connection of a person, except
 * those of `exceptSessionId` when given (the session that changed its own password keeps
 * its connections; pass it only when that session's rights did not change).
 */
export function revokeUser(userId: string, { reason = "access-changed", exceptSessionId }: { reason?: RevocationReason; exceptSessionId?: string } = {}): number {
  const at = Date.now();
  announce({ kind: "user", id: userId, at, reason, except: exceptSessionId });
  return applyUser(userId, at, reason, exceptSessionId);
}

function applyUser(userId: string, at: number, reason: RevocationReason, exceptSessionId?: string): number {
  remember(`user:${userId}`, at, exceptSessionId);
  return closeWhere((c) => c.userId === userId && c.sessionId !== exceptSessionId && c.authorizedAt <= at, reason);
}

/**
 * Makes every live document of a meeting decide its readers again, because the meeting's TLP
 * audience changed (ADR 037): the list of participants was published (or published again without
 * someone), invitations went out. Each connection is closed; its provider reconnects and is
 * admitted again, read-only, or refused. Call it after the change's commit.
 */
export function revokeMeetingAudience(meetingId: string): number {
  const at = Date.now();
  announce({ kind: "meeting", id: meetingId, at, reason: "access-changed" });
  return applyMeeting(meetingId, at);
}

function applyMeeting(meetingId: string, at: number): number {
  remember(`meeting:${meetingId}`, at);
  return closeWhere((c) => c.meetingId === meetingId && c.authorizedAt <= at, "access-changed");
}

/** A revocation as it travels between instances. */
interface RevocationMessage {
  kind: "user" | "session" | "meeting";
  id: string;
  at: number;
  reason: RevocationReason;
  except?: string;
  /** The instance that made it (it has applied it already). */
  from?: string;
}

const REVOCATION_CHANNEL = "revocation";
const g2 = globalThis as typeof globalThis & { __concordInstanceId?: string; __concordRevocationRelay?: () => void };
const instanceId = (g2.__concordInstanceId ??= randomUUID());

function announce(message: RevocationMessage) {
  void publish<RevocationMessage>(REVOCATION_CHANNEL, { ...message, from: instanceId });
}

/**
 * Applies the revocations other instances publish (call once at start-up). Resolves once this
 * instance is subscribed.
 */
export async function relayRevocations(): Promise<void> {
  if (g2.__concordRevocationRelay) return;
  const unsubscribe = subscribe<RevocationMessage>(REVOCATION_CHANNEL, (m) => {
    if (m.from === instanceId || typeof m.id !== "string" || typeof m.at !== "number") return;
    if (m.kind === "session") applySession(m.id, m.at, m.reason);
    else if (m.kind === "user") applyUser(m.id, m.at, m.reason, m.except);
    else if (m.kind === "meeting") applyMeeting(m.id, m.at);
  });
  g2.__concordRevocationRelay = unsubscribe;
  await unsubscribe.subscribed;
}

/** How many connections are open now (for tests and health). */
export function openConnectionCount(userId?: string): number {
  return [...registry.connections].filter((c) => !userId || c.userId === userId).length;
}
