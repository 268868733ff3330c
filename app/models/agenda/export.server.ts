import type { Actor } from "~/lib/actor";
import { capitalName, chosenZone, zoneName } from "~/lib/capitals";
import { daysLater, formatInstant } from "~/lib/datetime";
import type { Block, DocumentModel } from "~/lib/documents/model";
import { htmlToBlocks } from "~/lib/documents/html.server";
import { renderDocx } from "~/lib/documents/docx.server";
import { renderPdf } from "~/lib/documents/pdf.server";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { highestMarking } from "~/lib/markings";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { getAgendaPage } from "~/models/agenda/page.server";

/** Times in every capital, as one label/value line each: the same row the pages show. */
export function capitalTimesMeta(
  meeting: { startsAt: Date; durationMinutes: number },
  capitals: Array<{ code: string; nameEn: string; nameJa: string; nameKo: string; timeZone: string }>,
  locale: Locale,
) {
  const end = new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
  const t = getT(locale);
  return capitals.map((c) => {
    const later = daysLater(meeting.startsAt, end, c.timeZone);
    return {
      label: `${c.code} ${nameIn(c, locale)} (${capitalName(c, t)})`,
      value: `${formatInstant(meeting.startsAt, locale, c.timeZone, "longDate")} ${formatInstant(meeting.startsAt, locale, c.timeZone, "time")}–${formatInstant(end, locale, c.timeZone, "time")}${later > 0 ? ` (${t("common:time.nextDay", { count: later })})` : ""} ${zoneName(meeting.startsAt, c.timeZone, t, locale)}`,
    };
  });
}

/**
 * The agenda as a document: the items with start times, lead and marking, then each item's
 * description. Item times are in the reader's zone, or in a member capital's when asked.
 */
export async function agendaDocument({ actor, meetingId, locale, zone }: { actor: Actor; meetingId: string; locale: Locale; zone?: string | null }): Promise<{ doc: DocumentModel; filename: string }> {
  const page = await getAgendaPage({ actor, meetingId });
  const t = getT(locale);
  const itemZone = chosenZone(zone, page.viewerZone, page.delegations);
  const capital = page.delegations.find((d) => d.timeZone === itemZone);
  const zoneLabel = `${capital ? capitalName(capital, t) : itemZone} ${zoneName(page.meeting.startsAt, itemZone, t, locale)}`;
  const items = page.items.filter((i) => i.status !== "withdrawn");
  const name = meetingName(page.meeting, t, locale);
  const titleOf = (i: (typeof items)[number]) => (i.restricted ? t("agenda:restricted", { marking: i.marking }) : i.special ? t(`agenda:special.${i.special}`) : i.title);
  let clock = page.meeting.startsAt.getTime();
  const rows = items.map((item, index) => {
    const at = clock;
    clock += item.minutes * 60_000;
    const lead = page.delegations.find((d) => d.id === item.leadDelegationId);
    const presenter = page.presenters.find((p) => p.id === item.presenterId);
    return [
      String(index + 1),
      formatInstant(at, locale, itemZone, "time"),
      `${titleOf(item)}${presenter ? ` — ${presenter.name}` : ""}`,
      lead?.code ?? "—",
      String(item.minutes),
      item.marking,
    ];
  });
  const details: Block[] = items.flatMap((item, index) => {
    const blocks: Block[] = [{ type: "heading", level: 2, text: `${index + 1}. ${titleOf(item)}`, marking: item.marking }];
    blocks.push({ type: "note", text: `${t(`agenda:kind.${item.kind}`)} · ${item.minutes}′ · ${t(`agenda:status.${item.status}`)}` });
    if (item.description) blocks.push(...htmlToBlocks(item.description));
    const papers = page.papers.filter((p) => p.agendaItemId === item.id);
    if (papers.length) {
      blocks.push({ type: "note", text: t("papers:title") });
      blocks.push({ type: "list", ordered: false, items: papers.map((p) => [{ text: `${p.symbol} ${p.title} (${p.marking})` }]) });
    }
    if (item.special === "action_review") {
      blocks.push({ type: "list", ordered: false, items: page.review.map((a) => [{ text: `${t("actions:ref", { ref: a.ref })} ${a.title}` }]) });
    }
    return blocks;
  });
  const doc: DocumentModel = {
    title: t("agenda:of", { meeting: name }),
    subtitle: nameIn(page.body, locale),
    marking: highestMarking(items.map((i) => i.marking)),
    lang: locale,
    meta: capitalTimesMeta(page.meeting, page.delegations, locale),
    blocks: [
      { type: "note", text: t("agenda:clock.zone", { zone: zoneLabel }) },
      { type: "table", header: ["#", t("agenda:clock.startColumn"), t("agenda:fields.title"), t("agenda:fields.lead"), t("agenda:fields.minutes"), t("agenda:fields.marking")], rows, widths: [1, 2, 10, 2, 2, 4] },
      ...details,
    ],
    footerNote: t("agenda:export.generated", { time: `${formatInstant(new Date(), locale, "UTC", "dateTime")} UTC` }),
  };
  return { doc, filename: `agenda-meeting-${page.meeting.ordinal}` };
}

export async function agendaFile({ actor, meetingId, locale, format, zone }: { actor: Actor; meetingId: string; locale: Locale; format: "pdf" | "docx"; zone?: string | null }) {
  const { doc, filename } = await agendaDocument({ actor, meetingId, locale, zone });
  return { filename: `${filename}.${format}`, content: format === "pdf" ? await renderPdf(doc) : await renderDocx(doc) };
}
