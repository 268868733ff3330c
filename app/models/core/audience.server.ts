import { and, eq, inArray, sql, type Placeholder } from "drizzle-orm";
import { invitations, meetings } from "#db/schema";
import { accessDb, inTransaction, type DbOrTx } from "~/lib/db.server";
import { memoized, recall, remember } from "~/lib/request-scope.server";
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
  // One statement for both facts (ADR 040), read once per request outside a transaction:
  // the dashboard asks for the same meetings twice (its page and its counts).
  const facts = inTransaction() ? await readAudienceFacts(tx, member.userId, ids) : await requestAudienceFacts(tx, member.userId, ids);
  const byMeeting = new Map<string, Audience>();
  for (const id of ids) byMeeting.set(id, audienceFromRow(member, facts.get(id)));
  return (meetingId) => (meetingId ? (byMeeting.get(meetingId) ?? outside) : outside);
}

function audienceFromRow(member: Reader, row: AudienceRow | undefined): Audience {
  return audienceOf({
    userId: member.userId,
    role: member.role,
    delegationId: member.delegationId,
    // No invitation sent yet: the meeting's audience is not narrowed below the body's members.
    invited: !row || row.invitations === 0 || row.mine > 0,
    listPublished: !!row && row.list !== null,
    onList: !!row?.list && row.list.includes(member.userId),
  });
}

/**
 * Another person's audience from facts read with the content it explains (a head's invitation,
 * read with the agenda they concurred with): for what the page shows of them, never to decide
 * what this request's reader may see — those facts come from the primary (ADR 030), and these
 * may come from the replica with the rest of the content.
 */
export function audienceOfOther(member: Reader, row: AudienceColumns): Audience {
  return audienceFromRow(member, audienceRow(row));
}

interface AudienceRow {
  invitations: number;
  mine: number;
  /** The published participant list's user ids, or null while none is published. */
  list: string[] | null;
}

/**
 * The columns of a reader's audience facts, for any select over `meetings`. Written out with
 * the table's name: drizzle leaves columns unqualified inside sql``, and an unqualified "id" in
 * these subqueries would be the inner table's. `userId` may be a placeholder, for a statement
 * built once (ADR 051).
 */
export function audienceColumns(userId: string | Placeholder) {
  return {
    invitations: sql<number>`(select count(*) from invitations i where i.meeting_id = "meetings"."id")`,
    mine: sql<number>`(select count(*) from invitations i where i.meeting_id = "meetings"."id" and i.user_id = ${userId})`,
    list: sql<string | null>`(select p.user_ids from participant_lists p where p.meeting_id = "meetings"."id")`,
    // Not an audience fact: whether the reader's invitation still waits for an answer (the start page asks next).
    unanswered: sql<number>`(select count(*) from invitations i where i.meeting_id = "meetings"."id" and i.user_id = ${userId} and i.response = 'none')`,
  };
}

type AudienceColumns = { id: string; invitations: number; mine: number; list: string | null; unanswered?: number };

/** The request memo's key for whether a reader's invitation to a meeting waits for an answer. */
export const unansweredKey = (userId: string, meetingId: string) => `unanswered:${userId}:${meetingId}`;

const audienceRow = (r: AudienceColumns): AudienceRow => ({ invitations: Number(r.invitations), mine: Number(r.mine), list: r.list === null ? null : (JSON.parse(r.list) as string[]) });

const factsKey = (userId: string, meetingId: string) => `audience-facts:${userId}:${meetingId}`;

/**
 * Leaves audience facts read with other columns (the body's meetings, ADR 044) in the request
 * memo, meeting by meeting, for `audiencesFor`. Only from reads that decide access: the primary
 * or outside any transaction (accessDb).
 */
export function rememberAudienceFacts(userId: string, rows: AudienceColumns[]): void {
  if (inTransaction()) return;
  for (const r of rows) {
    remember(factsKey(userId, r.id), audienceRow(r));
    if (r.unanswered !== undefined) remember(unansweredKey(userId, r.id), Number(r.unanswered) > 0);
  }
}

/** The facts of this request's memo, reading only the meetings it does not hold yet (in one statement). */
async function requestAudienceFacts(tx: DbOrTx, userId: string, ids: string[]): Promise<Map<string, AudienceRow>> {
  const facts = new Map<string, AudienceRow>();
  const missing: string[] = [];
  for (const id of ids) {
    const known = recall<AudienceRow | undefined>(factsKey(userId, id));
    if (known) facts.set(id, (await known)!);
    else missing.push(id);
  }
  if (missing.length) {
    const read = await memoized(`audience:${userId}:${[...missing].sort().join(",")}`, () => readAudienceFacts(tx, userId, missing));
    for (const [id, row] of read) facts.set(id, row);
  }
  return facts;
}

async function readAudienceFacts(tx: DbOrTx, userId: string, ids: string[]): Promise<Map<string, AudienceRow>> {
  // Access decisions read the primary (or the open transaction), never a lagging replica (ADR 030).
  const rows = await accessDb(tx)
    .select({ id: meetings.id, ...audienceColumns(userId) })
    .from(meetings)
    .where(inArray(meetings.id, ids));
  return new Map(rows.map((r) => [r.id, audienceRow(r)]));
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
