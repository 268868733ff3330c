import { asc, eq } from "drizzle-orm";
import { delegations } from "#db/schema";
import { formatInstant, zoneCity } from "~/lib/datetime";
import type { DbOrTx } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import { defaultLocale, isLocale, type Locale } from "~/lib/i18n";
import type { AfterCommit } from "~/lib/transaction.server";
import { audienceFor } from "~/models/core/audience.server";
import { activeMembers } from "~/models/core/names.server";
import { nudgeOutbox, queueMessages, type NewMessage } from "~/models/core/outbox.server";
import { outcomeRecord, type OutcomeDocument } from "~/models/outcomes/access.server";

/** A capital by its city ("Washington"), in the reader's language. */
export function cityName(t: (key: string) => string, timeZone: string): string {
  const key = `outcomes:city.${timeZone}`;
  const name = t(key);
  return name === key ? zoneCity(timeZone) : name;
}

export type OutcomeStep = "clearanceRequested" | "cleared" | "adReferendum" | "silenceStarted" | "silenceBroken" | "silenceEnded" | "adopted" | "issued";

export interface OutcomeMailExtra {
  deadline?: Date;
  reason?: string;
  /** The delegation that acted (broke silence, cleared). */
  delegation?: string;
  /** The text's hash the step is about, shown shortened so a head can compare it with the page. */
  hash?: string;
  /** Only these heads (a clearance request goes to delegations that have not cleared this text). */
  delegationIds?: readonly string[];
  /** Not to the person who acted. */
  exceptUserId?: string;
  /** Heads only, not the secretariat. */
  headsOnly?: boolean;
}

/**
 * Every step of an outcome document's negotiation and adoption is mailed to the heads of
 * delegation (and the secretariat) in their own language, through the outbox in the same
 * transaction as the step; delivery is nudged after the commit. Only people inside the
 * document's TLP audience are written to (ADR 027): the mail carries the title and symbol.
 * A deadline is written in every capital's time.
 */
export async function queueOutcomeMessages(tx: DbOrTx, afterCommit: AfterCommit, document: OutcomeDocument, symbol: string, step: OutcomeStep, extra: OutcomeMailExtra = {}) {
  const candidates = (await activeMembers(tx, document.bodyId)).filter(
    (p) =>
      (p.role === "head" || (p.role === "secretariat" && !extra.headsOnly)) &&
      p.userId !== extra.exceptUserId &&
      (!extra.delegationIds || p.role !== "head" || (p.delegationId !== null && extra.delegationIds.includes(p.delegationId))),
  );
  const people = [];
  for (const person of candidates) {
    if ((await audienceFor(tx, person, document.meetingId)).may(outcomeRecord(document))) people.push(person);
  }
  const capitals = await tx.select().from(delegations).where(eq(delegations.bodyId, document.bodyId)).orderBy(asc(delegations.position));
  const messages: NewMessage[] = people.map((person) => {
    const locale: Locale = isLocale(person.locale) ? person.locale : isLocale(person.language) ? person.language : defaultLocale;
    const t = getT(locale);
    const deadline = extra.deadline
      ? capitals.map((c) => `${cityName(t, c.timeZone)}: ${formatInstant(extra.deadline!, locale, c.timeZone, "dateTime")}`).join("\n")
      : "";
    const values = { title: document.title, symbol, reason: extra.reason ?? "", delegation: extra.delegation ?? "", hash: extra.hash?.slice(0, 12) ?? "", marking: document.marking };
    return {
      bodyId: document.bodyId,
      meetingId: document.meetingId,
      userId: person.userId,
      kind: `outcome.${step}`,
      toEmail: person.email,
      toName: person.name,
      subject: t(`outcomes:mail.subject.${step}`, values),
      text: [
        t("calendar:mail.greeting", { name: person.name }),
        "",
        t(`outcomes:mail.body.${step}`, values),
        ...(deadline ? ["", deadline] : []),
        ...(extra.hash ? ["", t("outcomes:mail.hash", values)] : []),
        "",
        `${publicUrl()}/outcomes/${document.id}`,
        "",
        t("outcomes:mail.marking", values),
        t("calendar:mail.signature"),
      ].join("\n"),
    };
  });
  await queueMessages(tx, messages);
  if (messages.length) afterCommit(nudgeOutbox);
}
