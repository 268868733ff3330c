import { asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { bodies, delegations, minutesAnnexes, participantLists } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { renderDocx } from "~/lib/documents/docx.server";
import { documentToMarkdown } from "~/lib/documents/markdown.server";
import type { DocumentModel } from "~/lib/documents/model";
import { renderPdf } from "~/lib/documents/pdf.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { ANNEX_MARKING } from "~/lib/markings";
import { meetingName } from "~/lib/meeting-names";
import { docToJSON, jsonToHTML, jsonToUpdate } from "~/lib/minutes-doc.server";
import { nameIn } from "~/lib/names";
import { withTransaction } from "~/lib/transaction.server";
import { scopeId } from "~/lib/validation";
import { capitalTimesMeta } from "~/models/agenda/export.server";
import { recordAudit } from "~/models/core/audit.server";
import { contentBlocks } from "~/models/minutes/export.server";
import { chipsAsSeen } from "~/models/minutes/chips.server";
import { audienceFor } from "~/models/core/audience.server";
import { stampLine } from "~/models/papers/download.server";
import { getAnnexForMember } from "./access.server";
import { annexHistory, annexSourceContent } from "./records.server";
import { formatInstant } from "~/lib/datetime";
import { appendAnnexUpdate, loadAnnexInto } from "./store.server";

/**
 * The restricted annex of a meeting's minutes (ADR 037): opened once by someone in the meeting's
 * TLP:RED audience, written in the same editor as the minutes, exported marked TLP:RED and
 * stamped with the reader's name. It goes nowhere else: not into search, mail, calendar files
 * or the meeting book, which never read its tables.
 */

/** The annex's text as stored (every update is stored before it is acknowledged, so storage is never behind). */
async function annexContent(meetingId: string) {
  const doc = new Y.Doc();
  try {
    await loadAnnexInto(meetingId, doc);
    return docToJSON(doc);
  } finally {
    doc.destroy();
  }
}

/** What the annex page shows a member of its audience. */
export async function getAnnexPage({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member, annex, minutes, writable } = await getAnnexForMember(db(), actor, meetingId);
  const [list] = await db().select({ meetingId: participantLists.meetingId }).from(participantLists).where(eq(participantLists.meetingId, meetingId));
  const capitals = await db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  // A chip pasted in from the minutes is a reference; its title is the reader's to see or not (ADR 042).
  const [body] = await db().select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, meeting.bodyId));
  const { chips, seen } = await chipsAsSeen(db(), meetingId, await audienceFor(db(), member, meeting.id), getT(body?.workingLanguage ?? "en")("minutes:chipRestricted"));
  return {
    meeting,
    chips,
    member,
    marking: ANNEX_MARKING,
    // Whom the annex is for, in words: the published list, or (until then) the secretariat and the heads.
    audience: list ? ("published" as const) : ("heads" as const),
    open: !!annex,
    status: minutes.status,
    writable,
    mayOpen: !annex && writable,
    preview: annex ? await jsonToHTML(seen(await annexContent(meetingId))) : "",
    // Its versions (circulation, adoption) and adopted records, with the minutes' (ADR 042 addendum).
    ...(await annexHistory(db(), meetingId)),
    delegationCode: capitals.find((d) => d.id === member.delegationId)?.code ?? null,
  };
}

/**
 * Opens the annex (once; opening it again changes nothing): its first text is stored with it,
 * in the body's working language, and the opening is audited. Only while the minutes are a
 * draft, by someone who may write them and is in the RED audience.
 */
