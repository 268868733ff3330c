import { and, asc, eq, inArray, lt, lte, or } from "drizzle-orm";
import { actionItems, meetings } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { can, canEditAgenda } from "~/lib/permissions";
import { getProfile } from "~/models/people/accounts.server";
import { meetingDay } from "~/models/actions/due.server";
import { asSeenBy, getAgenda, presenterChoices } from "~/models/agenda/agenda.server";
import { actionRecord } from "~/models/actions/audience.server";
import { audienceFor } from "~/models/core/audience.server";
import { memberBody } from "~/models/core/access.server";
import { listPapersForMeeting } from "~/models/papers/papers.server";
import { maxPaperBytes } from "~/models/papers/storage.server";
import { listDelegations } from "~/models/people/bodies.server";
import { previousMeeting, type Meeting } from "~/models/core/scope.server";
import { minutesStatusOf } from "~/models/minutes/status.server";

/** Open action items due by this meeting or raised before it: "Review of action items", live. */
export async function actionsForReview(tx: DbOrTx, meeting: Meeting) {
  const earlier = tx.select({ id: meetings.id }).from(meetings).where(and(eq(meetings.bodyId, meeting.bodyId), lt(meetings.startsAt, meeting.startsAt)));
  return tx
    .select({ id: actionItems.id, ref: actionItems.ref, title: actionItems.title, status: actionItems.status, ownerDelegationId: actionItems.ownerDelegationId, dueOn: actionItems.dueOn, marking: actionItems.marking, originMeetingId: actionItems.originMeetingId, createdBy: actionItems.createdBy })
    .from(actionItems)
    .where(
      and(
        eq(actionItems.bodyId, meeting.bodyId),
        inArray(actionItems.status, ["open", "in_progress"]),
        or(lte(actionItems.dueOn, meetingDay(meeting)), eq(actionItems.dueMeetingId, meeting.id), inArray(actionItems.originMeetingId, earlier), lt(actionItems.createdAt, meeting.startsAt)),
      ),
    )
    .orderBy(asc(actionItems.ref));
}

/** Everything the agenda page shows, as this reader may see it. */
export async function getAgendaPage({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const full = await getAgenda({ actor, meetingId });
  const { meeting, member } = full;
  const audience = await audienceFor(db(), member, meeting.id);
  const agenda = { ...full, items: full.items.map((i) => asSeenBy(audience, i)) };
  // The body comes with the actor's memberships, read once per request (ADR 040).
  const body = (await memberBody(actor, { id: meeting.bodyId }))!.body;
  const [delegations, presenters, profile, previous, review] = await Promise.all([
    listDelegations(db(), meeting.bodyId),
    presenterChoices(db(), meeting.bodyId),
    getProfile(actor.id),
    previousMeeting(db(), meeting),
    actionsForReview(db(), meeting),
  ]);
  const papers = await listPapersForMeeting(db(), { meeting, member, audience });
  return {
    ...agenda,
    body,
    delegations,
    presenters,
    viewerZone: profile!.effectiveTimeZone,
    previous: previous ? { meeting: previous, minutes: await minutesStatusOf(db(), previous.id) } : null,
    review: review.filter((a) => audience.may(actionRecord(a))),
    papers,
    paperLimitMb: maxPaperBytes() / 1024 / 1024,
    can: {
      addPapers: can(member, "papers.add") && meeting.status !== "cancelled",
      edit: canEditAgenda(member, agenda.agenda, meeting),
      concur: can(member, "agenda.concur", { delegationId: member.delegationId }),
      lock: can(member, "agenda.lock"),
    },
  };
}
