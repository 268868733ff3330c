/** Traffic Light Protocol 2.0 labels, least to most restricted. */
export const MARKINGS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"] as const;
export type MarkingLabel = (typeof MARKINGS)[number];

export function isMarking(value: unknown): value is MarkingLabel {
  return typeof value === "string" && (MARKINGS as readonly string[]).includes(value);
}

/** The most restricted marking among several: a page or export carries the highest it contains. */
export function highestMarking(list: readonly string[], fallback: MarkingLabel = "TLP:CLEAR"): MarkingLabel {
  let best = MARKINGS.indexOf(fallback);
  for (const m of list) best = Math.max(best, MARKINGS.indexOf(m as MarkingLabel));
  return MARKINGS[best];
}

/** May text with this marking go into a calendar file or other unrestricted channel? */
export const isShareable = (m: string) => m === "TLP:CLEAR" || m === "TLP:GREEN";
