import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { can } from "~/lib/permissions";
import { getProfile } from "~/models/people/accounts.server";
import { listDelegations } from "~/models/people/bodies.server";
import { listInvitees, needsLink } from "~/models/meetings/invitations.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { memberBody } from "~/models/core/access.server";
import { isAnnounced } from "~/models/meetings/calendar.server";
import { listOpenCounters } from "~/models/meetings/counters.server";

/** Everything the meeting page shows, for a member of the meeting's body. */
export async function getMeetingPage({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  // The body comes with the actor's memberships, read once per request (ADR 040).
  const body = (await memberBody(actor, { id: meeting.bodyId }))!.body;
  const [delegations, invitees, profile] = await Promise.all([
    listDelegations(db(), meeting.bodyId),
    listInvitees(db(), meeting),
    getProfile(actor.id),
  ]);
  const manage = can(member, "meetings.manage");
  return {
    meeting,
    /** Drafts never reach calendars: no invitation to download. */
    announced: isAnnounced(meeting),
    needsLink: needsLink(meeting),
    counters: manage ? await listOpenCounters(db(), meeting) : [],
    body,
    delegations,
    invitees,
    mine: invitees.find((i) => i.userId === actor.id) ?? null,
    member,
    manage,
    viewerZone: profile!.effectiveTimeZone,
  };
}
