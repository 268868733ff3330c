import { and, eq } from "drizzle-orm";
import { memberships } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { accessDb, inTransaction, type DbOrTx } from "~/lib/db.server";
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
  // Inside a transaction the answer must come from that transaction; outside, once per request (ADR 032).
  if (inTransaction()) return readMembership(tx, userId, bodyId);
  return memoized(`membership:${userId}:${bodyId}`, () => readMembership(tx, userId, bodyId));
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
