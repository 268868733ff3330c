import { and, eq, inArray, lte, or, sql } from "drizzle-orm";
import { actionItemAssignees, actionItems, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { LIST_TITLE_READ, listedTitle } from "~/lib/list-text";
import { can } from "~/lib/permissions";
import { meetingDay } from "~/models/actions/due.server";
import { actionRecord } from "~/models/actions/audience.server";
import { audiencesFor } from "~/models/core/audience.server";
import { getMeetingForMember } from "~/models/core/scope.server";

/**
 * What the body walks through under "Review of action items" at a meeting: items raised
 * there, and items still open that are due by it (by date, or "by the next meeting" = it).
 */
export async function getMeetingFollowUp({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  const day = meetingDay(meeting);
  // What the review lists of each item, and no more: the title's first LIST_TITLE_READ
  // characters (a list shows it shortened, ADR 050; the item's page whole), never the detail.
  const found = await db()
    .select({
      id: actionItems.id,
      ref: actionItems.ref,
      title: sql<string>`substr(${actionItems.title}, 1, ${LIST_TITLE_READ})`,
      status: actionItems.status,
      marking: actionItems.marking,
      dueKind: actionItems.dueKind,
      dueOn: actionItems.dueOn,
      ownerDelegationId: actionItems.ownerDelegationId,
      originMeetingId: actionItems.originMeetingId,
      createdBy: actionItems.createdBy,
      version: actionItems.version,
    })
    .from(actionItems)
    .where(
      and(
        eq(actionItems.bodyId, meeting.bodyId),
        or(
          eq(actionItems.originMeetingId, meeting.id),
          and(inArray(actionItems.status, ["open", "in_progress"]), or(eq(actionItems.dueMeetingId, meeting.id), lte(actionItems.dueOn, day))),
        ),
      ),
    );
  // The TLP rule, against the meeting each item came from: the review lists only what the reader may read.
  const audience = await audiencesFor(db(), member, found.map((r) => r.originMeetingId));
  const rows = found.filter((r) => audience(r.originMeetingId).may(actionRecord(r)));
  const assignees = rows.length
    ? await db()
        .select({ itemId: actionItemAssignees.itemId, name: users.name })
        .from(actionItemAssignees)
        .innerJoin(users, eq(users.id, actionItemAssignees.userId))
        .where(inArray(actionItemAssignees.itemId, rows.map((r) => r.id)))
    : [];
  const view = rows
    .map((r) => ({
      ...r,
      ...listedTitle(r.title),
      assignees: assignees.filter((a) => a.itemId === r.id).map((a) => a.name),
      canUpdate: can(member, "actions.update", { delegationId: r.ownerDelegationId }),
    }))
    .sort((a, b) => (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999") || a.ref - b.ref);
  return {
    meeting,
    member,
    raised: view.filter((r) => r.originMeetingId === meeting.id),
    due: view.filter((r) => r.originMeetingId !== meeting.id),
    allowDrop: can(member, "actions.edit"),
    canCreate: can(member, "actions.create"),
  };
}
