import { and, desc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { outcomeBracketAcceptances, outcomeBrackets, outcomeClearances, users } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { outcomeContentHash, outcomeDocToJSON, scanBrackets, type LiveBracket } from "~/lib/outcome-doc.server";
import type { Delegation, OutcomeDocument } from "~/models/outcomes/access.server";
import { assignParagraphIds } from "~/models/outcomes/collab.server";
import { withOutcomeDocument } from "~/models/outcomes/live.server";

/** The live text as it is now (paragraph ids given first), read through the server's own connection. */
export async function readLiveText(documentId: string) {
  return withOutcomeDocument(documentId, (doc) => {
    assignParagraphIds(doc);
    const json = outcomeDocToJSON(doc);
    return { json, hash: outcomeContentHash(json), brackets: [...scanBrackets(doc).brackets.values()], state: Y.encodeStateAsUpdateV2(doc) };
  });
}

export interface ClearanceState {
  delegationId: string;
  state: "cleared" | "ad_referendum" | "stale" | "pending";
  by: string | null;
  at: Date | null;
  duringSilence: boolean;
}

/** Each delegation's latest clearance, and whether it is of the text as it is now. */
export async function clearanceStates(tx: DbOrTx, document: OutcomeDocument, list: Delegation[], hash: string | null): Promise<ClearanceState[]> {
  const rows = await tx
    .select({ delegationId: outcomeClearances.delegationId, kind: outcomeClearances.kind, hash: outcomeClearances.contentHash, at: outcomeClearances.at, by: users.name, silenceId: outcomeClearances.silenceId, revision: outcomeClearances.revision })
    .from(outcomeClearances)
    .leftJoin(users, eq(users.id, outcomeClearances.userId))
    .where(eq(outcomeClearances.documentId, document.id))
    .orderBy(desc(outcomeClearances.at), desc(outcomeClearances.id));
  return list.map((d) => {
    const latest = rows.find((r) => r.delegationId === d.id && r.revision === document.revision);
    if (!latest) return { delegationId: d.id, state: "pending" as const, by: null, at: null, duringSilence: false };
    return { delegationId: d.id, state: latest.hash === hash ? latest.kind : ("stale" as const), by: latest.by, at: latest.at, duringSilence: !!latest.silenceId };
  });
}

export interface BracketView extends LiveBracket {
  delegationId: string | null;
  /** Each delegation's choice: 0 the bracketed text, n the nth alternative; null when none yet. */
  choices: Array<{ delegationId: string; option: number | null }>;
}

/**
 * The open brackets with their owners and every delegation's choice. The owner counts as
 * choosing its own first alternative until it says otherwise (it proposed it); without an
 * alternative the owner either withdraws the bracket or accepts another delegation's text.
 */
export async function bracketViews(tx: DbOrTx, documentId: string, live: LiveBracket[], list: Delegation[]): Promise<BracketView[]> {
  const registry = await tx.select().from(outcomeBrackets).where(and(eq(outcomeBrackets.documentId, documentId), eq(outcomeBrackets.status, "open")));
  const acceptances = await tx.select().from(outcomeBracketAcceptances).innerJoin(outcomeBrackets, eq(outcomeBrackets.id, outcomeBracketAcceptances.bracketId)).where(eq(outcomeBrackets.documentId, documentId));
  return live.map((b) => {
    const owner = registry.find((r) => r.id === b.id)?.delegationId ?? list.find((d) => d.code === b.owner)?.id ?? null;
    return {
      ...b,
      delegationId: owner,
      choices: list.map((d) => {
        const row = acceptances.find((a) => a.outcome_bracket_acceptances.bracketId === b.id && a.outcome_bracket_acceptances.delegationId === d.id);
        const option = row ? row.outcome_bracket_acceptances.option : d.id === owner && b.alternatives.length ? 1 : null;
        return { delegationId: d.id, option };
      }),
    };
  });
}

/** The one option every delegation chose, or null while they differ or someone has not chosen. */
export function consensusOf(view: BracketView): number | null {
  const options = view.choices.map((c) => c.option);
  if (options.some((o) => o === null)) return null;
  return options.every((o) => o === options[0]) ? options[0] : null;
}
