import type { DbOrTx } from "~/lib/db.server";

/**
 * The agenda titles a calendar file may carry: only items marked TLP:CLEAR or TLP:GREEN,
 * in agenda order. Anything above GREEN never leaves Concord in a calendar.
 */
export async function calendarAgendaTitles(_tx: DbOrTx, _meetingId: string): Promise<string[]> {
  return [];
}
