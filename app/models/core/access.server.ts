import { and, asc, eq } from "drizzle-orm";
import { bodies, delegations, memberships } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { accessDb, inTransaction, primaryDb, type DbOrTx } from "~/lib/db.server";
import { memoized } from "~/lib/request-scope.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { whyNot, type Owned, type Permission, type Role } from "~/lib/permissions";

export interface Membership {
  id: string;
  userId: string;
  bodyId: string;
  delegationId: string | null;
  role: Role;
}

export async function findMembership(tx: DbOrTx, userId: string, bodyId: string): Promise<Membership | null> {
  // Inside a transaction the answer must come from that transaction; outside, from the
  // request's one read of the user's memberships (ADR 032, ADR 040).
  if (inTransaction()) return readMembership(tx, userId, bodyId);
  return (await activeMemberships(userId)).find((m) => m.membership.bodyId === bodyId)?.membership ?? null;
}

export interface ActiveMembership {
  membership: Membership;
  body: typeof bodies.$inferSelect;
  /** The capital's zone of the membership's delegation (null for the secretariat). */
  delegationTimeZone: string | null;
}

/**
 * Every active membership of the user with its body, oldest first: read once per request
 * and shared by the membership checks, the shell's body list, the body a page shows and
 * the profile's default time zone (ADR 040). Outside a request, read on every call.
 */
export function activeMemberships(userId: string): Promise<ActiveMembership[]> {
  return memoized(`memberships:${userId}`, async () => {
    // An access decision: the primary, never a lagging replica (ADR 030).
    const rows = await primaryDb()
      .select({
        membership: { id: memberships.id, userId: memberships.userId, bodyId: memberships.bodyId, delegationId: memberships.delegationId, role: memberships.role },
        body: bodies,
        delegationTimeZone: delegations.timeZone,
      })
      .from(memberships)
      .innerJoin(bodies, eq(bodies.id, memberships.bodyId))
      .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
      .where(and(eq(memberships.userId, userId), eq(memberships.active, true)))
      .orderBy(asc(memberships.createdAt), asc(memberships.id));
    return rows;
  });
}

/** A body the actor is an active member of, with the membership; null for anyone else. */
export async function memberBody(actor: Actor, where: { id?: string; slug?: string }): Promise<ActiveMembership | null> {
  const mine = await activeMemberships(actor.id);
  return mine.find((m) => (where.id !== undefined ? m.body.id === where.id : m.body.slug === where.slug)) ?? null;
}

async function readMembership(tx: DbOrTx, userId: string, bodyId: string): Promise<Membership | null> {
  const [row] = await accessDb(tx)
    .select({
      id: memberships.id,
      userId: memberships.userId,
      bodyId: memberships.bodyId,
      delegationId: memberships.delegationId,
      role: memberships.role,
    })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.active, true)))
    .limit(1);
  return row ?? null;
}

/** The actor's membership of the body; a non-member learns nothing, not even that the body exists. */
export async function assertMember(tx: DbOrTx, actor: Actor, bodyId: string): Promise<Membership> {
  const member = await findMembership(tx, actor.id, bodyId);
  if (!member) throw new NotFoundError("body");
  return member;
}

export function assertCan(member: Membership, permission: Permission, record?: Owned): void {
  const reason = whyNot(member, permission, record);
  if (reason) throw new ForbiddenError(reason);
}

/** Membership and permission in one step: 404 for outsiders, 403 with a reason for members. */
export async function authorize(
  tx: DbOrTx,
  actor: Actor,
  bodyId: string,
  permission: Permission,
  record?: Owned,
): Promise<Membership> {
  const member = await assertMember(tx, actor, bodyId);
  assertCan(member, permission, record);
  return member;
}
