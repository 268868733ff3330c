import { and, asc, eq } from "drizzle-orm";
import { bodies, delegations, memberships } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { assertMember, type Membership } from "~/models/core/access.server";

export type Body = typeof bodies.$inferSelect;
export type Delegation = typeof delegations.$inferSelect;

export interface BodySummary {
  id: string;
  slug: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
  role: Membership["role"];
  delegationId: string | null;
}

/** The bodies the user is an active member of, by English name. */
export async function listBodiesForUser(userId: string): Promise<BodySummary[]> {
  return db()
    .select({
      id: bodies.id,
      slug: bodies.slug,
      nameEn: bodies.nameEn,
      nameJa: bodies.nameJa,
      nameKo: bodies.nameKo,
      role: memberships.role,
      delegationId: memberships.delegationId,
    })
    .from(memberships)
    .innerJoin(bodies, eq(bodies.id, memberships.bodyId))
    .where(and(eq(memberships.userId, userId), eq(memberships.active, true)))
    .orderBy(asc(bodies.nameEn));
}

export async function listDelegations(tx: DbOrTx, bodyId: string): Promise<Delegation[]> {
  return tx.select().from(delegations).where(eq(delegations.bodyId, bodyId)).orderBy(asc(delegations.position), asc(delegations.code));
}

export interface BodyContext {
  body: Body;
  delegations: Delegation[];
  member: Membership;
}

/** A body seen by one of its members; anyone else gets NotFound. */
export async function getBodyContext({ actor, slug }: { actor: Actor; slug: string }): Promise<BodyContext> {
  const [body] = await db().select().from(bodies).where(eq(bodies.slug, slug)).limit(1);
  if (!body) throw new NotFoundError("body");
  const member = await assertMember(db(), actor, body.id);
  return { body, delegations: await listDelegations(db(), body.id), member };
}

/** The same context reached from a record of the body (a meeting, an action item). */
export async function getBodyContextById({ actor, bodyId }: { actor: Actor; bodyId: string }): Promise<BodyContext> {
  const member = await assertMember(db(), actor, bodyId);
  const [body] = await db().select().from(bodies).where(eq(bodies.id, bodyId)).limit(1);
  if (!body) throw new NotFoundError("body");
  return { body, delegations: await listDelegations(db(), body.id), member };
}
