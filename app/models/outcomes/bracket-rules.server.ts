import type { BracketScan, LiveBracket } from "~/lib/outcome-doc.server";

/**
 * What a client may do to brackets with one update (ADR 017). The server applies these to
 * every update before storing it; the editor applies the same rules before sending, so a
 * person is told at once and a well-behaved client is never refused.
 *
 * - Nobody removes or rewrites an existing bracket (its text, owner or alternatives) from
 *   a client: brackets end only through the server's own verbs (consensus, withdrawal).
 * - A new bracket belongs to the sender's delegation, and only a delegation's delegates and
 *   heads put one in (not the secretariat, never an official).
 * - A bracket stays inside one paragraph, in one piece, and never overlaps another.
 * - A bracket id is used once: a closed bracket cannot be brought back from a stale copy.
 */
export type BracketRefusal = "removed" | "rewritten" | "foreignOwner" | "mayNotBracket" | "boundary" | "split" | "overlap" | "malformed" | "reused";

export interface Sender {
  /** The sender's delegation code; null for the secretariat. */
  code: string | null;
  mayBracket: boolean;
}

const same = (a: LiveBracket, b: LiveBracket) => a.owner === b.owner && a.text === b.text && JSON.stringify(a.alternatives) === JSON.stringify(b.alternatives);

const problemKey = (p: BracketScan["problems"][number]) => `${p.kind}:${p.id ?? ""}`;

export function checkBracketChange({ before, after, sender, known }: { before: BracketScan; after: BracketScan; sender: Sender; known: ReadonlySet<string> }): { refusal: BracketRefusal | null; added: LiveBracket[] } {
  const oldProblems = new Set(before.problems.map(problemKey));
  const fresh = after.problems.find((p) => !oldProblems.has(problemKey(p)));
  if (fresh) return { refusal: fresh.kind, added: [] };
  for (const [id, old] of before.brackets) {
    const now = after.brackets.get(id);
    if (!now) return { refusal: "removed", added: [] };
    if (!same(old, now)) return { refusal: "rewritten", added: [] };
  }
  const added: LiveBracket[] = [];
  for (const [id, bracket] of after.brackets) {
    if (before.brackets.has(id)) continue;
    if (!sender.mayBracket || !sender.code) return { refusal: "mayNotBracket", added: [] };
    if (bracket.owner !== sender.code) return { refusal: "foreignOwner", added: [] };
    if (known.has(id)) return { refusal: "reused", added: [] };
    if (!bracket.text.trim() || bracket.alternatives.some((a) => typeof a !== "string" || a.length > 2000) || bracket.alternatives.length > 5) return { refusal: "malformed", added: [] };
    added.push(bracket);
  }
  return { refusal: null, added };
}
