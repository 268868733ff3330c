import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { authorize } from "~/models/core/access.server";
import { listDelegations } from "~/models/people/bodies.server";
import { listMeetings } from "~/models/meetings/meetings.server";
import { listMembers } from "~/models/people/members.server";

/** The choices an action-item form offers: the body's delegations, active members and meetings. */
export async function actionFormOptions({ actor, bodyId }: { actor: Actor; bodyId: string }) {
  await authorize(db(), actor, bodyId, "body.read");
  const [delegations, members, meetings] = await Promise.all([
    listDelegations(db(), bodyId),
    listMembers({ actor, bodyId }),
    listMeetings({ actor, bodyId }),
  ]);
  return {
    delegations: delegations.map((d) => ({ id: d.id, code: d.code, nameEn: d.nameEn, nameJa: d.nameJa, nameKo: d.nameKo })),
    people: members.filter((m) => m.active).map((m) => ({ userId: m.userId, name: m.name, delegationId: m.delegationId })),
    meetings: meetings.map((m) => ({ id: m.id, ordinal: m.ordinal, title: m.title, status: m.status, startsAt: m.startsAt })),
  };
}
