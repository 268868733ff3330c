import type { JSONContent } from "@tiptap/core";
import type { DbOrTx } from "~/lib/db.server";
import { renderPdf } from "~/lib/documents/pdf.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import type { Meeting } from "~/models/core/scope.server";
import { buildMinutesDocument } from "~/models/minutes/export.server";
import { activeMembers } from "~/models/core/names.server";
import { queueMessages, type NewMessage } from "~/models/core/outbox.server";

/** Circulation and adoption tell every member, in their language, with a link and the PDF attached. */
export async function queueMinutesMessages(tx: DbOrTx, meeting: Meeting, kind: "circulated" | "adopted", json: JSONContent) {
  const people = await activeMembers(tx, meeting.bodyId);
  const pdfs = new Map<Locale, string>();
  const messages: NewMessage[] = [];
  for (const person of people) {
    const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(person.language) ? person.language : defaultLocale;
    if (!pdfs.has(locale)) {
      const { doc } = await buildMinutesDocument(meeting, json, locale, kind === "adopted" ? { kind: "record", amendment: 0 } : { kind: "current" });
      pdfs.set(locale, (await renderPdf(doc)).toString("base64"));
    }
    const t = getT(locale);
    const name = meetingName(meeting, t, locale);
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
      attachmentContent: pdfs.get(locale)!,
      attachmentEncoding: "base64",
    });
  }
  await queueMessages(tx, messages);
}
