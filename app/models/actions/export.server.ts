import { eq } from "drizzle-orm";
import { actionItems } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { publicUrl } from "~/lib/env.server";
import { getT } from "~/lib/i18n.server";
import type { Locale } from "~/lib/i18n";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import { richTextToPlain } from "~/lib/rich-text.server";
import { listActions } from "~/models/actions/dashboard.server";
import { actionFormOptions } from "~/models/actions/options.server";

/**
 * A spreadsheet cell that starts with = + - @ (or a tab or carriage return) would run as a
 * formula in Excel or LibreOffice; a leading apostrophe keeps it text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** The current filtered view as CSV: UTF-8 with a BOM (so spreadsheets read Japanese and Korean), RFC 4180 quoting. */
export async function actionsCsv({ actor, bodyId, input, locale }: { actor: Actor; bodyId: string; input: unknown; locale: Locale }) {
  const list = await listActions({ actor, bodyId, input: { ...(input as object), page: 1 } });
  const options = await actionFormOptions({ actor, bodyId });
  const t = getT(locale);
  const delegations = new Map(options.delegations.map((d) => [d.id, d]));
  const meetings = new Map(options.meetings.map((m) => [m.id, m]));
  const details = new Map(
    (await db().select({ id: actionItems.id, detail: actionItems.detail }).from(actionItems).where(eq(actionItems.bodyId, bodyId))).map((r) => [r.id, r.detail]),
  );
  const header = ["ref", "title", "owner", "assignees", "status", "priority", "due", "overdue", "marking", "origin", "carried", "detail", "link"].map((k) => t(`actions:csv.${k}`));
  const rows = (await list.all()).map((r) => {
    const owner = delegations.get(r.ownerDelegationId);
    const origin = r.originMeetingId ? meetings.get(r.originMeetingId) : undefined;
    return [
      String(r.ref),
      r.title,
      owner ? `${owner.code} ${nameIn(owner, locale)}` : "",
      r.assignees.map((a) => a.name).join("; "),
      t(`actions:status.${r.status}`),
      t(`actions:priority.${r.priority}`),
      r.dueOn ?? "",
      r.overdue ? t("actions:csv.yes") : t("actions:csv.no"),
      r.marking,
      origin ? meetingName(origin, t, locale) : "",
      String(r.carried),
      richTextToPlain(details.get(r.id) ?? ""),
      `${publicUrl()}/actions/${r.id}`,
    ].map(neutralizeFormula);
  });
  // Loaded by the first export, not at start-up (ADR 048).
  const { stringify } = await import("csv-stringify/sync");
  return stringify([header, ...rows], { bom: true, record_delimiter: "\r\n", quoted_match: /[",\r\n]/ });
}
