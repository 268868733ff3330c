import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { bodies, paperFiles, paperReads, papers, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, inTransaction, type DbOrTx } from "~/lib/db.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { agendaChannel, publish, type AgendaEvent } from "~/lib/events.server";
import type { MarkedRecord } from "~/lib/markings";
import { can } from "~/lib/permissions";
import { symbolOf } from "~/lib/symbols";
import { withTransaction } from "~/lib/transaction.server";
import { LIMITS, parseInput, scopeId } from "~/lib/validation";
import { activeMemberships, assertCan, type Membership } from "~/models/core/access.server";
import { audienceFor, type Audience } from "~/models/core/audience.server";
import { recordAudit } from "~/models/core/audit.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";

export type Paper = typeof papers.$inferSelect;

/** A paper as the TLP rule sees it: its marking, the delegations it names, who sent it. */
export const paperRecord = (p: Pick<Paper, "marking" | "delegationIds" | "uploadedBy">): MarkedRecord => ({
  marking: p.marking,
  delegationIds: p.delegationIds,
  createdBy: p.uploadedBy,
});

export interface PaperView {
  id: string;
  agendaItemId: string;
  symbol: string;
  title: string;
  marking: string;
  delegationIds: string[];
  delegationId: string | null;
  uploadedBy: string | null;
  uploaderName: string | null;
  revision: number;
  createdAt: Date;
  canManage: boolean;
  versions: Array<{ id: string; revision: number; symbol: string; filename: string; mediaType: string; size: number; sha256: string | null; storage: "database" | "directory"; at: Date }>;
  /** For the secretariat: who opened it, newest first. */
  reads: Array<{ name: string; at: Date; revision: number | null; via: string }> | null;
}

/**
 * The papers of a meeting that this reader may see, in agenda-item order then by number. Papers
 * outside the reader's TLP audience are left out entirely: nothing of them is sent.
 */
export async function listPapersForMeeting(tx: DbOrTx, { meeting, member, audience }: { meeting: Meeting; member: Membership; audience: Audience }): Promise<PaperView[]> {
  // Outside a transaction the reader's memberships, read once per request, carry the body (ADR 040).
  const mine = inTransaction() ? null : (await activeMemberships(member.userId)).find((m) => m.body.id === meeting.bodyId)?.body;
  const [body] = mine ? [mine] : await tx.select({ nameEn: bodies.nameEn, symbolPrefix: bodies.symbolPrefix }).from(bodies).where(eq(bodies.id, meeting.bodyId));
  // Each paper with its files, newest revision first, as JSON: one statement (ADR 044).
  const rows = await tx
    .select({ paper: papers, uploaderName: users.name, filesJson: filesOfPaper, readsJson: can(member, "papers.receipts") ? readsOfPaper : sql<string | null>`null` })
    .from(papers)
    .leftJoin(users, eq(users.id, papers.uploadedBy))
    .where(and(eq(papers.meetingId, meeting.id), isNull(papers.withdrawnAt)))
    .orderBy(asc(papers.number));
  const visible = rows.filter((r) => audience.may(paperRecord(r.paper)));
  if (visible.length === 0) return [];
  const files = visible.flatMap((r) => (JSON.parse(r.filesJson) as Array<Omit<PaperView["versions"][number], "symbol" | "at"> & { paperId: string; at: number }>).map((f) => ({ ...f, at: new Date(f.at) })));
  const seesReads = can(member, "papers.receipts");
  // For the secretariat, who opened each paper, newest first: read with the papers (ADR 044).
  const reads = seesReads
    ? visible.flatMap((r) => (JSON.parse(r.readsJson ?? "[]") as Array<{ paperId: string; name: string; at: number; via: string; revision: number | null }>).map((x) => ({ ...x, at: new Date(x.at) })))
    : [];
  const symbol = (number: number, revision: number) => symbolOf({ bodyNameEn: body.nameEn, prefix: body.symbolPrefix, ordinal: meeting.ordinal, series: "INF", number, revision });
  return visible.map(({ paper, uploaderName }) => ({
    id: paper.id,
    agendaItemId: paper.agendaItemId,
    symbol: symbol(paper.number, paper.revision),
    title: paper.title,
    marking: paper.marking,
    delegationIds: paper.delegationIds,
    delegationId: paper.delegationId,
    uploadedBy: paper.uploadedBy,
    uploaderName,
    revision: paper.revision,
    createdAt: paper.createdAt,
    canManage: paper.uploadedBy === member.userId || can(member, "papers.manage"),
    versions: files.filter((f) => f.paperId === paper.id).map((f) => ({ ...f, symbol: symbol(paper.number, f.revision) })),
    reads: seesReads ? reads.filter((r) => r.paperId === paper.id).map(({ name, at, via, revision }) => ({ name, at, via, revision })) : null,
  }));
}

