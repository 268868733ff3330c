import { and, eq, inArray } from "drizzle-orm";
import { delegations, memberships, users } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";

/** Who a record's last change was made by, for a 409's "changed by …". */
export async function whoChanged(tx: DbOrTx, userId: string | null | undefined): Promise<{ id: string; name: string } | null> {
  if (!userId) return null;
  const [user] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, userId));
  return user ?? null;
}

/** Display names of people, by id. */
export async function namesOf(tx: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A body's active members whose accounts are active, with what messages to them need. */
export async function activeMembers(tx: DbOrTx, bodyId: string) {
  return tx
    .select({
      userId: users.id,
      name: users.name,
      email: users.email,
      locale: users.locale,
      language: delegations.language,
      delegationId: memberships.delegationId,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
    .where(and(eq(memberships.bodyId, bodyId), eq(memberships.active, true), eq(users.active, true)));
}

/** Whether a user is an active member of the body (a presenter, an assignee). */
export async function isActiveMember(tx: DbOrTx, bodyId: string, userId: string): Promise<boolean> {
  const [row] = await tx
    .select({ id: memberships.id })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId), eq(memberships.active, true), eq(users.active, true)));
  return !!row;
}
