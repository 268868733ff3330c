import type { JSONContent } from "@tiptap/core";
import { and, eq, inArray } from "drizzle-orm";
import * as Y from "yjs";
import { delegations, outcomeBrackets, outcomeDocuments } from "#db/schema";
import { db } from "~/lib/db.server";
import { newId } from "~/lib/ids";
import { outcomeContentHash, outcomeDocToJSON, outcomeJsonToText, scanBrackets, withUpdate } from "~/lib/outcome-doc.server";
import { OUTCOME_FIELD } from "~/lib/outcome-schema";
import { withTransaction } from "~/lib/transaction.server";
import { recordAudit } from "~/models/core/audit.server";
import { checkBracketChange, type Sender } from "~/models/outcomes/bracket-rules.server";
import { appendOutcomeUpdate } from "~/models/outcomes/store.server";
import { announceOutcomeChange } from "~/models/outcomes/events.server";

/**
 * What the collaboration server does with an outcome document's updates: check the bracket
 * rules, then store (with the new brackets in the register and the audit trail) before the
 * update is applied and acknowledged.
 */

export class BracketRefusedError extends Error {
  constructor(public readonly refusal: string) {
    super(`bracket rule: ${refusal}`);
    this.name = "BracketRefusedError";
  }
}

/** A new document starts with one empty paragraph. */
export const initialOutcomeContent = (): JSONContent => ({ type: "doc", content: [{ type: "paragraph", attrs: { pid: newId() } }] });

/**
 * Checks one client update against the document it would change and stores it. Throws (and
 * stores nothing) when it breaks a bracket rule: Hocuspocus then closes that connection and
 * never applies or acknowledges the update.
 */
export async function acceptOutcomeUpdate({ documentId, userId, sender, document, update }: { documentId: string; userId: string; sender: Sender; document: Y.Doc; update: Uint8Array }): Promise<void> {
  const before = scanBrackets(document);
  const next = withUpdate(document, update);
  const after = scanBrackets(next);
  next.destroy();
  const ids = [...after.brackets.keys()].filter((id) => !before.brackets.has(id));
  const known = new Set(ids.length ? (await db().select({ id: outcomeBrackets.id }).from(outcomeBrackets).where(inArray(outcomeBrackets.id, ids))).map((r) => r.id) : []);
  const { refusal, added } = checkBracketChange({ before, after, sender, known });
  if (refusal) throw new BracketRefusedError(refusal);
  await withTransaction(async (tx, afterCommit) => {
    await appendOutcomeUpdate(tx, documentId, update, userId);
    if (added.length === 0) return;
    // Hocuspocus applies the update just after this check returns: announce once it has.
    afterCommit(() => void setTimeout(() => announceOutcomeChange(documentId, null, "bracket.add"), 100));
    const [doc] = await tx.select({ bodyId: outcomeDocuments.bodyId }).from(outcomeDocuments).where(eq(outcomeDocuments.id, documentId));
    for (const bracket of added) {
      const [delegation] = await tx.select({ id: delegations.id }).from(delegations).where(and(eq(delegations.bodyId, doc.bodyId), eq(delegations.code, bracket.owner)));
      if (!delegation) throw new BracketRefusedError("foreignOwner");
      await tx.insert(outcomeBrackets).values({ id: bracket.id, documentId, delegationId: delegation.id, text: bracket.text, alternatives: bracket.alternatives, createdBy: userId });
      await recordAudit(tx, { bodyId: doc.bodyId, actorId: userId, action: "outcome.bracket.add", entityType: "outcome_document", entityId: documentId, after: { bracketId: bracket.id, delegation: bracket.owner, text: bracket.text, alternatives: bracket.alternatives } });
    }
  });
}

/** Top-level blocks without an id, or with one an earlier block already has (a split paragraph copies it). */
function blocksNeedingIds(doc: Y.Doc): Y.XmlElement[] {
  const seen = new Set<string>();
  const out: Y.XmlElement[] = [];
  for (const node of doc.getXmlFragment(OUTCOME_FIELD).toArray()) {
    if (!(node instanceof Y.XmlElement)) continue;
    const pid = node.getAttribute("pid");
    if (!pid || seen.has(pid)) out.push(node);
    else seen.add(pid);
  }
  return out;
}

/** Gives every paragraph its own id (a server change, stored like any other). */
export function assignParagraphIds(doc: Y.Doc): void {
  const missing = blocksNeedingIds(doc);
  if (missing.length) doc.transact(() => missing.forEach((el) => el.setAttribute("pid", newId())), "server");
}

/** After each store: paragraph ids, and the search text and content hash kept current. */
export async function afterOutcomeStored(documentId: string, doc: Y.Doc): Promise<void> {
  assignParagraphIds(doc);
  const json = outcomeDocToJSON(doc);
  await db().update(outcomeDocuments).set({ text: outcomeJsonToText(json), contentHash: outcomeContentHash(json) }).where(eq(outcomeDocuments.id, documentId));
}
