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

/** The reason a refused editor is told in Hocuspocus's close message; the editor then starts again from the server's text. */
export const BRACKET_REFUSED_REASON = "bracket-refused";

export class BracketRefusedError extends Error {
  /** Read by Hocuspocus when it closes the connection: the client learns why. */
  readonly code = 4409;
  readonly reason = BRACKET_REFUSED_REASON;
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

/**
 * After each store: paragraph ids, the search text and content hash kept current, and the
 * bracket register kept true to the text.
 */
export async function afterOutcomeStored(documentId: string, doc: Y.Doc): Promise<void> {
  assignParagraphIds(doc);
  const json = outcomeDocToJSON(doc);
  await db().update(outcomeDocuments).set({ text: outcomeJsonToText(json), contentHash: outcomeContentHash(json) }).where(eq(outcomeDocuments.id, documentId));
  await closeLostBrackets(documentId, doc);
}

/**
 * The one race the wire rules cannot refuse (ADR 027): an update bracketing words and another
 * deleting them, each checked against a text without the other — on two instances (ADR 021),
 * or merged by Yjs after both were accepted. The deletion was allowed, so the words are gone;
 * the bracket has no text left. Its register row must not stay "open" with nothing to resolve:
 * it is closed as "lost", audited, and the page shows it among the closed brackets.
 */
/** How long a new bracket's row may precede its update in a copy of the text. */
export const LOST_GRACE_MS = 5_000;

export async function closeLostBrackets(documentId: string, doc: Y.Doc | ReadonlySet<string>, now = new Date()): Promise<string[]> {
  const live = doc instanceof Y.Doc ? new Set(scanBrackets(doc).brackets.keys()) : doc;
  const open = await db().select({ id: outcomeBrackets.id, text: outcomeBrackets.text, delegationId: outcomeBrackets.delegationId, createdAt: outcomeBrackets.createdAt }).from(outcomeBrackets).where(and(eq(outcomeBrackets.documentId, documentId), eq(outcomeBrackets.status, "open")));
  // A row is written just before its update is applied (and relayed to other instances): a
  // bracket younger than the grace period may simply not have reached this copy yet.
  const lost = open.filter((row) => !live.has(row.id) && now.getTime() - row.createdAt.getTime() > LOST_GRACE_MS);
  if (!lost.length) return [];
  const closed = await withTransaction(async (tx) => {
    const [document] = await tx.select({ bodyId: outcomeDocuments.bodyId }).from(outcomeDocuments).where(eq(outcomeDocuments.id, documentId));
    const ids: string[] = [];
    for (const row of lost) {
      // Guarded by status: a resolution or withdrawal that committed meanwhile wins.
      const changed = await tx.update(outcomeBrackets).set({ status: "lost", outcome: null, closedAt: new Date() }).where(and(eq(outcomeBrackets.id, row.id), eq(outcomeBrackets.status, "open"))).returning({ id: outcomeBrackets.id });
      if (!changed.length) continue;
      ids.push(row.id);
      await recordAudit(tx, { bodyId: document.bodyId, actorId: null, action: "outcome.bracket.lost", entityType: "outcome_document", entityId: documentId, before: { bracketId: row.id, text: row.text, delegationId: row.delegationId }, after: { status: "lost" } });
    }
    return ids;
  });
  if (closed.length) announceOutcomeChange(documentId, null, "bracket.lost");
  return closed;
}