/** A paper's files, newest revision first, as a JSON array (instants as UTC milliseconds, as stored). */
const filesOfPaper = sql<string>`(select json_group_array(json_object('id', f.id, 'paperId', f.paper_id, 'revision', f.revision, 'filename', f.filename, 'mediaType', f.media_type, 'size', f.size, 'sha256', f.sha256, 'storage', f.storage, 'at', f.created_at)) from (select * from paper_files f where f.paper_id = "papers"."id" order by f.revision desc) f)`;

/** Who opened a paper (name, when, how, which revision), newest first, as a JSON array. */
const readsOfPaper = sql<string | null>`(select json_group_array(json_object('paperId', r.paper_id, 'name', r.name, 'at', r.at, 'via', r.via, 'revision', r.revision)) from (select pr.paper_id, u.name, pr.at, pr.via, pf.revision from paper_reads pr join users u on u.id = pr.user_id left join paper_files pf on pf.id = pr.file_id where pr.paper_id = "papers"."id" order by pr.at desc) r)`;

/** The papers of a meeting for one reader (the agenda page, the meeting book). */
export async function getMeetingPapers({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  const audience = await audienceFor(db(), member, meeting.id);
  return { meeting, member, audience, papers: await listPapersForMeeting(db(), { meeting, member, audience }) };
}

/**
 * One paper as its reader may open it: NotFound for anyone outside its audience (a reader
 * never learns that a paper they may not see exists). Records the read receipt.
 */
export async function openPaper({ actor, paperId, fileId, via = "download" }: { actor: Actor; paperId: string; fileId?: string; via?: "download" | "book" }) {
  const [paper] = await db().select().from(papers).where(eq(papers.id, paperId));
  if (!paper) throw new NotFoundError("paper");
  const { meeting, member } = await getMeetingForMember(db(), actor, paper.meetingId);
  const audience = await audienceFor(db(), member, meeting.id);
  if (!audience.may(paperRecord(paper)) || (paper.withdrawnAt && !can(member, "papers.manage"))) throw new NotFoundError("paper");
  const [file] = await db()
    .select()
    .from(paperFiles)
    .where(and(eq(paperFiles.paperId, paper.id), fileId ? eq(paperFiles.id, fileId) : eq(paperFiles.revision, paper.revision)));
  if (!file) throw new NotFoundError("paper");
  const [body] = await db().select({ nameEn: bodies.nameEn, symbolPrefix: bodies.symbolPrefix }).from(bodies).where(eq(bodies.id, meeting.bodyId));
  await withTransaction(async (tx, afterCommit) => {
    await tx.insert(paperReads).values({ paperId: paper.id, fileId: file.id, userId: actor.id, via, at: new Date() });
    afterCommit(() => publish<AgendaEvent>(agendaChannel(meeting.id), { version: 0, by: { id: actor.id, name: actor.name }, what: "paper.read", record: paperRecord(paper) }));
  });
  return { paper, file, meeting, symbol: symbolOf({ bodyNameEn: body.nameEn, prefix: body.symbolPrefix, ordinal: meeting.ordinal, series: "INF", number: paper.number, revision: file.revision }) };
}

/** A paper its uploader or the secretariat may manage: 404 outside the reader's audience, 403 without the right. */
async function paperForManager(tx: DbOrTx, actor: Actor, paperId: string) {
  const [paper] = await tx.select().from(papers).where(eq(papers.id, paperId));
  if (!paper) throw new NotFoundError("paper");
  const { meeting, member } = await getMeetingForMember(tx, actor, paper.meetingId);
  const audience = await audienceFor(tx, member, meeting.id);
  if (!audience.may(paperRecord(paper))) throw new NotFoundError("paper");
  if (paper.uploadedBy !== actor.id) assertCan(member, "papers.manage");
  return { paper, meeting, member };
}

const withdrawSchema = z.object({ paperId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(LIMITS.short) });

/** Withdraws a paper (its uploader or the secretariat), with a reason; the files stay for the record. */
export async function withdrawPaper({ actor, input }: { actor: Actor; input: unknown }) {
  // Membership and audience before the input: an outsider learns nothing, not even that the
  // reason was missing (404 first, then 403, then field errors).
  await paperForManager(db(), actor, scopeId(input, "paperId"));
  const data = parseInput(withdrawSchema, input);
  return withTransaction(async (tx, afterCommit) => {
    const { paper, meeting } = await paperForManager(tx, actor, data.paperId);
    if (paper.withdrawnAt) throw new ForbiddenError({ key: "papers:errors.withdrawn" });
    await tx.update(papers).set({ withdrawnAt: new Date() }).where(eq(papers.id, paper.id));
    await recordAudit(tx, { bodyId: paper.bodyId, actorId: actor.id, action: "paper.withdrawn", entityType: "paper", entityId: paper.id, before: { title: paper.title }, after: { reason: data.reason } });
    afterCommit(() => publish<AgendaEvent>(agendaChannel(meeting.id), { version: 0, by: { id: actor.id, name: actor.name }, what: "paper", record: paperRecord(paper) }));
    return { meetingId: meeting.id };
  });
}
