import { eq } from "drizzle-orm";
import { minutes, minutesSnapshots, minutesUpdates } from "#db/schema";
import { applyAgendaHeadings } from "~/lib/agenda-headings";
import { db } from "~/lib/db.server";
import { listAgendaItems } from "~/models/agenda/agenda.server";
import { withDocument } from "~/models/minutes/live.server";

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
  const items = (await listAgendaItems(db(), meetingId)).filter((i) => i.status !== "withdrawn");
  const desired = items.map((item, n) => ({ agendaItemId: item.id, text: `${n + 1}. ${item.title}` }));
  return withDocument(meetingId, (doc) => applyAgendaHeadings(doc, desired));
}
