import { and, asc, desc, eq, max } from "drizzle-orm";
import { z } from "zod";
import * as Y from "yjs";
import { bodies, outcomeBracketAcceptances, outcomeBrackets, outcomeClearances, outcomeDocuments, outcomeKinds, outcomeMarkings, outcomeSilences, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type Tx } from "~/lib/db.server";
import { ConflictError, ValidationError } from "~/lib/errors";
import { outcomeContentHash, outcomeDocToJSON, outcomeJsonToHTML, sourceParagraphs } from "~/lib/outcome-doc.server";
import { OUTCOME_FIELD } from "~/lib/outcome-schema";
import { can } from "~/lib/permissions";
import { withTransaction, type AfterCommit } from "~/lib/transaction.server";
import { LIMITS, parseInput, scopeId } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { audienceFor } from "~/models/core/audience.server";
import { getOutcomeForMember, mayBracket, mayWriteOutcome, outcomeRecord, outcomeSymbol, type OutcomeDocument } from "~/models/outcomes/access.server";
import { closeLostBrackets } from "~/models/outcomes/collab.server";
import { withOutcomeDocument, reconnectOutcomeEditors } from "~/models/outcomes/live.server";
import { queueOutcomeMessages } from "~/models/outcomes/mail.server";
import { announceOutcomeChange } from "~/models/outcomes/events.server";
import { bracketViews, clearanceStates, consensusOf, readLiveText } from "~/models/outcomes/state.server";
import { translationSummary } from "~/models/outcomes/translations.server";
import { loadOutcomeDoc } from "~/models/outcomes/store.server";
import { getIssue } from "~/models/outcomes/issue.server";

// ---------- the meeting's list ----------

export async function listOutcomes({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  const audience = await audienceFor(db(), member, meeting.id);
  // Documents outside the reader's TLP audience are left out entirely (their OD number shows a gap).
  const rows = (await db().select().from(outcomeDocuments).where(eq(outcomeDocuments.meetingId, meetingId)).orderBy(asc(outcomeDocuments.number))).filter((d) => audience.may(outcomeRecord(d)));
  const { body } = await getOutcomeBody(meeting.bodyId);
  return {
    meeting,
    member,
    documents: rows.map((d) => ({ id: d.id, title: d.title, kind: d.kind, marking: d.marking, status: d.status, symbol: outcomeSymbol(body, meeting, d), updatedAt: d.updatedAt })),
    prefix: body.symbolPrefix?.trim() || body.slug.toUpperCase(),
    can: { create: can(member, "outcomes.write") && meeting.status !== "cancelled", configure: can(member, "body.configure") },
  };
}

async function getOutcomeBody(bodyId: string) {
  const [body] = await db().select().from(bodies).where(eq(bodies.id, bodyId));
  return { body };
}

const createSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.title),
  kind: z.enum(outcomeKinds),
  marking: z.enum(outcomeMarkings).default("TLP:AMBER"),
});

/** A new outcome document of a meeting, numbered OD.n in the meeting's series. */
export async function createOutcome({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "outcomes.write");
  if (meeting.status === "cancelled") throw ValidationError.field("", "outcomes:errors.cancelled");
  const fields = parseInput(createSchema, input);
  return withTransaction(async (tx) => {
    const [top] = await tx.select({ n: max(outcomeDocuments.number) }).from(outcomeDocuments).where(eq(outcomeDocuments.meetingId, meetingId));
    const [row] = await tx
      .insert(outcomeDocuments)
      .values({ bodyId: meeting.bodyId, meetingId, number: Number(top?.n ?? 0) + 1, title: fields.title, kind: fields.kind, marking: fields.marking, createdBy: actor.id })
      .returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "outcome.create", entityType: "outcome_document", entityId: row.id, after: { title: row.title, kind: row.kind, number: row.number } });
    return row;
  });
}

// ---------- the document's page ----------

