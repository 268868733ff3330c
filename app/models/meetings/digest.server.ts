import type { DbOrTx } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import type { Meeting } from "~/models/core/scope.server";
import { calendarAgendaTitles } from "~/models/meetings/calendar-agenda.server";

/**
 * A fingerprint of everything a calendar shows of a meeting: title, time, length, format,
 * venue, link, status and the agenda titles a calendar may carry (TLP:CLEAR/GREEN). When it
 * differs from the one stored at the last sending, calendars must hear about the change.
 */
export async function calendarDigest(tx: DbOrTx, meeting: Meeting): Promise<string> {
  const agenda = await calendarAgendaTitles(tx, meeting.id);
  return sha256(
    JSON.stringify([
      meeting.ordinal,
      meeting.title,
      meeting.startsAt.getTime(),
      meeting.durationMinutes,
      meeting.format,
      meeting.venue,
      meeting.link,
      meeting.status,
      agenda.map((item) => [item.special, item.special ? null : item.title]),
    ]),
  );
}
