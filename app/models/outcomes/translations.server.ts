import type { JSONContent } from "@tiptap/core";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { outcomeLanguageVersions, outcomeTranslations, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { ConflictError, ForbiddenError, ValidationError } from "~/lib/errors";
import { isLocale, type Locale } from "~/lib/i18n";
import { sourceParagraphs, type SourceParagraph } from "~/lib/outcome-doc.server";
import { can, type Member } from "~/lib/permissions";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { recordAudit } from "~/models/core/audit.server";
import { getOutcomeForMember, type Delegation, type OutcomeDocument } from "~/models/outcomes/access.server";
import { readLiveText } from "~/models/outcomes/state.server";
import { announceOutcomeChange } from "~/models/outcomes/events.server";

/**
 * Parallel texts: the negotiated text gets versions in the body's other languages, written by
 * people (no machine translation), paragraph by paragraph. Each translated paragraph remembers
 * the hash of the source paragraph it translated, so a later change to the source shows it as
 * stale.
 */

/** The languages a document needs besides its negotiating language: the body's working languages. */
export function requiredLanguages(document: Pick<OutcomeDocument, "language">, list: Delegation[]): Locale[] {
  return [...new Set(list.map((d) => d.language))].filter((l): l is Locale => isLocale(l) && l !== document.language);
}

export type ParagraphState = "current" | "stale" | "missing";

export interface AlignedParagraph extends SourceParagraph {
  translation: string | null;
  state: ParagraphState;
  by: string | null;
}

async function aligned(tx: DbOrTx, documentId: string, language: string, paragraphs: SourceParagraph[]): Promise<AlignedParagraph[]> {
  const rows = await tx
    .select({ paragraphId: outcomeTranslations.paragraphId, text: outcomeTranslations.text, sourceHash: outcomeTranslations.sourceHash, by: users.name })
    .from(outcomeTranslations)
    .leftJoin(users, eq(users.id, outcomeTranslations.userId))
    .where(and(eq(outcomeTranslations.documentId, documentId), eq(outcomeTranslations.language, language)));
  return paragraphs.map((p) => {
    const row = rows.find((r) => r.paragraphId === p.id);
    const empty = !p.text.trim();
    const state: ParagraphState = !row ? (empty ? "current" : "missing") : row.sourceHash === p.hash ? "current" : "stale";
    return { ...p, translation: row?.text ?? null, state, by: row?.by ?? null };
  });
}

export interface LanguageSummary {
  language: Locale;
  final: boolean;
  current: number;
  stale: number;
  missing: number;
}

/** Per required language: final or not, and how many paragraphs are current, stale or missing. */
export async function translationSummary(document: OutcomeDocument, list: Delegation[], json: JSONContent): Promise<LanguageSummary[]> {
  const paragraphs = sourceParagraphs(json);
  const versions = await db().select().from(outcomeLanguageVersions).where(eq(outcomeLanguageVersions.documentId, document.id));
  const out: LanguageSummary[] = [];
  for (const language of requiredLanguages(document, list)) {
    const rows = await aligned(db(), document.id, language, paragraphs);
    out.push({
      language,
      final: versions.find((v) => v.language === language)?.final ?? false,
      current: rows.filter((r) => r.state === "current").length,
      stale: rows.filter((r) => r.state === "stale").length,
      missing: rows.filter((r) => r.state === "missing").length,
    });
  }
  return out;
}

/** Delegates and heads of a delegation whose working language it is, or the secretariat. */
function mayTranslate(member: Member, list: Delegation[], language: string): boolean {
  if (!can(member, "outcomes.translate")) return false;
  if (member.role === "secretariat") return true;
  return list.find((d) => d.id === member.delegationId)?.language === language;
}

/** Marking a version final: the secretariat, or the head of the delegation whose language it is. */
function mayMarkFinal(member: Member, list: Delegation[], language: string): boolean {
  if (member.role === "secretariat") return true;
  return member.role === "head" && list.find((d) => d.id === member.delegationId)?.language === language;
}

function languageOf(input: unknown, document: OutcomeDocument, list: Delegation[]): Locale {
  const language = scopeId(input, "language");
  if (!isLocale(language) || !requiredLanguages(document, list).includes(language)) throw ValidationError.field("language", "errors:validation.choice");
  return language;
}

/** The source and one language version side by side, paragraph by paragraph. */
export async function getTranslationPage({ actor, documentId, language: wanted }: { actor: Actor; documentId: string; language: string }) {
  const context = await getOutcomeForMember(db(), actor, documentId);
  const language = languageOf({ language: wanted }, context.document, context.delegations);
  const live = await readLiveText(documentId);
  const [version] = await db().select().from(outcomeLanguageVersions).where(and(eq(outcomeLanguageVersions.documentId, documentId), eq(outcomeLanguageVersions.language, language)));
  const frozen = context.document.status === "issued";
  return {
    ...context,
    language,
    paragraphs: await aligned(db(), documentId, language, sourceParagraphs(live.json)),
    final: version?.final ?? false,
    can: {
      translate: !frozen && mayTranslate(context.member, context.delegations, language),
      markFinal: !frozen && mayMarkFinal(context.member, context.delegations, language),
    },
  };
}

const paragraphSchema = z.object({ id: z.string().min(1).max(64), text: z.string().max(20_000), hash: z.string().min(1).max(128) });
const saveSchema = z.object({ paragraphs: z.array(paragraphSchema).min(1).max(500) });

/**
 * Saves translated paragraphs in one transaction. A paragraph that no longer exists in the
 * source, or whose source changed while it was being translated (its hash), refuses the
 * whole save: nothing is half-written. Saving makes the version no longer final.
 */
export async function saveTranslations({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations: list } = await getOutcomeForMember(db(), actor, documentId);
  const language = languageOf(input, document, list);
  if (!mayTranslate(member, list, language)) throw new ForbiddenError({ key: "outcomes:errors.mayNotTranslate" });
  if (document.status === "issued") throw ValidationError.field("", "outcomes:errors.issued");
  const { paragraphs } = parseInput(saveSchema, input);
  const live = await readLiveText(documentId);
  const source = new Map(sourceParagraphs(live.json).map((p) => [p.id, p]));
  const gone = paragraphs.filter((p) => !source.has(p.id));
  if (gone.length) throw new ValidationError(Object.fromEntries(gone.map((p) => [`text.${p.id}`, [{ key: "outcomes:errors.paragraphGone" }]])));
  const moved = paragraphs.filter((p) => source.get(p.id)!.hash !== p.hash);
  if (moved.length) throw new ConflictError({ paragraphs: moved.map((p) => ({ id: p.id, text: source.get(p.id)!.text, hash: source.get(p.id)!.hash })) }, null, null);
  await withTransaction(async (tx) => {
    const existing = await tx.select().from(outcomeTranslations).where(and(eq(outcomeTranslations.documentId, documentId), eq(outcomeTranslations.language, language)));
    let changed = 0;
    for (const p of paragraphs) {
      const text = p.text.trim();
      const before = existing.find((e) => e.paragraphId === p.id);
      if (before && before.text === text && before.sourceHash === p.hash) continue;
      if (!before && !text) continue;
      changed++;
      await tx
        .insert(outcomeTranslations)
        .values({ documentId, language, paragraphId: p.id, text, sourceHash: p.hash, userId: actor.id, at: new Date() })
        .onConflictDoUpdate({ target: [outcomeTranslations.documentId, outcomeTranslations.language, outcomeTranslations.paragraphId], set: { text, sourceHash: p.hash, userId: actor.id, at: new Date() } });
    }
    if (!changed) return;
    await tx.insert(outcomeLanguageVersions).values({ documentId, language, final: false }).onConflictDoUpdate({ target: [outcomeLanguageVersions.documentId, outcomeLanguageVersions.language], set: { final: false, markedBy: null, markedAt: null } });
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: "outcome.translate", entityType: "outcome_document", entityId: documentId, after: { language, paragraphs: changed } });
  });
  announceOutcomeChange(documentId, actor, "translate");
}

