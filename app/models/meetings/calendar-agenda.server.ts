import { and, asc, eq, inArray, ne } from "drizzle-orm";
import { agendaItems } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { SHAREABLE_MARKINGS } from "~/lib/markings";

/**
 * The agenda titles a calendar file may carry: only items marked TLP:CLEAR or TLP:GREEN,
 * in agenda order, withdrawn ones left out. Anything above GREEN never leaves Concord in a
 * calendar. Items every agenda carries come back by their kind, for the reader's language.
 */
export async function calendarAgendaTitles(tx: DbOrTx, meetingId: string): Promise<Array<{ title: string; special: string | null }>> {
  return tx
    .select({ title: agendaItems.title, special: agendaItems.special })
    .from(agendaItems)
    .where(and(eq(agendaItems.meetingId, meetingId), inArray(agendaItems.marking, [...SHAREABLE_MARKINGS]), ne(agendaItems.status, "withdrawn")))
    .orderBy(asc(agendaItems.position));
}
