import { asc, eq } from "drizzle-orm";
import { delegations } from "#db/schema";
import { formatInstant, zoneCity } from "~/lib/datetime";
import type { DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import { activeMembers } from "~/models/core/names.server";
import { audienceFor } from "~/models/core/audience.server";
import { queueMessages, type NewMessage } from "~/models/core/outbox.server";
import type { OutcomeDocument } from "~/models/outcomes/access.server";

/** A capital by its city ("Washington"), in the reader's language. */
export function cityName(t: (key: string) => string, timeZone: string): string {
  const key = `outcomes:city.${timeZone}`;
  const name = t(key);
  return name === key ? zoneCity(timeZone) : name;
}

export type OutcomeStep = "silenceStarted" | "silenceBroken" | "adopted" | "issued";

/**
 * Every step of an outcome document's adoption is mailed to the heads of delegation (and the
 * secretariat) in their own language, through the outbox in the same transaction as the step.
 * A deadline is written in every capital's time.
 */
export async function queueOutcomeMessages(tx: DbOrTx, document: OutcomeDocument, symbol: string, step: OutcomeStep, extra: { deadline?: Date; reason?: string; delegation?: string } = {}) {
  const heads = (await activeMembers(tx, document.bodyId)).filter((p) => p.role === "head" || p.role === "secretariat");
  // The document's title goes only to those its marking lets read it (019-tlp-audiences).
  const people: typeof heads = [];
  for (const p of heads) if ((await audienceFor(tx, p, document.meetingId)).may({ marking: document.marking })) people.push(p);
  const capitals = await tx.select().from(delegations).where(eq(delegations.bodyId, document.bodyId)).orderBy(asc(delegations.position));
  const messages: NewMessage[] = people.map((person) => {
    const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(person.language) ? person.language : defaultLocale;
    const t = getT(locale);
    const deadline = extra.deadline
      ? capitals.map((c) => `${cityName(t, c.timeZone)}: ${formatInstant(extra.deadline!, locale, c.timeZone, "dateTime")}`).join("\n")
      : "";
    const values = { title: document.title, symbol, reason: extra.reason ?? "", delegation: extra.delegation ?? "" };
    return {
      bodyId: document.bodyId,
      meetingId: document.meetingId,
      userId: person.userId,
      kind: `outcome.${step}`,
      toEmail: person.email,
      toName: person.name,
      subject: t(`outcomes:mail.subject.${step}`, values),
      text: [t("calendar:mail.greeting", { name: person.name }), "", t(`outcomes:mail.body.${step}`, values), ...(deadline ? ["", deadline] : []), "", `${publicUrl()}/outcomes/${document.id}`, "", t("calendar:mail.signature")].join("\n"),
    };
  });
  await queueMessages(tx, messages);
}
