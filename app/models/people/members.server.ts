import { and, asc, count, eq, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { delegations, memberships, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { roles, type Role } from "#db/schema";
import { email, LIMITS, parseInput, scopeId, formConstraints, optionalId } from "~/lib/validation";
import { withTransaction } from "~/lib/transaction.server";
import { issuePasswordToken } from "~/models/people/accounts.server";
import { queuePasswordLinkMail } from "~/models/people/account-mail.server";
import { authorize } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { revokeUser } from "~/models/people/revocation.server";
import { deleteUserSessions } from "~/models/people/sessions.server";
import { nudgeOutbox } from "~/models/core/outbox.server";
import { revokeFeedsOnDeactivation } from "~/models/meetings/calendar.server";
import { withdrawFutureInvitations } from "~/models/meetings/invitations.server";

export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string;
  role: Role;
  delegationId: string | null;
  active: boolean;
  hasPassword: boolean;
}

/** Everyone in the body sees its active members; the secretariat also sees deactivated ones. */
export async function listMembers({ actor, bodyId }: { actor: Actor; bodyId: string }): Promise<MemberRow[]> {
  const member = await authorize(db(), actor, bodyId, "body.read");
  const rows = await db()
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      delegationId: memberships.delegationId,
      active: memberships.active,
      // Whether the account has a password, not its hash: no page needs the hash itself.
      hasPassword: sql<number>`${users.passwordHash} is not null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .leftJoin(delegations, eq(delegations.id, memberships.delegationId))
    .where(
      member.role === "secretariat"
        ? eq(memberships.bodyId, bodyId)
        : and(eq(memberships.bodyId, bodyId), eq(memberships.active, true)),
    )
    .orderBy(asc(delegations.position), asc(memberships.role), asc(users.name));
  return rows.map((row) => ({ ...row, hasPassword: !!row.hasPassword }));
}

const roleAndDelegation = {
  role: z.enum(roles),
  delegationId: optionalId(),
};

/** Delegation is required for every role but the secretariat, and must belong to the body. */
async function checkDelegation(tx: DbOrTx, bodyId: string, role: Role, delegationId: string | null) {
  if (role === "secretariat") return null;
  if (!delegationId) throw ValidationError.field("delegationId", "errors:validation.required");
  const [row] = await tx
    .select({ id: delegations.id })
    .from(delegations)
    .where(and(eq(delegations.id, delegationId), eq(delegations.bodyId, bodyId)));
  if (!row) throw ValidationError.field("delegationId", "errors:validation.choice");
  return delegationId;
}

/** The secretariat cannot remove its own last seat: someone must be able to manage the body. */
async function assertOtherSecretariat(tx: DbOrTx, bodyId: string, membershipId: string) {
  const [row] = await tx
    .select({ n: count() })
    .from(memberships)
    .where(
      and(
        eq(memberships.bodyId, bodyId),
        eq(memberships.role, "secretariat"),
        eq(memberships.active, true),
        ne(memberships.id, membershipId),
      ),
    );
  if (Number(row?.n ?? 0) === 0) throw ValidationError.field("", "members:errors.lastSecretariat");
}

const addSchema = z.object({
  bodyId: z.string().min(1),
  name: z.string().trim().min(1).max(LIMITS.short),
  email: email(),
  ...roleAndDelegation,
});
export const newMemberConstraints = formConstraints(addSchema);

/**
 * Adds a person to the body. A new person gets an account without a password and a
 * one-time link to set one; someone who already has an account (in another body) just
 * gains the membership.
 */
export async function addMember({ actor, input }: { actor: Actor; input: unknown }) {
  await authorize(db(), actor, scopeId(input, "bodyId"), "members.manage");
  const data = parseInput(addSchema, input);
  return withTransaction(async (tx) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const delegationId = await checkDelegation(tx, data.bodyId, data.role, data.delegationId);
    let [user] = await tx.select().from(users).where(eq(users.email, data.email)).limit(1);
    if (user) {
      const [existing] = await tx
        .select({ id: memberships.id, active: memberships.active })
        .from(memberships)
        .where(and(eq(memberships.userId, user.id), eq(memberships.bodyId, data.bodyId)));
      if (existing) {
        throw ValidationError.field("email", existing.active ? "members:errors.alreadyMember" : "members:errors.deactivatedMember");
      }
    } else {
      [user] = await tx.insert(users).values({ email: data.email, name: data.name }).returning();
      await recordAudit(tx, {
        bodyId: data.bodyId,
        actorId: actor.id,
        action: "user.create",
        entityType: "user",
        entityId: user.id,
        after: { email: user.email, name: user.name },
      });
    }
    const [membership] = await tx
      .insert(memberships)
      .values({ userId: user.id, bodyId: data.bodyId, delegationId, role: data.role })
      .returning();
    await recordAudit(tx, {
      bodyId: data.bodyId,
      actorId: actor.id,
      action: "membership.create",
      entityType: "membership",
      entityId: membership.id,
      after: { userId: user.id, email: user.email, role: membership.role, delegationId },
    });
    const setPasswordToken = user.passwordHash ? null : await issuePasswordToken(tx, user.id);
    if (setPasswordToken) {
      await queuePasswordLinkMail(tx, { bodyId: data.bodyId, userId: user.id, name: user.name, email: user.email, locale: user.locale, token: setPasswordToken, firstTime: true });
    }
    return { membershipId: membership.id, userId: user.id, setPasswordToken };
  });
}

async function loadMembership(tx: DbOrTx, bodyId: string, membershipId: string) {
  const [row] = await tx
    .select()
    .from(memberships)
    .where(and(eq(memberships.id, membershipId), eq(memberships.bodyId, bodyId)))
    .limit(1);
  if (!row) throw new NotFoundError("membership");
  return row;
}

const changeSchema = z.object({
  bodyId: z.string().min(1),
  membershipId: z.string().min(1).max(64),
  ...roleAndDelegation,
});

export async function changeMember({ actor, input }: { actor: Actor; input: unknown }) {
  await authorize(db(), actor, scopeId(input, "bodyId"), "members.manage");
  const data = parseInput(changeSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const before = await loadMembership(tx, data.bodyId, data.membershipId);
    const delegationId = await checkDelegation(tx, data.bodyId, data.role, data.delegationId);
    if (before.role === "secretariat" && data.role !== "secretariat") {
      await assertOtherSecretariat(tx, data.bodyId, before.id);
    }
    await tx.update(memberships).set({ role: data.role, delegationId }).where(eq(memberships.id, before.id));
    // Open editors and event streams are decided again with the new role.
    afterCommit(() => revokeUser(before.userId));
    await recordAudit(tx, {
      bodyId: data.bodyId,
      actorId: actor.id,
      action: "membership.update",
      entityType: "membership",
      entityId: before.id,
      before: { role: before.role, delegationId: before.delegationId },
      after: { role: data.role, delegationId },
    });
  });
}

const idSchema = z.object({ bodyId: z.string().min(1), membershipId: z.string().min(1).max(64) });

const deactivateSchema = idSchema.extend({ reason: z.string().trim().min(1).max(2000) });

/**
 * Deactivates the membership and ends every session of that person at once. Their calendar
 * addresses stop working for good, and their invitations to meetings still to come are
 * withdrawn, each with a CANCEL to their calendar. The secretariat's reason is kept in the audit trail.
 */
export async function deactivateMember({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  await authorize(db(), actor, scopeId(input, "bodyId"), "members.manage");
  const data = parseInput(deactivateSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const before = await loadMembership(tx, data.bodyId, data.membershipId);
    if (!before.active) return;
    if (before.role === "secretariat") await assertOtherSecretariat(tx, data.bodyId, before.id);
    await tx.update(memberships).set({ active: false }).where(eq(memberships.id, before.id));
    await deleteUserSessions(tx, before.userId);
    afterCommit(() => revokeUser(before.userId, { reason: "signed-out" }));
    const feedsRevoked = await revokeFeedsOnDeactivation(tx, { userId: before.userId, bodyId: data.bodyId, now });
    const invitationsWithdrawn = await withdrawFutureInvitations(tx, { userId: before.userId, bodyId: data.bodyId, actorId: actor.id, now });
    await recordAudit(tx, {
      bodyId: data.bodyId,
      actorId: actor.id,
      action: "membership.deactivate",
      entityType: "membership",
      entityId: before.id,
      before: { active: true },
      after: { active: false, feedsRevoked, invitationsWithdrawn, reason: data.reason },
    });
    if (invitationsWithdrawn > 0) afterCommit(nudgeOutbox);
  });
}

export async function reactivateMember({ actor, input }: { actor: Actor; input: unknown }) {
  await authorize(db(), actor, scopeId(input, "bodyId"), "members.manage");
  const data = parseInput(idSchema, input);
  await withTransaction(async (tx) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const before = await loadMembership(tx, data.bodyId, data.membershipId);
    if (before.active) return;
    await tx.update(memberships).set({ active: true }).where(eq(memberships.id, before.id));
    await recordAudit(tx, {
      bodyId: data.bodyId,
      actorId: actor.id,
      action: "membership.reactivate",
      entityType: "membership",
      entityId: before.id,
      before: { active: false },
      after: { active: true },
    });
  });
}

/** A fresh one-time link for a member who lost theirs or forgot their password. */
export async function issueMemberPasswordLink({ actor, input }: { actor: Actor; input: unknown }) {
  await authorize(db(), actor, scopeId(input, "bodyId"), "members.manage");
  const data = parseInput(idSchema, input);
  return withTransaction(async (tx) => {
    await authorize(tx, actor, data.bodyId, "members.manage");
    const membership = await loadMembership(tx, data.bodyId, data.membershipId);
    if (!membership.active) throw ValidationError.field("", "members:errors.inactive");
    const token = await issuePasswordToken(tx, membership.userId);
    const [person] = await tx.select().from(users).where(eq(users.id, membership.userId));
    await queuePasswordLinkMail(tx, { bodyId: data.bodyId, userId: person.id, name: person.name, email: person.email, locale: person.locale, token, firstTime: !person.passwordHash });
    await recordAudit(tx, {
      bodyId: data.bodyId,
      actorId: actor.id,
      action: "user.password.link",
      entityType: "membership",
      entityId: membership.id,
    });
    return { membershipId: membership.id, setPasswordToken: token };
  });
}

/** One member, for the secretariat's management page. */
export async function getMember({ actor, bodyId, membershipId }: { actor: Actor; bodyId: string; membershipId: string }) {
  await authorize(db(), actor, bodyId, "members.manage");
  const [row] = await db()
    .select({
      membershipId: memberships.id,
      userId: users.id,
      name: users.name,
      email: users.email,
      role: memberships.role,
      delegationId: memberships.delegationId,
      active: memberships.active,
      // Whether the account has a password, not its hash: no page needs the hash itself.
      hasPassword: sql<number>`${users.passwordHash} is not null`,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.id, membershipId), eq(memberships.bodyId, bodyId)))
    .limit(1);
  if (!row) throw new NotFoundError("membership");
  return { ...row, hasPassword: !!row.hasPassword };
}
