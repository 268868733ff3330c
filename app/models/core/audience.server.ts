import { and, eq, inArray, sql } from "drizzle-orm";
import { invitations, participantLists } from "#db/schema";
import { accessDb, type DbOrTx } from "~/lib/db.server";
import { mayRead, SHAREABLE_MARKINGS, type MarkedRecord, type ReaderFacts } from "~/lib/markings";
import type { Membership } from "./access.server";

/**
 * The TLP audience of one reader, meeting by meeting: the facts `mayRead` needs, read once.
 * Every channel that shows a marked record (pages, search, exports, mail, calendar files, the
 * meeting book, the live documents) asks `may` here, so the rule lives in one place
 * (`mayRead` in app/lib/markings.ts; docs/decisions/019-tlp-audiences.md).
 */
export interface Audience {
  facts: ReaderFacts;
  may(record: MarkedRecord): boolean;
}

export type Reader = Pick<Membership, "userId" | "role" | "delegationId">;

function audienceOf(facts: ReaderFacts): Audience {
  return { facts, may: (record) => mayRead(facts, record) };
}

/** The reader's audience facts for several meetings at once (null: records with no meeting). */
export async function audiencesFor(tx: DbOrTx, member: Reader, meetingIds: Array<string | null>): Promise<(meetingId: string | null) => Audience> {
  const ids = [...new Set(meetingIds.filter((id): id is string => !!id))];
  const base = { userId: member.userId, role: member.role, delegationId: member.delegationId };
  const outside = audienceOf({ ...base, invited: true, listPublished: false, onList: false });
  if (ids.length === 0) return () => outside;
  // One after the other, not Promise.all: two statements started together on the embedded
  // driver's pool could leave one in progress on a connection a transaction then took, whose
  // COMMIT failed with SQLITE_BUSY ("SQL statements in progress"; tests/integration/outcomes*.test.ts).
  // Access decisions read the primary (or the open transaction), never a lagging replica.
  const invited = await accessDb(tx)
      .select({
        meetingId: invitations.meetingId,
        any: sql<number>`count(*)`,
        mine: sql<number>`sum(case when ${invitations.userId} = ${member.userId} then 1 else 0 end)`,
      })
      .from(invitations)
      .where(inArray(invitations.meetingId, ids))
      .groupBy(invitations.meetingId);
  const lists = await accessDb(tx).select({ meetingId: participantLists.meetingId, userIds: participantLists.userIds }).from(participantLists).where(inArray(participantLists.meetingId, ids));
  const byMeeting = new Map<string, Audience>();
  for (const id of ids) {
    const inv = invited.find((r) => r.meetingId === id);
    const list = lists.find((r) => r.meetingId === id);
    byMeeting.set(
      id,
      audienceOf({
        ...base,
        // No invitation sent yet: the meeting's audience is not narrowed below the body's members.
        invited: !inv || Number(inv.any) === 0 || Number(inv.mine) > 0,
        listPublished: !!list,
        onList: !!list && list.userIds.includes(member.userId),
      }),
    );
  }
  return (meetingId) => (meetingId ? (byMeeting.get(meetingId) ?? outside) : outside);
}

/** For a copy whose reader is not known: nothing above TLP:GREEN (the calendar rule). */
export const shareableOnly: Pick<Audience, "may"> = { may: (record) => (SHAREABLE_MARKINGS as readonly string[]).includes(record.marking) };

/** The reader's audience for one meeting's records. */
export async function audienceFor(tx: DbOrTx, member: Reader, meetingId: string | null): Promise<Audience> {
  return (await audiencesFor(tx, member, [meetingId]))(meetingId);
}

/** Whether a user is among those invited to a meeting (for mail: only the audience is written to). */
export async function isInvited(tx: DbOrTx, meetingId: string, userId: string): Promise<boolean> {
  const [row] = await accessDb(tx).select({ id: invitations.id }).from(invitations).where(and(eq(invitations.meetingId, meetingId), eq(invitations.userId, userId))).limit(1);
  return !!row;
}