/** Everything the document's page shows a member of the body. */
export async function getOutcomePage({ actor, documentId }: { actor: Actor; documentId: string }) {
  const { document, meeting, member, delegations, body } = await getOutcomeForMember(db(), actor, documentId);
  const live = await readLiveText(documentId);
  // A bracket whose words were deleted at the same moment is closed as lost, not left open (ADR 027).
  await closeLostBrackets(documentId, new Set(live.brackets.map((b) => b.id)));
  const brackets = await bracketViews(db(), documentId, live.brackets, delegations);
  const silences = await db()
    .select({ id: outcomeSilences.id, status: outcomeSilences.status, deadline: outcomeSilences.deadline, timeZone: outcomeSilences.timeZone, startedAt: outcomeSilences.startedAt, reason: outcomeSilences.reason, brokenDelegationId: outcomeSilences.brokenDelegationId, brokenBy: users.name, endedAt: outcomeSilences.endedAt })
    .from(outcomeSilences)
    .leftJoin(users, eq(users.id, outcomeSilences.brokenBy))
    .where(eq(outcomeSilences.documentId, documentId))
    .orderBy(desc(outcomeSilences.startedAt));
  const closed = await db().select().from(outcomeBrackets).where(eq(outcomeBrackets.documentId, documentId)).orderBy(desc(outcomeBrackets.createdAt));
  const own = delegations.find((d) => d.id === member.delegationId) ?? null;
  const writable = mayWriteOutcome(member, document, meeting);
  return {
    document,
    meeting,
    member,
    body,
    delegations,
    symbol: outcomeSymbol(body, meeting, document),
    html: outcomeJsonToHTML(live.json),
    hash: live.hash,
    paragraphs: sourceParagraphs(live.json),
    brackets,
    closedBrackets: closed.filter((b) => b.status !== "open"),
    clearances: await clearanceStates(db(), document, delegations, live.hash),
    silence: silences[0] ?? null,
    silences,
    translations: await translationSummary(document, delegations, live.json),
    issue: await getIssue(document),
    own,
    can: {
      write: writable,
      bracket: writable && mayBracket(member),
      choose: document.status === "negotiating" && mayBracket(member),
      clear: can(member, "outcomes.clear", { delegationId: member.delegationId }) && (document.status === "negotiating" || document.status === "silence"),
      breakSilence: can(member, "outcomes.clear", { delegationId: member.delegationId }) && document.status === "silence",
      manage: can(member, "outcomes.manage"),
    },
  };
}

// ---------- brackets ----------

/** Every run of a bracket in the live text: the Yjs text, where it starts, how long, under which attribute key. */
function bracketRuns(doc: Y.Doc, bracketId: string) {
  const runs: Array<{ child: Y.XmlText; start: number; length: number; key: string; value: Record<string, unknown>; others: Record<string, unknown> }> = [];
  for (const block of doc.getXmlFragment(OUTCOME_FIELD).toArray()) {
    if (!(block instanceof Y.XmlElement)) continue;
    for (const child of block.toArray()) {
      if (!(child instanceof Y.XmlText)) continue;
      let index = 0;
      let run: (typeof runs)[number] | null = null;
      for (const op of child.toDelta() as Array<{ insert: unknown; attributes?: Record<string, unknown> }>) {
        const size = typeof op.insert === "string" ? op.insert.length : 1;
        const found = Object.entries(op.attributes ?? {}).find(([k, v]) => (k === "bracket" || k.startsWith("bracket--")) && (v as { id?: string })?.id === bracketId);
        if (found) {
          if (!run) run = { child, start: index, length: 0, key: found[0], value: found[1] as Record<string, unknown>, others: Object.fromEntries(Object.entries(op.attributes ?? {}).filter(([k]) => k !== found[0])) };
          run.length += size;
        }
        index += size;
      }
      if (run) runs.push(run);
    }
  }
  return runs;
}

/** Finds a bracket's run in the live text and replaces it (with `text`) or just unmarks it. */
function closeBracketInDoc(doc: Y.Doc, bracketId: string, replacement: string | null): boolean {
  const runs = bracketRuns(doc, bracketId);
  doc.transact(() => {
    for (const run of runs) {
      if (replacement === null) run.child.format(run.start, run.length, { [run.key]: null });
      else {
        run.child.delete(run.start, run.length);
        if (replacement) run.child.insert(run.start, replacement, run.others);
      }
    }
  }, "server");
  return runs.length > 0;
}

/** Gives a bracket new alternatives in the live text (its words, id and owner stay). */
function setBracketAlternatives(doc: Y.Doc, bracketId: string, alternatives: string[]): boolean {
  const runs = bracketRuns(doc, bracketId);
  doc.transact(() => {
    for (const run of runs) run.child.format(run.start, run.length, { [run.key]: { ...run.value, alternatives } });
  }, "server");
  return runs.length > 0;
}

const chooseSchema = z.object({ bracketId: z.string().min(1).max(64), option: z.coerce.number().int().min(0).max(5), text: z.string().max(4000).optional() });

/**
 * A delegation (through a delegate or its head) chooses one text for a bracket: the bracketed
 * words (0) or an alternative (n). When every delegation has chosen the same text, the
 * bracket is resolved: that text replaces it, unbracketed, in the live text.
 */
