import { eq } from "drizzle-orm";
import { meetings, minutes, minutesSnapshots, minutesUpdates } from "#db/schema";
import { applyAgendaHeadings } from "~/lib/agenda-headings";
import { db } from "~/lib/db.server";
import { getT } from "~/lib/i18n.server";
import { agendaForMinutes } from "~/models/agenda/agenda.server";
import { withDocument } from "~/models/minutes/live.server";
import { workingLanguageOf } from "~/models/people/bodies.server";

/**
 * The agenda's section headings as the shared minutes show them: numbered, in the body's
 * working language, and a placeholder for an item above the minutes' audience (its title never
 * reaches the shared document). The first draft and every later agenda change use this one rule.
 */
export async function minutesSections(meetingId: string) {
  const [meeting] = await db().select({ bodyId: meetings.bodyId }).from(meetings).where(eq(meetings.id, meetingId));
  const t = getT(meeting ? await workingLanguageOf(db(), meeting.bodyId) : "en");
  const items = meeting ? await agendaForMinutes(db(), meetingId, t) : [];
  return { t, sections: items.map((item, n) => ({ agendaItemId: item.id, text: `${n + 1}. ${item.special ? t(`agenda:special.${item.special}`) : item.title}` })) };
}

/**
 * The live minutes follow their agenda: after an item is added, renamed, withdrawn or moved
 * (and committed), the protected section headings of the draft are brought in line, by the
 * server, as one more client (lib/agenda-headings.ts says how). Minutes circulated or adopted
 * keep the headings they were approved with; minutes nobody has opened yet are built from the
 * agenda when first opened, so there is nothing to do for them.
 */
export async function followAgenda(meetingId: string): Promise<boolean> {
  const [row] = await db().select({ status: minutes.status }).from(minutes).where(eq(minutes.meetingId, meetingId));
  if (row && row.status !== "draft") return false;
  const [update] = await db().select({ id: minutesUpdates.id }).from(minutesUpdates).where(eq(minutesUpdates.meetingId, meetingId)).limit(1);
  const [snapshot] = await db().select({ id: minutesSnapshots.meetingId }).from(minutesSnapshots).where(eq(minutesSnapshots.meetingId, meetingId));
  if (!update && !snapshot) return false;
  const { sections } = await minutesSections(meetingId);
  return withDocument(meetingId, (doc) => applyAgendaHeadings(doc, sections));
}
