import type { JSONContent } from "@tiptap/core";
import { and, asc, desc, eq, lte } from "drizzle-orm";
import * as Y from "yjs";
import { bodies, decisions, delegations, minutesApprovals, minutesRecords, minutesVersions, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { formatInstant } from "~/lib/datetime";
import { db } from "~/lib/db.server";
import { renderDocx } from "~/lib/documents/docx.server";
import { documentToMarkdown } from "~/lib/documents/markdown.server";
import type { Block, DocumentModel, Inline } from "~/lib/documents/model";
import { renderPdf } from "~/lib/documents/pdf.server";
import { NotFoundError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { highestMarking, MINUTES_MARKING } from "~/lib/markings";
import { chipsAsSeen } from "~/models/minutes/chips.server";
import { audienceFor, shareableOnly, type Audience } from "~/models/core/audience.server";
import { meetingName } from "~/lib/meeting-names";
import { chipReferences, chipText, docToJSON } from "~/lib/minutes-doc.server";
import { nameIn } from "~/lib/names";
import { capitalTimesMeta } from "~/models/agenda/export.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";
import { currentMinutes } from "~/models/minutes/preview.server";
import { assertMinutesAudience } from "~/models/minutes/access.server";

export type MinutesSource = { kind: "current" } | { kind: "version"; id: string } | { kind: "record"; amendment: number };

/** The content to export: the live draft, a named version, or an adopted record (original or amendment). */
export async function minutesContent(meetingId: string, source: MinutesSource): Promise<JSONContent> {
  if (source.kind === "current") return currentMinutes(meetingId);
  if (source.kind === "version") {
    const [version] = await db().select().from(minutesVersions).where(and(eq(minutesVersions.id, source.id), eq(minutesVersions.meetingId, meetingId)));
    if (!version) throw new NotFoundError("version");
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, new Uint8Array(version.state));
    return docToJSON(doc);
  }
  const [record] = await db().select().from(minutesRecords).where(and(eq(minutesRecords.meetingId, meetingId), eq(minutesRecords.amendment, source.amendment)));
  if (!record) throw new NotFoundError("record");
  // References only, whatever a record adopted before ADR 042 holds; the reader's titles go in later.
  return chipReferences(JSON.parse(record.json) as JSONContent);
}

const plain = (node: JSONContent): string => (node.type === "text" ? (node.text ?? "") : (node.content ?? []).map(plain).join(""));

function inlines(node: JSONContent): Inline[] {
  return (node.content ?? []).flatMap((child): Inline[] => {
    if (child.type === "text") {
      const marks = child.marks ?? [];
      return [{ text: child.text ?? "", bold: marks.some((m) => m.type === "bold"), italic: marks.some((m) => m.type === "italic"), link: marks.find((m) => m.type === "link")?.attrs?.href }];
    }
    if (child.type === "hardBreak") return [{ text: "\n" }];
    if (child.type === "actionItem") return [{ text: chipText(child), bold: true }];
    return inlines(child);
  });
}

/** The document's nodes as export blocks. */
export function contentBlocks(json: JSONContent, decisionLabel: string): Block[] {
  const out: Block[] = [];
  for (const node of json.content ?? []) {
    switch (node.type) {
      case "heading":
        out.push({ type: "heading", level: node.attrs?.level === 2 ? 2 : 3, text: plain(node) });
        break;
      case "paragraph":
        out.push({ type: "paragraph", content: inlines(node) });
        break;
      case "decision":
        out.push({ type: "paragraph", content: [{ text: `${decisionLabel} ${node.attrs?.number ?? ""}: `, bold: true }, ...inlines(node)] });
        break;
      case "bulletList":
      case "orderedList":
        out.push({ type: "list", ordered: node.type === "orderedList", items: (node.content ?? []).map((item) => inlines({ content: (item.content ?? []).flatMap((b) => [...(b.content ?? []), { type: "text", text: " " }]) })) });
        break;
      case "blockquote":
        out.push({ type: "quote", content: inlines({ content: (node.content ?? []).flatMap((b) => b.content ?? []) }) });
        break;
      default:
        if (plain(node)) out.push({ type: "paragraph", content: [{ text: plain(node) }] });
    }
  }
  return out;
}

async function context(meeting: Meeting) {
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const capitals = await db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const register = await db().select().from(decisions).where(eq(decisions.meetingId, meeting.id)).orderBy(asc(decisions.number));
  return { body, capitals, register };
}

/** The minutes as a document for a member of the body. */
export async function minutesDocument({ actor, meetingId, locale, source }: { actor: Actor; meetingId: string; locale: Locale; source: MinutesSource }): Promise<{ doc: DocumentModel; filename: string; json: JSONContent }> {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  await assertMinutesAudience(db(), member, meeting);
  const json = await minutesContent(meetingId, source);
  return { ...(await buildMinutesDocument(meeting, json, locale, source, await audienceFor(db(), member, meeting.id))), json };
}

/**
 * What an export says it is: an adopted record (original or amendment) with its adoption
 * time, the approvals it was adopted on and its SHA-256; a saved version or the draft,
 * marked as not adopted.
 */
async function provenance(meeting: Meeting, source: MinutesSource, capitals: Array<typeof delegations.$inferSelect>, locale: Locale) {
  const t = getT(locale);
  const utc = (at: Date) => `${formatInstant(at, locale, "UTC", "dateTime")} UTC`;
  if (source.kind === "version") {
    const [version] = await db().select({ at: minutesVersions.at }).from(minutesVersions).where(and(eq(minutesVersions.id, source.id), eq(minutesVersions.meetingId, meeting.id)));
    const label = t("minutes:export.versionOf", { at: version ? utc(version.at) : "—" });
    return { label, meta: [{ label: t("minutes:export.status"), value: label }], blocks: [] as Block[], footer: label };
  }
  if (source.kind === "current") {
    const label = t("minutes:export.draftOf");
    return { label, meta: [{ label: t("minutes:export.status"), value: label }], blocks: [] as Block[], footer: label };
  }
  const [record] = await db().select().from(minutesRecords).where(and(eq(minutesRecords.meetingId, meeting.id), eq(minutesRecords.amendment, source.amendment)));
  const label = source.amendment ? t("minutes:export.amendment", { n: source.amendment }) : t("minutes:export.recordOf");
  // Not there yet when the adoption's own transaction builds the document (its mail).
  if (!record) return { label, meta: [{ label: t("minutes:export.status"), value: label }], blocks: [] as Block[], footer: label };
  const approvals = await db()
    .select({ delegationId: minutesApprovals.delegationId, at: minutesApprovals.at, name: users.name })
    .from(minutesApprovals)
    .leftJoin(users, eq(users.id, minutesApprovals.userId))
    .where(and(eq(minutesApprovals.meetingId, meeting.id), eq(minutesApprovals.amendment, source.amendment), lte(minutesApprovals.at, record.adoptedAt)))
    .orderBy(desc(minutesApprovals.at));
  // The approval each delegation gave last before adoption is the one the record was adopted on.
  const latest = capitals.flatMap((c) => {
    const a = approvals.find((x) => x.delegationId === c.id);
    return a ? [[nameIn(c, locale), a.name ?? "—", utc(a.at)]] : [];
  });
  const adopted = t("minutes:export.adoptedAt", { at: utc(record.adoptedAt) });
  const sha = t("minutes:export.sha", { hash: record.sha256 });
  return {
    label,
    meta: [
      { label: t("minutes:export.status"), value: `${label} · ${adopted}` },
      { label: "SHA-256", value: record.sha256 },
    ],
    blocks: [
      { type: "heading", level: 2, text: t("minutes:export.approvals") },
      latest.length ? { type: "table", header: [t("minutes:export.delegation"), t("minutes:export.person"), t("minutes:export.when")], rows: latest, widths: [3, 3, 3] } : { type: "note", text: "—" },
    ] as Block[],
    footer: `${label} · ${adopted} · ${sha}`,
  };
}

/** Body header, meeting details in the three capitals, the record, decisions and action items. */
export async function buildMinutesDocument(meeting: Meeting, json: JSONContent, locale: Locale, source: MinutesSource, audience: Pick<Audience, "may"> = shareableOnly): Promise<{ doc: DocumentModel; filename: string }> {
  const t = getT(locale);
  const { body, capitals, register } = await context(meeting);
  // The action items raised at the meeting, as this reader may read them (019-tlp-audiences);
  // with no reader named, nothing above TLP:GREEN. Chips in the text outside the reader's
  // audience become placeholders (ADR 037 addendum), and the marking is that of what is shown.
  const recordT = getT(body?.workingLanguage ?? locale);
  const { readable: items, seen } = await chipsAsSeen(db(), meeting.id, audience, recordT("minutes:chipRestricted"));
  const marking = highestMarking([MINUTES_MARKING, ...items.map((i) => i.marking)]);
  const name = meetingName(meeting, t, locale);
  const what = await provenance(meeting, source, capitals, locale);
  const blocks: Block[] = [
    ...what.blocks,
    // The label sits inside the record's own text, so it is in the language the record is written in.
    ...contentBlocks(seen(json), recordT("minutes:decision")),
    { type: "heading", level: 2, text: t("minutes:register.title") },
    register.length
      ? { type: "table", header: ["#", t("minutes:register.text")], rows: register.map((d) => [`D${d.number}`, d.text]), widths: [1, 8] }
      : { type: "note", text: t("minutes:register.none") },
    { type: "heading", level: 2, text: t("actions:title") },
    items.length
      ? {
          type: "table",
          header: [t("actions:csv.ref"), t("actions:csv.title"), t("actions:csv.owner"), t("actions:csv.status"), t("actions:csv.due")],
          rows: items.map((i) => [String(i.ref), i.title, capitals.find((c) => c.id === i.ownerDelegationId)?.code ?? "", t(`actions:status.${i.status}`), i.dueOn ?? "—"]),
          widths: [1, 6, 1, 2, 2],
        }
      : { type: "note", text: t("minutes:register.noActions") },
  ];
  return {
    doc: {
      title: t("minutes:of", { meeting: name }),
      subtitle: nameIn(body, locale),
      marking,
      lang: locale,
      meta: [...capitalTimesMeta(meeting, capitals, locale), ...what.meta],
      blocks,
      footerNote: what.footer,
    },
    filename: `minutes-meeting-${meeting.ordinal}`,
  };
}

/** Markdown of the same document, for pasting into other systems (escaped: see markdown.server.ts). */
export const toMarkdown = documentToMarkdown;

export async function minutesFile({ actor, meetingId, locale, source, format }: { actor: Actor; meetingId: string; locale: Locale; source: MinutesSource; format: "pdf" | "docx" | "md" }) {
  const { doc, filename } = await minutesDocument({ actor, meetingId, locale, source });
  const content = format === "pdf" ? await renderPdf(doc) : format === "docx" ? await renderDocx(doc) : Buffer.from(await toMarkdown(doc), "utf8");
  return { filename: `${filename}.${format}`, content };
}
