import { asc, eq } from "drizzle-orm";
import { bodies, delegations, participantLists } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { formatInstant } from "~/lib/datetime";
import { db } from "~/lib/db.server";
import type { Block, DocumentModel } from "~/lib/documents/model";
import { renderPdf } from "~/lib/documents/pdf.server";
import { NotFoundError } from "~/lib/errors";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { symbolOf } from "~/lib/symbols";
import { capitalTimesMeta } from "~/models/agenda/export.server";
import { getMeetingForMember } from "~/models/core/scope.server";

/**
 * The published list of participants as the INF document it is: its symbol, the meeting in
 * every capital's time, then each delegation's people (and the secretariat's) as published —
 * the frozen copy, not the lists as they are being edited. Every member reads the list on the
 * participants page, so the document carries TLP:GREEN (for the body's members).
 */
export async function participantsDocument({ actor, meetingId, locale }: { actor: Actor; meetingId: string; locale: Locale }): Promise<{ doc: DocumentModel; filename: string }> {
  const { meeting } = await getMeetingForMember(db(), actor, meetingId);
  const [published] = await db().select().from(participantLists).where(eq(participantLists.meetingId, meeting.id));
  if (!published) throw new NotFoundError("participant list");
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const capitals = await db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const t = getT(locale);
  const symbol = symbolOf({ bodyNameEn: body.nameEn, prefix: body.symbolPrefix, ordinal: meeting.ordinal, series: "INF", number: published.number, revision: published.revision });
  const header = [t("participants:fields.name"), t("participants:fields.title"), t("participants:fields.agency"), t("participants:fields.role")];
  const groups: Array<{ label: string; delegationId: string | null }> = [...capitals.map((c) => ({ label: `${c.code} ${nameIn(c, locale)}`, delegationId: c.id as string | null })), { label: t("participants:secretariat"), delegationId: null }];
  const blocks: Block[] = [];
  for (const group of groups) {
    const people = published.entries.filter((e) => e.delegationId === group.delegationId);
    if (people.length === 0) continue;
    blocks.push({ type: "heading", level: 2, text: group.label });
    blocks.push({ type: "table", header, rows: people.map((p) => [p.name, p.title ?? "", p.agency ?? "", t(`participants:role.${p.role}`)]), widths: [3, 3, 3, 2] });
  }
  const name = meetingName(meeting, t, locale);
  return {
    doc: {
      title: t("participants:titleOf", { meeting: name }),
      subtitle: nameIn(body, locale),
      marking: "TLP:GREEN",
      lang: locale,
      meta: [
        { label: t("participants:pdf.symbol"), value: symbol },
        { label: t("participants:pdf.publishedAt"), value: `${formatInstant(published.publishedAt, locale, "UTC", "dateTime")} UTC` },
        ...capitalTimesMeta(meeting, capitals, locale),
      ],
      blocks,
      footerNote: symbol,
    },
    filename: `${symbol.replace(/\//g, "-")}-participants`,
  };
}

export async function participantsPdf({ actor, meetingId, locale }: { actor: Actor; meetingId: string; locale: Locale }) {
  const { doc, filename } = await participantsDocument({ actor, meetingId, locale });
  return { filename: `${filename}.pdf`, content: await renderPdf(doc) };
}
