/**
 * Stateless messages the collaboration server sends to editors, shared by both ends.
 * - `changed`: the record changed state (circulated, adopted…); the page reloads its data.
 * - `refused`: changes this person sent were not merged (they may only read now, or the
 *   change broke a protected heading); `text` is what they would have added, to copy out.
 */
export type CollabNotice = { type: "changed"; what: string } | { type: "refused"; reason: "readOnly" | "protected"; text: string };

export function parseNotice(payload: string): CollabNotice | null {
  try {
    const value = JSON.parse(payload) as Partial<CollabNotice>;
    if (value.type === "changed" || value.type === "refused") return value as CollabNotice;
  } catch {
    // Not ours.
  }
  return null;
}