export async function chooseBracketText({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.bracket");
  if (!member.delegationId) throw ValidationError.field("", "outcomes:errors.noDelegation");
  if (document.status !== "negotiating") throw ValidationError.field("", "outcomes:errors.notNegotiating");
  const { bracketId, option, text: seen } = parseInput(chooseSchema, input);
  const live = await readLiveText(documentId);
  const bracket = live.brackets.find((b) => b.id === bracketId);
  if (!bracket) throw ValidationError.field("bracketId", "outcomes:errors.bracketGone");
  if (option > bracket.alternatives.length) throw ValidationError.field("option", "errors:validation.choice");
  // The owner may have changed its alternatives since the page was drawn: the text chosen must be the one shown.
  const chosen = option === 0 ? bracket.text : bracket.alternatives[option - 1];
  if (seen !== undefined && seen !== chosen) throw new ConflictError({ option, text: chosen }, null, null);
  const resolved = await withTransaction(async (tx, afterCommit) => {
    await tx.insert(outcomeBracketAcceptances).values({ bracketId, delegationId: member.delegationId!, option, userId: actor.id, at: new Date() }).onConflictDoUpdate({ target: [outcomeBracketAcceptances.bracketId, outcomeBracketAcceptances.delegationId], set: { option, userId: actor.id, at: new Date() } });
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.bracket.choose", entityType: "outcome_document", entityId: documentId, after: { bracketId, option, text: option ? bracket.alternatives[option - 1] : bracket.text } });
    const [view] = await bracketViews(tx, documentId, [bracket], delegations);
    const agreed = consensusOf(view);
    if (agreed === null) return null;
    const text = agreed === 0 ? bracket.text : bracket.alternatives[agreed - 1];
    await tx.update(outcomeBrackets).set({ status: "resolved", outcome: text, closedAt: new Date() }).where(eq(outcomeBrackets.id, bracketId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.bracket.resolve", entityType: "outcome_document", entityId: documentId, before: { text: bracket.text, alternatives: bracket.alternatives }, after: { bracketId, text } });
    afterCommit(() => withOutcomeDocument(documentId, (doc) => closeBracketInDoc(doc, bracketId, agreed === 0 ? null : text)));
    return text;
  });
  announceOutcomeChange(documentId, actor, resolved === null ? "bracket.choose" : "bracket.resolve");
  return { resolved };
}

/** The owner withdraws its bracket: the bracketed words stay, as agreed text. */
export async function withdrawBracket({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.bracket");
  if (document.status !== "negotiating") throw ValidationError.field("", "outcomes:errors.notNegotiating");
  const bracketId = scopeId(input, "bracketId");
  const live = await readLiveText(documentId);
  const bracket = live.brackets.find((b) => b.id === bracketId);
  if (!bracket) throw ValidationError.field("bracketId", "outcomes:errors.bracketGone");
  await withTransaction(async (tx, afterCommit) => {
    const [row] = await tx.select().from(outcomeBrackets).where(and(eq(outcomeBrackets.id, bracketId), eq(outcomeBrackets.documentId, documentId)));
    if (!row || row.delegationId !== member.delegationId) throw ValidationError.field("bracketId", "outcomes:errors.notYourBracket");
    await tx.update(outcomeBrackets).set({ status: "withdrawn", outcome: bracket.text, closedAt: new Date() }).where(eq(outcomeBrackets.id, bracketId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.bracket.withdraw", entityType: "outcome_document", entityId: documentId, after: { bracketId, text: bracket.text } });
    afterCommit(() => withOutcomeDocument(documentId, (doc) => closeBracketInDoc(doc, bracketId, null)));
  });
  announceOutcomeChange(documentId, actor, "bracket.withdraw");
}

const editSchema = z.object({
  alternatives: z
    .string()
    .max(5 * 2000 + 10, "outcomes:errors.alternativeTooLong")
    .transform((v) => v.split(/\r?\n/).map((a) => a.trim()).filter(Boolean))
    .refine((list) => list.every((a) => a.length <= 2000), "outcomes:errors.alternativeTooLong")
    .refine((list) => list.length <= 5, "outcomes:errors.tooManyAlternatives"),
});

/**
 * The owner edits its own bracket in place: new alternatives (one a line, up to five; none
 * leaves the bracketed words alone on the table). Only the owning delegation's delegates and
 * heads may (a raw client cannot either: the wire rules refuse any rewrite, ADR 017); the
 * change goes into the live text through the server. Choices of texts that are still offered
 * stay (renumbered); a choice of a text the owner dropped is void and must be made again.
 */
export async function editBracket({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.bracket");
  if (document.status !== "negotiating") throw ValidationError.field("", "outcomes:errors.notNegotiating");
  const bracketId = scopeId(input, "bracketId");
  const { alternatives } = parseInput(editSchema, input);
  const live = await readLiveText(documentId);
  const bracket = live.brackets.find((b) => b.id === bracketId);
  if (!bracket) throw ValidationError.field("bracketId", "outcomes:errors.bracketGone");
  if (JSON.stringify(bracket.alternatives) === JSON.stringify(alternatives)) return { changed: false };
  await withTransaction(async (tx, afterCommit) => {
    const [row] = await tx.select().from(outcomeBrackets).where(and(eq(outcomeBrackets.id, bracketId), eq(outcomeBrackets.documentId, documentId)));
    if (!row || row.status !== "open" || row.delegationId !== member.delegationId) throw ValidationError.field("bracketId", "outcomes:errors.notYourBracket");
    await tx.update(outcomeBrackets).set({ alternatives }).where(eq(outcomeBrackets.id, bracketId));
    const choices = await tx.select().from(outcomeBracketAcceptances).where(eq(outcomeBracketAcceptances.bracketId, bracketId));
    for (const choice of choices) {
      if (choice.option === 0) continue;
      const kept = alternatives.indexOf(bracket.alternatives[choice.option - 1]);
      const where = and(eq(outcomeBracketAcceptances.bracketId, bracketId), eq(outcomeBracketAcceptances.delegationId, choice.delegationId));
      if (kept < 0) await tx.delete(outcomeBracketAcceptances).where(where);
      else if (kept + 1 !== choice.option) await tx.update(outcomeBracketAcceptances).set({ option: kept + 1 }).where(where);
    }
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.bracket.edit", entityType: "outcome_document", entityId: documentId, before: { bracketId, alternatives: bracket.alternatives }, after: { bracketId, alternatives } });
    afterCommit(() => withOutcomeDocument(documentId, (doc) => setBracketAlternatives(doc, bracketId, alternatives)));
  });
  announceOutcomeChange(documentId, actor, "bracket.edit");
  return { changed: true };
}

// ---------- clearance ----------

const clearSchema = z.object({ kind: z.enum(["cleared", "ad_referendum"]), hash: z.string().min(1).max(128) });

/** Adopted when every delegation has cleared (not only ad referendum) this exact text. */
function everyoneCleared(states: Awaited<ReturnType<typeof clearanceStates>>) {
  return states.length > 0 && states.every((s) => s.state === "cleared");
}

/**
 * A head clears the text as it is now for their capital (or agrees ad referendum). Tied to
 * the text's hash: a text that changed while they read it is refused with 409, and any later
 * change voids it. A text with an open bracket cannot be cleared. The last clearance that
 * completes the set adopts the text (and ends a running silence procedure early).
 */
export async function clearOutcome({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations, body, meeting } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.clear", { delegationId: member.delegationId });
  if (document.status !== "negotiating" && document.status !== "silence") throw ValidationError.field("", "outcomes:errors.notOpenForClearance");
  const { kind, hash: seen } = parseInput(clearSchema, input);
  const live = await readLiveText(documentId);
  if (live.brackets.length) throw ValidationError.field("", "outcomes:errors.openBrackets", { count: live.brackets.length });
  if (seen !== live.hash) throw new ConflictError({ hash: live.hash }, null, null);
  const symbol = outcomeSymbol(body, meeting, document);
  const code = delegations.find((d) => d.id === member.delegationId)?.code ?? "";
  const adopted = await withTransaction(async (tx, afterCommit) => {
    const [silence] = document.status === "silence" ? await tx.select().from(outcomeSilences).where(and(eq(outcomeSilences.documentId, documentId), eq(outcomeSilences.status, "running"))) : [];
    await tx.insert(outcomeClearances).values({ documentId, delegationId: member.delegationId!, userId: actor.id, kind, contentHash: live.hash, revision: document.revision, silenceId: silence?.id ?? null, at: now });
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: kind === "cleared" ? "outcome.clear" : "outcome.adReferendum", entityType: "outcome_document", entityId: documentId, after: { delegationId: member.delegationId, hash: live.hash, duringSilence: !!silence } });
    await tx.update(outcomeDocuments).set({ contentHash: live.hash }).where(eq(outcomeDocuments.id, documentId));
    const states = await clearanceStates(tx, document, delegations, live.hash);
    if (!everyoneCleared(states)) {
      await queueOutcomeMessages(tx, afterCommit, document, symbol, kind === "cleared" ? "cleared" : "adReferendum", { delegation: code, hash: live.hash, exceptUserId: actor.id });
      return false;
    }
    if (silence) await tx.update(outcomeSilences).set({ status: "cleared", endedAt: now }).where(eq(outcomeSilences.id, silence.id));
    await adoptInTransaction(tx, afterCommit, document, live.hash, silence ? "silenceEnded" : "clearance", now, actor.id, symbol);
    afterCommit(() => reconnectOutcomeEditors(documentId));
    return true;
  });
  announceOutcomeChange(documentId, actor, adopted ? "adopt" : "clear");
  return { adopted };
}

/**
 * Adoption itself: the text's hash is fixed, editing ends, the heads are told — by silence at
 * the deadline, by clearance, or by clearance of every delegation ending a silence early
 * (adopted by clearance; the mail says the silence procedure ended).
 */
export async function adoptInTransaction(tx: Tx, afterCommit: AfterCommit, document: OutcomeDocument, hash: string, how: "clearance" | "silence" | "silenceEnded", now: Date, actorId: string | null, symbol: string) {
  const adoptedHow = how === "silence" ? "silence" : "clearance";
  await tx.update(outcomeDocuments).set({ status: "adopted", adoptedAt: now, adoptedHow, adoptedHash: hash, contentHash: hash, version: document.version + 1 }).where(eq(outcomeDocuments.id, document.id));
  await recordAudit(tx, { bodyId: document.bodyId, actorId, action: how === "silence" ? "outcome.adopt.silence" : "outcome.adopt.clearance", entityType: "outcome_document", entityId: document.id, before: { status: document.status }, after: { status: "adopted", hash } });
  await queueOutcomeMessages(tx, afterCommit, document, symbol, how === "silenceEnded" ? "silenceEnded" : "adopted", { hash });
}

// ---------- asking the capitals to clear ----------

const requestSchema = z.object({ hash: z.string().min(1).max(128) });

/**
 * The secretariat asks the heads whose delegation has not yet cleared the text as it is now
 * to clear it: a mail to each in their language with the text's hash. Only a text without
 * open brackets can be asked for, and only the one the secretariat saw (409 otherwise).
 */
export async function requestClearance({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations, body, meeting } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  if (document.status !== "negotiating" && document.status !== "silence") throw ValidationError.field("", "outcomes:errors.notOpenForClearance");
  const { hash: seen } = parseInput(requestSchema, input);
  const live = await readLiveText(documentId);
  if (live.brackets.length) throw ValidationError.field("", "outcomes:errors.openBrackets", { count: live.brackets.length });
  if (seen !== live.hash) throw new ConflictError({ hash: live.hash }, null, null);
  const states = await clearanceStates(db(), document, delegations, live.hash);
  const pending = states.filter((s) => s.state !== "cleared").map((s) => s.delegationId);
  if (!pending.length) throw ValidationError.field("", "outcomes:errors.allCleared");
  await withTransaction(async (tx, afterCommit) => {
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.clearance.request", entityType: "outcome_document", entityId: documentId, after: { hash: live.hash, delegationIds: pending } });
    await queueOutcomeMessages(tx, afterCommit, document, outcomeSymbol(body, meeting, document), "clearanceRequested", { hash: live.hash, delegationIds: pending, headsOnly: true });
  });
  announceOutcomeChange(documentId, actor, "clearance.request");
  return { asked: pending.length };
}

// ---------- settings ----------

const settingsSchema = z.object({ authenticity: z.enum(["source", "all"]), marking: z.enum(outcomeMarkings), title: z.string().trim().min(1).max(LIMITS.title) });

/** The secretariat sets which texts are authentic, the marking and the title. */
export async function updateOutcomeSettings({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  if (document.status === "issued") throw ValidationError.field("", "outcomes:errors.issued");
  const fields = parseInput(settingsSchema, input);
  await withTransaction(async (tx, afterCommit) => {
    await tx.update(outcomeDocuments).set({ ...fields, version: document.version + 1 }).where(eq(outcomeDocuments.id, documentId));
    // A new marking may narrow the audience: open editors are decided again (ADR 027).
    if (fields.marking !== document.marking) afterCommit(() => reconnectOutcomeEditors(documentId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.settings", entityType: "outcome_document", entityId: documentId, before: { authenticity: document.authenticity, marking: document.marking, title: document.title }, after: fields });
  });
  announceOutcomeChange(documentId, actor, "settings");
}

/** The stored live text (for previews that need no live connection). */
export async function storedOutcomeText(documentId: string) {
  const doc = await loadOutcomeDoc(documentId);
  const json = outcomeDocToJSON(doc);
  return { json, hash: outcomeContentHash(json) };
}
