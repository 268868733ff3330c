import { and, eq, inArray, isNotNull, lte, or, sql } from "drizzle-orm";
import { actionItemAssignees, actionItems } from "#db/schema";
import type { Role } from "#db/vocabulary";
import type { DbOrTx } from "~/lib/db.server";
import { LIST_TITLE_READ } from "~/lib/list-text";
import { actionRecord } from "~/models/actions/audience.server";
import { audiencesFor } from "~/models/core/audience.server";

export interface ActionWaiting {
  id: string;
  ref: number;
  /** The title's first LIST_TITLE_READ characters: all a list shows of it (ADR 050). */
  title: string;
  dueOn: string;
  ownerDelegationId: string;
  overdue: boolean;
  /** Assigned to the person, rather than only owned by their delegation. */
  assigned: boolean;
}

/** One body the person is a member of, as `actionsDueAcross` asks about it. */
export interface DueScope {
  bodyId: string;
  role: Role;
  delegationId: string | null;
}

/**
 * Open items of the body owned by the person's delegation or assigned to them, due on or before
 * `horizon` (a local date): overdue first, then by due date.
 */
export async function actionsDueFor(
  tx: DbOrTx,
  { bodyId, userId, role, delegationId, today, horizon }: { bodyId: string; userId: string; role: Role; delegationId: string | null; today: string; horizon: string },
): Promise<ActionWaiting[]> {
  return (await actionsDueAcross(tx, { userId, today, horizon, bodies: [{ bodyId, role, delegationId }] })).get(bodyId) ?? [];
}

/**
 * `actionsDueFor` for each of several bodies, in one statement (the start page across bodies):
 * in each body, with the person's role and delegation there. Every body asked about has an
 * entry, empty when nothing is due.
 */
export async function actionsDueAcross(
  tx: DbOrTx,
  { userId, today, horizon, bodies }: { userId: string; today: string; horizon: string; bodies: readonly DueScope[] },
): Promise<Map<string, ActionWaiting[]>> {
  const due = new Map<string, ActionWaiting[]>(bodies.map((b) => [b.bodyId, []]));
  if (bodies.length === 0) return due;
  const assignedIds = tx.select({ id: actionItemAssignees.itemId }).from(actionItemAssignees).where(eq(actionItemAssignees.userId, userId));
  const mineIn = ({ bodyId, delegationId }: DueScope) =>
    and(eq(actionItems.bodyId, bodyId), delegationId ? or(eq(actionItems.ownerDelegationId, delegationId), inArray(actionItems.id, assignedIds)) : inArray(actionItems.id, assignedIds));
  const found = await tx
    .select({
      id: actionItems.id,
      bodyId: actionItems.bodyId,
      ref: actionItems.ref,
      // A list shows at most LIST_TITLE_MAX characters of a title: a 10,000-character one is not read whole (ADR 050).
      title: sql<string>`substr(${actionItems.title}, 1, ${LIST_TITLE_READ})`,
      dueOn: actionItems.dueOn,
      ownerDelegationId: actionItems.ownerDelegationId,
      marking: actionItems.marking,
      originMeetingId: actionItems.originMeetingId,
      createdBy: actionItems.createdBy,
      // Assigned to the person, read with the item (one statement, ADR 044).
      assigned: sql<number>`exists (select 1 from action_item_assignees a where a.item_id = "action_items"."id" and a.user_id = ${userId})`,
    })
    .from(actionItems)
    .where(and(inArray(actionItems.status, ["open", "in_progress"]), isNotNull(actionItems.dueOn), lte(actionItems.dueOn, horizon), or(...bodies.map(mineIn))));
  for (const scope of bodies) {
    const rows = found.filter((r) => r.bodyId === scope.bodyId);
    // Owned by one's delegation is not enough: an item outside the person's TLP audience is not listed.
    const audience = await audiencesFor(tx, { userId, role: scope.role, delegationId: scope.delegationId }, rows.map((r) => r.originMeetingId));
    due.set(
      scope.bodyId,
      rows
        .filter((r) => audience(r.originMeetingId).may(actionRecord(r)))
        .map(({ id, ref, title, dueOn, ownerDelegationId, assigned }) => ({ id, ref, title, ownerDelegationId, dueOn: dueOn!, overdue: dueOn! < today, assigned: Number(assigned) === 1 }))
        .sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.ref - b.ref),
    );
  }
  return due;
}
