import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import { bodies, meetings, outcomeDocuments, outcomeIssues, outcomeLanguageVersions, type IssuedVersion } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { newSecret } from "~/lib/ids";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";
import { getOutcomeForMember, outcomeSymbol, type OutcomeDocument } from "~/models/outcomes/access.server";
import { queueOutcomeMessages } from "~/models/outcomes/mail.server";
import { readLiveText } from "~/models/outcomes/state.server";
import { announceOutcomeChange } from "~/models/outcomes/events.server";
import { requiredLanguages, versionParagraphs } from "~/models/outcomes/translations.server";

/** The latest issue of a document (of its current revision), or null. */
export async function getIssue(document: Pick<OutcomeDocument, "id" | "revision">) {
  const [row] = await db().select().from(outcomeIssues).where(and(eq(outcomeIssues.documentId, document.id), eq(outcomeIssues.revision, document.revision)));
  return row ?? null;
}

/** The SHA-256 over every version, in a fixed order of languages: what the issued document is. */
export const issueHash = (versions: Record<string, IssuedVersion>) => sha256(JSON.stringify(Object.keys(versions).sort().map((l) => [l, versions[l]])));

/**
 * Issue: once adopted, with every required language version final and no paragraph stale or
 * missing, every version is frozen as stored paragraphs with one SHA-256 over them all.
 */
export async function issueOutcome({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations: list, body, meeting } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  if (document.status !== "adopted") throw ValidationError.field("", "outcomes:errors.notAdopted");
  const live = await readLiveText(documentId);
  if (live.hash !== document.adoptedHash) throw ValidationError.field("", "outcomes:errors.changedSinceAdoption");
  const finals = await db().select().from(outcomeLanguageVersions).where(eq(outcomeLanguageVersions.documentId, documentId));
  const versions: Record<string, IssuedVersion> = {};
  for (const language of [document.language, ...requiredLanguages(document, list)]) {
    const rows = await versionParagraphs(document, language, live.json);
    if (language !== document.language) {
      if (!finals.find((f) => f.language === language)?.final) throw ValidationError.field("", "outcomes:errors.versionNotFinal", { language });
      if (rows.some((r) => r.state !== "current")) throw ValidationError.field("", "outcomes:errors.versionIncomplete", { count: rows.filter((r) => r.state !== "current").length });
    }
    versions[language] = { paragraphs: rows.map((r) => ({ id: r.id ?? "", type: r.type, ...(r.level ? { level: r.level } : {}), text: r.translation ?? "" })) };
  }
  const symbol = outcomeSymbol(body, meeting, document);
  const hash = issueHash(versions);
  await withTransaction(async (tx, afterCommit) => {
    const changed = await tx.update(outcomeDocuments).set({ status: "issued", issuedAt: now, version: document.version + 1 }).where(and(eq(outcomeDocuments.id, documentId), eq(outcomeDocuments.status, "adopted"))).returning({ id: outcomeDocuments.id });
    if (!changed.length) throw ValidationError.field("", "outcomes:errors.notAdopted");
    await tx.insert(outcomeIssues).values({ documentId, revision: document.revision, symbol, versions, sha256: hash, issuedBy: actor.id, issuedAt: now });
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.issue", entityType: "outcome_document", entityId: documentId, after: { symbol, sha256: hash } });
    await queueOutcomeMessages(tx, afterCommit, document, symbol, "issued");
  });
  announceOutcomeChange(documentId, actor, "issue");
}

/**
 * A revision of an issued document (`…/Rev.1`): negotiation reopens on the same live text;
 * clearances, silence and language versions start again; the earlier issue stays as it was.
 */
export async function startRevision({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  if (document.status !== "issued") throw ValidationError.field("", "outcomes:errors.notIssued");
  const { reason } = parseInput(z.object({ reason: z.string().trim().min(1).max(2000) }), input);
  await withTransaction(async (tx) => {
    await tx.update(outcomeDocuments).set({ status: "negotiating", revision: document.revision + 1, adoptedAt: null, adoptedHow: null, adoptedHash: null, issuedAt: null, publicToken: null, version: document.version + 1 }).where(eq(outcomeDocuments.id, documentId));
    await tx.update(outcomeLanguageVersions).set({ final: false }).where(eq(outcomeLanguageVersions.documentId, documentId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.revise", entityType: "outcome_document", entityId: documentId, after: { revision: document.revision + 1, reason } });
  });
  announceOutcomeChange(documentId, actor, "revise");
}

/** The secretariat turns a public address for an issued TLP:CLEAR document on (a new secret) or off. */
export async function setPublicAddress({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member } = await getOutcomeForMember(db(), actor, documentId);
  assertCan(member, "outcomes.manage");
  const on = parseInput(z.object({ public: z.enum(["1", "0"]) }), input).public === "1";
  if (on && document.status !== "issued") throw ValidationError.field("", "outcomes:errors.notIssued");
  if (on && document.marking !== "TLP:CLEAR") throw ValidationError.field("", "outcomes:errors.notClear");
  const token = on ? newSecret() : null;
  await withTransaction(async (tx) => {
    await tx.update(outcomeDocuments).set({ publicToken: token }).where(eq(outcomeDocuments.id, documentId));
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: on ? "outcome.public.on" : "outcome.public.off", entityType: "outcome_document", entityId: documentId });
  });
  announceOutcomeChange(documentId, actor, "public");
  return { token };
}

/**
 * What anyone with the public address sees: the issued texts of that one document and the
 * body's name, nothing else. Only an issued TLP:CLEAR document with its token set answers.
 */
export async function getPublicOutcome(token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFoundError("outcome document");
  const [document] = await db().select().from(outcomeDocuments).where(eq(outcomeDocuments.publicToken, token));
  if (!document || document.status !== "issued" || document.marking !== "TLP:CLEAR") throw new NotFoundError("outcome document");
  const [issue] = await db().select().from(outcomeIssues).where(eq(outcomeIssues.documentId, document.id)).orderBy(desc(outcomeIssues.revision)).limit(1);
  if (!issue) throw new NotFoundError("outcome document");
  const [body] = await db().select({ nameEn: bodies.nameEn, nameJa: bodies.nameJa, nameKo: bodies.nameKo }).from(bodies).where(eq(bodies.id, document.bodyId));
  const [meeting] = await db().select({ ordinal: meetings.ordinal }).from(meetings).where(eq(meetings.id, document.meetingId));
  return { document: { title: document.title, kind: document.kind, marking: document.marking, language: document.language, authenticity: document.authenticity, adoptedAt: document.adoptedAt, issuedAt: document.issuedAt, adoptedHow: document.adoptedHow }, issue, body, meetingOrdinal: meeting?.ordinal ?? null };
}
