import { markings, type Marking } from "#db/vocabulary";

/** Traffic Light Protocol 2.0 labels, least to most restricted: the schema's list. */
export const MARKINGS = markings;
export type MarkingLabel = Marking;

/** The most restricted marking among several: a page or export carries the highest it contains. */
export function highestMarking(list: readonly string[], fallback: MarkingLabel = "TLP:CLEAR"): MarkingLabel {
  let best = MARKINGS.indexOf(fallback);
  for (const m of list) best = Math.max(best, MARKINGS.indexOf(m as MarkingLabel));
  return MARKINGS[best];
}

/** Markings whose text may go into a calendar file or another unrestricted channel. */
export const SHAREABLE_MARKINGS = ["TLP:CLEAR", "TLP:GREEN"] as const satisfies readonly MarkingLabel[];