/** Marks a language version final (only with every paragraph translated and current), or reopens it. */
export async function markVersionFinal({ actor, input }: { actor: Actor; input: unknown }) {
  const documentId = scopeId(input, "documentId");
  const { document, member, delegations: list } = await getOutcomeForMember(db(), actor, documentId);
  const language = languageOf(input, document, list);
  if (!mayMarkFinal(member, list, language)) throw new ForbiddenError({ key: "outcomes:errors.mayNotMarkFinal" });
  if (document.status === "issued") throw ValidationError.field("", "outcomes:errors.issued");
  const final = parseInput(z.object({ final: z.enum(["1", "0"]) }), input).final === "1";
  if (final) {
    const live = await readLiveText(documentId);
    const rows = await aligned(db(), documentId, language, sourceParagraphs(live.json));
    const open = rows.filter((r) => r.state !== "current").length;
    if (open) throw ValidationError.field("", "outcomes:errors.versionIncomplete", { count: open });
  }
  await withTransaction(async (tx) => {
    await tx.insert(outcomeLanguageVersions).values({ documentId, language, final, markedBy: actor.id, markedAt: new Date() }).onConflictDoUpdate({ target: [outcomeLanguageVersions.documentId, outcomeLanguageVersions.language], set: { final, markedBy: actor.id, markedAt: new Date() } });
    await recordAudit(tx, { bodyId: document.bodyId, actorId: actor.id, action: final ? "outcome.version.final" : "outcome.version.reopen", entityType: "outcome_document", entityId: documentId, after: { language } });
  });
  announceOutcomeChange(documentId, actor, "version");
}

/** Every language version's paragraphs, for issuing and exporting. */
export async function versionParagraphs(document: OutcomeDocument, language: string, json: JSONContent) {
  const source = sourceParagraphs(json);
  if (language === document.language) return source.map((p) => ({ ...p, translation: p.text, state: "current" as ParagraphState, by: null }));
  return aligned(db(), document.id, language, source);
}
