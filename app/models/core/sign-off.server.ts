import type { DbOrTx } from "~/lib/db.server";
import { delegationsOfBody } from "./scope.server";

/**
 * A delegation's sign-off on one exact text (a head's concurrence with an agenda, approval of
 * minutes): given for what is there now, given for an earlier text (voided by a change), or
 * not given yet. Agendas and minutes share this; each decides what counts as current.
 */
export interface SignOffState {
  delegationId: string;
  state: "current" | "stale" | "pending";
  by: string | null;
  at: Date | null;
}

export interface Signature {
  delegationId: string;
  hash: string;
  by: string | null;
  at: Date;
}

/** Each member delegation of the body, in order, with the state of its latest signature. */
export async function signOffStates(tx: DbOrTx, bodyId: string, signatures: Signature[], isCurrent: (signature: Signature) => boolean): Promise<SignOffState[]> {
  // The body's delegations, as the page already read them in this request (ADR 040).
  const members = await delegationsOfBody(tx, bodyId);
  const newestFirst = [...signatures].sort((a, b) => b.at.getTime() - a.at.getTime());
  return members.map((d) => {
    const latest = newestFirst.find((s) => s.delegationId === d.id);
    if (!latest) return { delegationId: d.id, state: "pending", by: null, at: null };
    return { delegationId: d.id, state: isCurrent(latest) ? "current" : "stale", by: latest.by, at: latest.at };
  });
}
