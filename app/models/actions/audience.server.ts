import type { actionItems } from "#db/schema";
import type { MarkedRecord } from "~/lib/markings";

type ActionItem = typeof actionItems.$inferSelect;

/**
 * An action item as the TLP rule sees it: AMBER+STRICT names its owner delegation; AMBER and
 * RED are read against the meeting it came from (see core/audience.server.ts).
 */
export const actionRecord = (a: Pick<ActionItem, "marking" | "ownerDelegationId"> & Partial<Pick<ActionItem, "createdBy">>): MarkedRecord => ({
  marking: a.marking,
  delegationIds: [a.ownerDelegationId],
  createdBy: a.createdBy ?? null,
});
