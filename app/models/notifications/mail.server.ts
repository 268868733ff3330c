import { formatInstant } from "~/lib/datetime";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import type { NewMessage } from "~/models/core/outbox.server";
import type { Ask } from "~/models/notifications/asks.server";

export interface Recipient {
  userId: string;
  name: string;
  email: string;
  locale: Locale;
  zone: string;
}

/** Where the person acts on an ask. */
function linkOf(ask: Ask): string {
  if ("item" in ask) return `${publicUrl()}/actions/${ask.item.id}`;
  const page = ask.kind.startsWith("concur") || ask.kind === "lockReady" ? "agenda" : ask.kind.startsWith("approval") || ask.kind === "adoptReady" ? "minutes" : "";
  return `${publicUrl()}/meetings/${ask.meeting.id}${page ? `/${page}` : ""}`;
}

/** One sentence per ask, in the recipient's language, with times in their zone. */
function lineOf(ask: Ask, to: Recipient): string {
  const t = getT(to.locale);
  if ("item" in ask) return t(`notifications:ask.${ask.kind}`, { ref: ask.item.ref, title: ask.item.title, due: formatInstant(`${ask.item.dueOn}T12:00:00Z`, to.locale, "UTC", "date") });
  return t(`notifications:ask.${ask.kind}`, { meeting: meetingName(ask.meeting, t, to.locale), start: `${formatInstant(ask.meeting.startsAt, to.locale, to.zone)} (${to.zone.replace(/_/g, " ")})` });
}

/**
 * The e-mail for some asks in one body: one ask names itself in the subject; several (the
 * asks that arose since the last sweep, or a daily digest) are listed, each with its link.
 */
export function askMessage({ to, body, asks: all, digest }: { to: Recipient; body: { id: string; nameEn: string; nameJa: string; nameKo: string }; asks: Ask[]; digest: boolean }): NewMessage {
  const t = getT(to.locale);
  const asks = withoutRepeats(all);
  const bodyName = nameIn(body, to.locale);
  const lines = asks.flatMap((ask) => [`• ${lineOf(ask, to)}`, `  ${linkOf(ask)}`]);
  const single = !digest && asks.length === 1 ? asks[0] : null;
  const subject = digest ? t("notifications:subject.digest", { body: bodyName, count: asks.length }) : single ? `${lineOf(single, to)} · ${bodyName}` : t("notifications:subject.several", { body: bodyName, count: asks.length });
  return {
    bodyId: body.id,
    meetingId: single && "meeting" in single ? single.meeting.id : null,
    userId: to.userId,
    kind: digest ? "asks.digest" : `asks.${single ? single.kind : "several"}`,
    toEmail: to.email,
    toName: to.name,
    subject,
    text: [
      t("calendar:mail.greeting", { name: to.name }),
      "",
      t(digest ? "notifications:intro.digest" : "notifications:intro.immediate", { body: bodyName }),
      "",
      ...lines,
      "",
      t("notifications:footer", { settings: `${publicUrl()}/settings` }),
      "",
      t("calendar:mail.signature"),
    ].join("\n"),
  };
}

/** A request and its reminder for the same meeting say the same thing twice: the reminder alone is kept. */
const lateOf: Partial<Record<Ask["kind"], Ask["kind"]>> = { concurRequested: "concurLate", concurVoided: "concurLate", approvalRequested: "approvalLate", approvalVoided: "approvalLate" };
function withoutRepeats(asks: Ask[]): Ask[] {
  return asks.filter((ask) => {
    const late = lateOf[ask.kind];
    return !late || !("meeting" in ask) || !asks.some((other) => other.kind === late && "meeting" in other && other.meeting.id === ask.meeting.id);
  });
}
