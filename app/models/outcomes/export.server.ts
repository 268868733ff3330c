import type { Actor } from "~/lib/actor";
import { formatInstant } from "~/lib/datetime";
import { db } from "~/lib/db.server";
import { renderDocx } from "~/lib/documents/docx.server";
import { documentToMarkdown } from "~/lib/documents/markdown.server";
import type { Block, DocumentModel } from "~/lib/documents/model";
import { renderPdf } from "~/lib/documents/pdf.server";
import { ValidationError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import { isLocale, localeNames, type Locale } from "~/lib/i18n";
import { nameIn } from "~/lib/names";
import { assertNoTransaction } from "~/lib/transaction.server";
import type { IssuedVersion } from "#db/schema";
import { getOutcomeForMember, outcomeSymbol, type OutcomeDocument } from "~/models/outcomes/access.server";
import { getIssue, getPublicOutcome } from "~/models/outcomes/issue.server";
import { readLiveText } from "~/models/outcomes/state.server";
import { requiredLanguages, versionParagraphs } from "~/models/outcomes/translations.server";

/**
 * An outcome document as PDF or DOCX in one language, with its symbol, marking, date and
 * status, and which texts are authentic: the issued snapshot once issued, otherwise the text
 * as it stands (brackets written out as "[text / alternative]").
 */

type Meta = Pick<OutcomeDocument, "title" | "kind" | "marking" | "language" | "authenticity" | "status" | "adoptedAt" | "issuedAt" | "adoptedHow">;

function buildDocument({ document, symbol, bodyName, language, paragraphs, sha }: { document: Meta; symbol: string; bodyName: string; language: Locale; paragraphs: IssuedVersion["paragraphs"]; sha: string | null }): DocumentModel {
  const t = getT(language);
  const status = t(`outcomes:status.${document.status}`);
  const languages = [document.language, ...(["en", "ja", "ko"] as const).filter((l) => l !== document.language)];
  const authentic =
    document.authenticity === "all" ? t("outcomes:authentic.all", { languages: languages.map((l) => localeNames[l as Locale]).join(", ") }) : t("outcomes:authentic.source", { language: localeNames[document.language as Locale] ?? document.language });
  const date = document.issuedAt ?? document.adoptedAt;
  const blocks: Block[] = paragraphs.map((p) => (p.type === "heading" ? { type: "heading", level: p.level === 3 ? 3 : 2, text: p.text } : { type: "paragraph", content: [{ text: p.text }] }));
  if (sha) blocks.push({ type: "note", text: t("outcomes:export.sha", { hash: sha }) });
  return {
    title: document.title,
    subtitle: bodyName,
    marking: document.marking,
    lang: language,
    meta: [
      { label: t("outcomes:export.symbol"), value: symbol },
      { label: t("outcomes:export.kind"), value: t(`outcomes:kind.${document.kind}`) },
      {
        label: t("outcomes:export.status"),
        // An issued document says both: it was adopted (and how), then issued.
        value: document.adoptedHow && (document.status === "adopted" || document.status === "issued")
          ? `${t("outcomes:status.adopted")} (${t(`outcomes:adoptedHow.${document.adoptedHow}`)})${document.status === "issued" ? ` · ${status}` : ""}`
          : status,
      },
      ...(date ? [{ label: t("outcomes:export.date"), value: formatInstant(date, language, "UTC", "date") }] : []),
      { label: t("outcomes:export.language"), value: localeNames[language] },
      { label: t("outcomes:export.authentic"), value: authentic },
    ],
    blocks,
    footerNote: `${symbol} · ${status}`,
  };
}

export type OutcomeFormat = "pdf" | "docx" | "md";

async function render(doc: DocumentModel, format: OutcomeFormat) {
  assertNoTransaction("rendering an outcome document");
  if (format === "md") return Buffer.from(await documentToMarkdown(doc), "utf8");
  return format === "pdf" ? renderPdf(doc) : renderDocx(doc);
}

const fileName = (symbol: string, language: string, format: string) => `${symbol.replace(/[^A-Za-z0-9.]+/g, "-")}-${language}.${format}`;

export async function outcomeFile({ actor, documentId, language, format }: { actor: Actor; documentId: string; language: string; format: OutcomeFormat }) {
  const { document, body, meeting, delegations } = await getOutcomeForMember(db(), actor, documentId);
  const languages = [document.language, ...requiredLanguages(document, delegations)];
  if (!isLocale(language) || !languages.includes(language)) throw ValidationError.field("lang", "errors:validation.choice");
  const symbol = outcomeSymbol(body, meeting, document);
  const issue = document.status === "issued" ? await getIssue(document) : null;
  let paragraphs: IssuedVersion["paragraphs"];
  if (issue) paragraphs = issue.versions[language]?.paragraphs ?? [];
  else {
    const live = await readLiveText(documentId);
    paragraphs = (await versionParagraphs(document, language, live.json)).map((p) => ({ id: p.id ?? "", type: p.type, level: p.level, text: p.translation ?? "" }));
  }
  const doc = buildDocument({ document, symbol, bodyName: nameIn(body, language), language, paragraphs, sha: issue?.sha256 ?? null });
  return { filename: fileName(symbol, language, format), content: await render(doc, format) };
}

/** The same for the public address: only the issued snapshot. */
export async function publicOutcomeFile({ token, language, format }: { token: string; language: string; format: OutcomeFormat }) {
  const { document, issue, body } = await getPublicOutcome(token);
  if (!isLocale(language) || !issue.versions[language]) throw ValidationError.field("lang", "errors:validation.choice");
  const doc = buildDocument({ document: { ...document, status: "issued" }, symbol: issue.symbol, bodyName: body ? nameIn(body, language) : "", language, paragraphs: issue.versions[language].paragraphs, sha: issue.sha256 });
  return { filename: fileName(issue.symbol, language, format), content: await render(doc, format) };
}
