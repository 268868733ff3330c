import { and, asc, eq, sql } from "drizzle-orm";
import { bodies, delegations, memberships } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { accessDb, inTransaction, primaryDb, type DbOrTx } from "~/lib/db.server";
import { preparedPerHandle } from "~/lib/prepared-query.server";
import { memoized, remember } from "~/lib/request-scope.server";
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

type Delegation = typeof delegations.$inferSelect;

/**
 * Each body's delegations in their order, as one JSON array per membership row (ADR 044): the
 * same rows as `delegationsOfBody`, which every body page asks for next. Written out with the
 * table's name: drizzle leaves columns unqualified inside sql``.
 */
const bodyDelegations = sql<string>`(select json_group_array(json_object('id', d.id, 'bodyId', d.body_id, 'code', d.code, 'nameEn', d.name_en, 'nameJa', d.name_ja, 'nameKo', d.name_ko, 'timeZone', d.time_zone, 'language', d.language, 'position', d.position)) from (select * from delegations d where d.body_id = "bodies"."id" order by d.position, d.code) d)`;

/** Each body's active members by name (who may present an item), as one JSON array per membership row. */
const bodyMembers = sql<string>`(select json_group_array(json_object('id', p.id, 'name', p.name, 'delegationId', p.delegation_id)) from (select u.id, u.name, m.delegation_id from memberships m join users u on u.id = m.user_id where m.body_id = "bodies"."id" and m.active = 1 order by u.name) p)`;

/** The request memo's key for a body's delegations (shared with `delegationsOfBody`). */
export const delegationsKey = (bodyId: string) => `delegations:${bodyId}`;

/** The request memo's key for a body's active members by name (`activeMembersOf`). */
const membersKey = (bodyId: string) => `active-members:${bodyId}`;

export interface ActiveMember {
  id: string;
  name: string;
  delegationId: string | null;
}

/**
 * A body's active members by name, outside a transaction from the actor's memberships read
 * when the actor belongs to the body (ADR 044), else with `read`. Shared: never change it.
 */
export async function activeMembersOf(bodyId: string, read: () => Promise<ActiveMember[]>): Promise<ActiveMember[]> {
  return inTransaction() ? read() : memoized(membersKey(bodyId), read);
}

/** `activeMemberships`' statement, built once (ADR 051): every signed-in page runs it. */
const membershipsOfUser = preparedPerHandle((handle: DbOrTx) =>
  handle
    .select({
      membership: { id: memberships.id, userId: memberships.userId, bodyId: memberships.bodyId, delegationId: memberships.delegationId, role: memberships.role },
      body: bodies,
      delegationTimeZone: delegations.timeZone,
      delegations: bodyDelegations,
      members: bodyMembers,
    })
    .from(memberships)
    .innerJoin(bodies, eq(bodies.id, memberships.bodyId))
    .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
    .where(and(eq(memberships.userId, sql.placeholder("userId")), eq(memberships.active, true)))
    .orderBy(asc(memberships.createdAt), asc(memberships.id))
    .prepare(),
);

/**
 * Every active membership of the user with its body, oldest first: read once per request
 * and shared by the membership checks, the shell's body list, the body a page shows and
 * the profile's default time zone (ADR 040). The same statement brings each body's
 * delegations and active members, which it leaves in the request memo for
 * `delegationsOfBody` and `activeMembersOf` (ADR 044). Outside a request, read on every call.
 */
export function activeMemberships(userId: string): Promise<ActiveMembership[]> {
  return memoized(`memberships:${userId}`, async () => {
    // An access decision: the primary, never a lagging replica (ADR 030).
    const rows = await membershipsOfUser(primaryDb()).all({ userId });
    return rows.map(({ delegations: list, members, ...row }) => {
      remember(delegationsKey(row.body.id), JSON.parse(list) as Delegation[]);
      remember(membersKey(row.body.id), JSON.parse(members) as ActiveMember[]);
      return row;
    });
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
