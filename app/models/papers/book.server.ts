import { asc, eq } from "drizzle-orm";
import { agendaItems, paperReads } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { renderPdf } from "~/lib/documents/pdf.server";
import { bindBook, imageToPdf, isStampable, type BookSection } from "~/lib/documents/stamp.server";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import { assertNoTransaction, withTransaction } from "~/lib/transaction.server";
import { agendaDocument } from "~/models/agenda/export.server";
import { stampLine } from "./download.server";
import { getMeetingPapers } from "./papers.server";
import { readStoredBytes } from "./storage.server";

/**
 * The meeting book, built for one reader: the agenda as they see it, then every paper they
 * may read in agenda order, each under a bookmark, every page numbered and carrying its
 * section's marking and the reader's name. A paper outside the reader's TLP audience is not
 * in it — not even as a title. Opening the book counts as opening each paper in it.
 */
export async function meetingBook({ actor, meetingId, locale }: { actor: Actor; meetingId: string; locale: Locale }) {
  assertNoTransaction("meetingBook");
  const t = getT(locale);
  const { doc } = await agendaDocument({ actor, meetingId, locale });
  const { meeting, papers } = await getMeetingPapers({ actor, meetingId });
  const order = (await db().select({ id: agendaItems.id }).from(agendaItems).where(eq(agendaItems.meetingId, meetingId)).orderBy(asc(agendaItems.position))).map((i) => i.id);
  const ordered = order.flatMap((itemId) => papers.filter((p) => p.agendaItemId === itemId));

  const sections: BookSection[] = [{ title: t("papers:book.agenda"), marking: doc.marking, pdf: new Uint8Array(await renderPdf(doc)) }];
  for (const paper of ordered) {
    const file = paper.versions[0];
    if (!file) continue;
    let pdf: Uint8Array | null = null;
    if (file.mediaType === "application/pdf") {
      const bytes = await readStoredBytes({ id: file.id, storage: file.storage, sha256: file.sha256, size: file.size });
      if (await isStampable(bytes)) pdf = bytes;
    } else if (file.mediaType === "image/png" || file.mediaType === "image/jpeg") {
      pdf = await imageToPdf(await readStoredBytes({ id: file.id, storage: file.storage, sha256: file.sha256, size: file.size }), file.mediaType);
    }
    pdf ??= new Uint8Array(
      await renderPdf({
        title: `${paper.symbol} ${paper.title}`,
        marking: paper.marking,
        lang: locale,
        blocks: [{ type: "paragraph", content: [{ text: t("papers:book.notIncluded", { symbol: paper.symbol, type: file.filename.split(".").pop()?.toUpperCase() ?? "" }) }] }],
      }),
    );
    sections.push({ title: `${paper.symbol} ${paper.title}`, marking: paper.marking, pdf });
  }

  const title = t("papers:book.title", { meeting: meetingName(meeting, t, locale) });
  const content = await bindBook(sections, { title, forWhom: await stampLine(actor, locale), pageLabel: (n, total) => t("papers:book.page", { n, total }) });
  if (ordered.length) {
    await withTransaction(async (tx) => {
      const at = new Date();
      await tx.insert(paperReads).values(ordered.map((p) => ({ paperId: p.id, fileId: p.versions[0]?.id ?? null, userId: actor.id, via: "book", at })));
    });
  }
  return { filename: `meeting-book-${meeting.ordinal}.pdf`, content, papers: ordered.map((p) => p.symbol) };
}
