import { and, eq, inArray, isNotNull, or, sql } from "drizzle-orm";
import { minutes } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { delegationsOfBody } from "~/models/core/scope.server";

export interface MinutesWaiting {
  meetingId: string;
  /** "pending": not yet approved; "stale": the text changed after the approval. */
  state: "pending" | "stale";
  /** 0 for the circulated draft, n while amendment n is out for approval. */
  round: number;
  /** When the minutes (or the amendment) went out for approval, when known. */
  since: Date | null;
  /** When the delegation last approved this round (the approval a "stale" state says was voided). */
  signedAt: Date | null;
}

/** Minutes out for approval in one body, read by `minutesOutForApproval`. */
export type OutForApproval = Awaited<ReturnType<typeof minutesOutForApproval>>[number];

/**
 * Minutes of these bodies out for approval (circulated, or an amendment) and where each
 * delegation stands: one statement however many bodies (the start page across bodies asks
 * for each of the reader's).
 */
export async function minutesOutForApproval(tx: DbOrTx, bodyIds: readonly string[]) {
  if (bodyIds.length === 0) return [];
  // Each one's approvals, newest first, as JSON with the row: one statement (ADR 044).
  const rows = await tx
    .select({
      meetingId: minutes.meetingId,
      bodyId: minutes.bodyId,
      status: minutes.status,
      amending: minutes.amending,
      contentHash: minutes.contentHash,
      circulatedAt: minutes.circulatedAt,
      updatedAt: minutes.updatedAt,
      approvals: sql<string>`(select json_group_array(json_object('meetingId', a.meeting_id, 'delegationId', a.delegation_id, 'hash', a.content_hash, 'amendment', a.amendment, 'at', a.at)) from (select * from minutes_approvals a where a.meeting_id = "minutes"."meeting_id" order by a.at desc) a)`,
    })
    .from(minutes)
    .where(and(inArray(minutes.bodyId, [...bodyIds]), or(eq(minutes.status, "circulated"), and(eq(minutes.status, "adopted"), isNotNull(minutes.amending)))));
  if (rows.length === 0) return [];
  const approvals = rows.flatMap((r) => (JSON.parse(r.approvals) as Array<{ meetingId: string; delegationId: string; hash: string; amendment: number; at: number }>).map((a) => ({ ...a, at: new Date(a.at) })));
  return rows.map((row) => {
    const amendment = row.amending ?? 0;
    const latestOf = (delegationId: string) => approvals.find((a) => a.meetingId === row.meetingId && a.delegationId === delegationId && a.amendment === amendment);
    const stateOf = (delegationId: string): "current" | "stale" | "pending" => {
      const latest = latestOf(delegationId);
      if (!latest) return "pending";
      return latest.hash === row.contentHash ? "current" : "stale";
    };
    return { meetingId: row.meetingId, bodyId: row.bodyId, stateOf, latestOf, round: amendment, since: amendment ? null : row.circulatedAt };
  });
}

/** Minutes waiting for this delegation's approval, with the same rule as the minutes page. */
export async function minutesAwaitingApproval(tx: DbOrTx, bodyId: string, delegationId: string, read?: OutForApproval[]): Promise<MinutesWaiting[]> {
  const out = (read ?? (await minutesOutForApproval(tx, [bodyId]))).filter((m) => m.bodyId === bodyId);
  return out.flatMap((m) => {
    const state = m.stateOf(delegationId);
    return state === "current" ? [] : [{ meetingId: m.meetingId, state, round: m.round, since: m.since, signedAt: m.latestOf(delegationId)?.at ?? null }];
  });
}

/** Minutes every delegation has approved as they stand: the secretariat's turn to adopt. */
export async function minutesReadyToAdopt(tx: DbOrTx, bodyId: string, read?: OutForApproval[]): Promise<string[]> {
  const out = (read ?? (await minutesOutForApproval(tx, [bodyId]))).filter((m) => m.bodyId === bodyId);
  if (out.length === 0) return [];
  // Outside a transaction, the request's one read of the body's delegations (ADR 040, 044).
  const members = await delegationsOfBody(tx, bodyId);
  return out.filter((m) => members.length > 0 && members.every((d) => m.stateOf(d.id) === "current")).map((m) => m.meetingId);
}
