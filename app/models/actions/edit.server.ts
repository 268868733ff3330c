import type { Actor } from "~/lib/actor";
import { assertCan } from "~/models/core/access.server";
import { actionFormOptions } from "~/models/actions/options.server";
import { getActionPage } from "~/models/actions/actions.server";

/** The edit form of an item: its current values and the choices, for editors only. */
export async function getActionForEdit({ actor, itemId }: { actor: Actor; itemId: string }) {
  const page = await getActionPage({ actor, itemId });
  assertCan(page.member, "actions.edit");
  const options = await actionFormOptions({ actor, bodyId: page.item.bodyId });
  const { item } = page;
  return {
    item,
    values: {
      title: item.title,
      detail: item.detail,
      ownerDelegationId: item.ownerDelegationId,
      assigneeIds: page.assignees.map((a) => a.id),
      dueKind: item.dueKind,
      dueDate: item.dueDate ?? "",
      priority: item.priority,
      marking: item.marking,
      originMeetingId: item.originMeetingId ?? "",
      originAgendaItemId: item.originAgendaItemId ?? undefined,
      version: item.version,
    },
    ...options,
  };
}
