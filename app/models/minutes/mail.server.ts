import { and, desc, eq } from "drizzle-orm";
import { meetings, minutesRecords, minutesVersions } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { renderPdf } from "~/lib/documents/pdf.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import type { Meeting } from "~/models/core/scope.server";
import { buildMinutesDocument, minutesContent, type MinutesSource } from "~/models/minutes/export.server";
import { activeMembers } from "~/models/core/names.server";
import { audienceFor, shareableOnly, type Reader } from "~/models/core/audience.server";
import { MINUTES_MARKING } from "~/lib/markings";
import { queueMessages, type AttachmentSource, type NewMessage } from "~/models/core/outbox.server";

/** The attachment of a minutes message: the circulated version or the adopted record, in one language. */
interface MinutesPdfSource extends AttachmentSource {
  kind: "minutes.pdf";
  meetingId: string;
  locale: Locale;
  source: MinutesSource;
  /** Whose copy: the action items it lists are those this reader may read (none above GREEN if absent). */
  reader?: Reader;
}

/** What was just circulated or adopted, read in the transaction that did it. */
async function sourceOf(tx: DbOrTx, meetingId: string, kind: "circulated" | "adopted"): Promise<MinutesSource> {
  if (kind === "adopted") {
    const [record] = await tx.select({ amendment: minutesRecords.amendment }).from(minutesRecords).where(eq(minutesRecords.meetingId, meetingId)).orderBy(desc(minutesRecords.amendment)).limit(1);
    return { kind: "record", amendment: record?.amendment ?? 0 };
  }
  const [version] = await tx
    .select({ id: minutesVersions.id })
    .from(minutesVersions)
    .where(and(eq(minutesVersions.meetingId, meetingId), eq(minutesVersions.kind, "circulated")))
    .orderBy(desc(minutesVersions.at))
    .limit(1);
  return version ? { kind: "version", id: version.id } : { kind: "current" };
}

/**
 * Circulation and adoption tell every member, in their language, with a link and the PDF
 * attached. The message is queued with the change (same transaction); its PDF is rendered
 * at delivery, outside any transaction, from what was circulated or adopted.
 */
export async function queueMinutesMessages(tx: DbOrTx, meeting: Meeting, kind: "circulated" | "adopted") {
  const members = await activeMembers(tx, meeting.bodyId);
  // The minutes go to their own audience (the meeting's, MINUTES_MARKING), each person by the TLP rule.
  const people: typeof members = [];
  for (const p of members) if ((await audienceFor(tx, p, meeting.id)).may({ marking: MINUTES_MARKING })) people.push(p);
  const source = await sourceOf(tx, meeting.id, kind);
  const messages: NewMessage[] = [];
  for (const person of people) {
    const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(person.language) ? person.language : defaultLocale;
    const t = getT(locale);
    const name = meetingName(meeting, t, locale);
    const reader: Reader = { userId: person.userId, role: person.role, delegationId: person.delegationId };
    const attachmentSource: MinutesPdfSource = { kind: "minutes.pdf", meetingId: meeting.id, locale, source, reader };
    messages.push({
      bodyId: meeting.bodyId,
      meetingId: meeting.id,
      userId: person.userId,
      kind: `minutes.${kind}`,
      toEmail: person.email,
      toName: person.name,
      subject: t(`minutes:mail.subject.${kind}`, { meeting: name }),
      text: [t("calendar:mail.greeting", { name: person.name }), "", t(`minutes:mail.body.${kind}`, { meeting: name }), "", `${publicUrl()}/meetings/${meeting.id}/minutes`, "", t("calendar:mail.signature")].join("\n"),
      attachmentName: `minutes-meeting-${meeting.ordinal}.pdf`,
      attachmentType: "application/pdf",
      attachmentSource,
    });
  }
  await queueMessages(tx, messages);
}

const isMinutesPdf = (source: AttachmentSource): source is MinutesPdfSource => source.kind === "minutes.pdf";

/** Renders a minutes message's PDF at delivery; null for other kinds of attachment. */
export async function renderMinutesAttachment(source: AttachmentSource): Promise<Buffer | null> {
  if (!isMinutesPdf(source)) return null;
  const [meeting] = await db().select().from(meetings).where(eq(meetings.id, source.meetingId));
  if (!meeting) throw new Error("the meeting of this message no longer exists");
  const json = await minutesContent(meeting.id, source.source);
  // The reader's copy: their TLP audience as it is at delivery (a message queued without one lists nothing above GREEN).
  const audience = source.reader ? await audienceFor(db(), source.reader, meeting.id) : shareableOnly;
  const { doc } = await buildMinutesDocument(meeting, json, source.locale, source.source, audience);
  return renderPdf(doc);
}