export async function openAnnex({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  return withTransaction(async (tx) => {
    const { meeting, annex, writable } = await getAnnexForMember(tx, actor, meetingId);
    if (annex) return { created: false };
    if (!writable) throw new ForbiddenError({ key: "minutes:annex.errors.closed" });
    const [body] = await tx.select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, meeting.bodyId));
    const t = getT(body?.workingLanguage ?? "en");
    await tx.insert(minutesAnnexes).values({ meetingId, bodyId: meeting.bodyId, createdBy: actor.id });
    const scaffold = {
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: t("minutes:annex.scaffold.heading") }] },
        { type: "paragraph", content: [{ type: "text", text: t("minutes:annex.scaffold.intro") }] },
        { type: "paragraph" },
      ],
    };
    await appendAnnexUpdate(meetingId, jsonToUpdate(scaffold), null, tx);
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.annex.create", entityType: "minutes", entityId: meetingId, after: { marking: ANNEX_MARKING } });
    return { created: true };
  });
}

/** What to export: the annex as it is, one of its versions, or its adopted record (original or amendment). */
export type AnnexSource = { kind: "current" } | { kind: "version"; id: string } | { kind: "record"; amendment: number };

/**
 * The annex as a document: TLP:RED in every page's header and footer, the reader's name and the
 * time in the footer. An adopted record says so, with its adoption time and its own SHA-256.
 */
async function annexDocument({ actor, meetingId, locale, source }: { actor: Actor; meetingId: string; locale: Locale; source: AnnexSource }): Promise<{ doc: DocumentModel; filename: string }> {
  const { meeting, member, annex } = await getAnnexForMember(db(), actor, meetingId);
  if (!annex) throw new NotFoundError("annex");
  const t = getT(locale);
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const capitals = await db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const { seen } = await chipsAsSeen(db(), meetingId, await audienceFor(db(), member, meeting.id), getT(body?.workingLanguage ?? locale)("minutes:chipRestricted"));
  const stored = source.kind === "current" ? { json: await annexContent(meetingId), record: null } : await annexSourceContent(db(), meetingId, source);
  if (!stored) throw new NotFoundError(source.kind);
  const utc = (at: Date) => `${formatInstant(at, locale, "UTC", "dateTime")} UTC`;
  const record = stored.record;
  const label = record ? (record.amendment ? t("minutes:export.amendment", { n: record.amendment }) : t("minutes:export.recordOf")) : source.kind === "version" ? t("minutes:annex.versionExport") : t("minutes:export.draftOf");
  const provenance = record
    ? [
        { label: t("minutes:export.status"), value: `${label} · ${t("minutes:export.adoptedAt", { at: utc(record.adoptedAt) })}` },
        { label: "SHA-256", value: record.sha256 },
      ]
    : [{ label: t("minutes:export.status"), value: label }];
  const stamp = await stampLine(actor, locale);
  return {
    doc: {
      title: t("minutes:annex.exportTitle", { meeting: meetingName(meeting, t, locale) }),
      subtitle: nameIn(body, locale),
      marking: ANNEX_MARKING,
      lang: locale,
      meta: [...capitalTimesMeta(meeting, capitals, locale), { label: t("minutes:annex.audienceLabel"), value: t("minutes:annex.exportAudience") }, ...provenance],
      blocks: contentBlocks(seen(stored.json), getT(body?.workingLanguage ?? locale)("minutes:decision")),
      footerNote: record ? `${stamp} · ${t("minutes:export.sha", { hash: record.sha256 })}` : stamp,
    },
    filename: `minutes-meeting-${meeting.ordinal}-annex-tlp-red${record ? `-record${record.amendment ? `-amendment-${record.amendment}` : ""}` : ""}`,
  };
}

export async function annexFile({ actor, meetingId, locale, format, source = { kind: "current" } }: { actor: Actor; meetingId: string; locale: Locale; format: "pdf" | "docx" | "md"; source?: AnnexSource }) {
  const { doc, filename } = await annexDocument({ actor, meetingId, locale, source });
  const content = format === "pdf" ? await renderPdf(doc) : format === "docx" ? await renderDocx(doc) : Buffer.from(await documentToMarkdown(doc), "utf8");
  return { filename: `${filename}.${format}`, content };
}
