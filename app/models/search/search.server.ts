import { and, desc, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import { actionItems, agendaItems, bodies, decisions, meetings, minutes, outcomeDocuments, outcomeTranslations, paperFiles, papers } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { richTextToPlain } from "~/lib/rich-text.server";
import { containsAll, likePattern, PER_KIND, searchKinds, searchTerms, snippetOf, type SearchKind, type Snippet } from "~/lib/search";
import { formConstraints, parseInput } from "~/lib/validation";
import type { MarkedRecord } from "~/lib/markings";
import { symbolOf } from "~/lib/symbols";
import { actionRecord } from "~/models/actions/audience.server";
import { agendaRecord } from "~/models/agenda/agenda.server";
import { findMembership } from "~/models/core/access.server";
import { audiencesFor } from "~/models/core/audience.server";
import { outcomeRecord } from "~/models/outcomes/access.server";
import { paperRecord } from "~/models/papers/papers.server";
import { listBodiesForUser } from "~/models/people/bodies.server";

const MAX_QUERY = 200;

const schema = z.object({
  q: z.string().max(MAX_QUERY).default(""),
  kind: z.enum([...searchKinds, "all"]).default("all").catch("all"),
});

/** The search box's limits, for the browser. */
export const searchConstraints = formConstraints(schema);

/** Rows read per kind before the exact check on plain text (HTML can match a tag name). */
const CANDIDATES = 200;

export interface SearchHit {
  kind: SearchKind;
  id: string;
  href: string;
  title: string;
  /** The action item's number, or the decision's number in the register. */
  ref: number | null;
  snippet: Snippet;
  status: string;
  marking: string | null;
  body: { slug: string; nameEn: string; nameJa: string; nameKo: string };
  meeting: { id: string; ordinal: number; title: string | null; startsAt: string; timeZone: string } | null;
}

export interface SearchResult {
  query: string;
  /** The words every hit contains, for marking them in titles and passages. */
  terms: string[];
  /** Set when the query could not be searched (too long): the page says why, by the box. */
  error: { key: string; values?: Record<string, number> } | null;
  kind: SearchKind | "all";
  hits: Record<SearchKind, SearchHit[]>;
  /** Kinds with more hits than shown. */
  more: SearchKind[];
  /** The bodies searched: every one the actor is an active member of. */
  bodies: SearchHit["body"][];
}

const empty = (): Record<SearchKind, SearchHit[]> => ({ agenda: [], minutes: [], decisions: [], actions: [], outcomes: [], papers: [] });

/** A candidate hit with what the TLP rule needs to decide whether this reader may see it. */
type Candidate = Omit<SearchHit, "body"> & { bodyId: string; record?: MarkedRecord; audienceMeetingId?: string | null };

/**
 * One search over agenda items, minutes text, the decision register and action items of every
 * body the actor is an active member of. Every query is limited to those bodies' ids, so
 * nothing from another body can be read, counted or hinted at.
 */
export async function search({ actor, input }: { actor: Actor; input: unknown }): Promise<SearchResult> {
  const raw = input as { q?: unknown; kind?: unknown };
  if (typeof raw?.q === "string" && raw.q.trim().length > MAX_QUERY) {
    // A pasted page is not a search: say so by the box instead of failing the page.
    const bodies = (await listBodiesForUser(actor.id)).map((b) => ({ slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo }));
    return { query: raw.q.trim().slice(0, MAX_QUERY), terms: [], error: { key: "search:errors.tooLong", values: { max: MAX_QUERY } }, kind: "all", hits: empty(), more: [], bodies };
  }
  const { q, kind } = parseInput(schema, input);
  const query = q.trim();
  const terms = searchTerms(query);
  const result: SearchResult = { query, terms, error: null, kind, hits: empty(), more: [], bodies: [] };
  const bodyRows = await listBodiesForUser(actor.id);
  result.bodies = bodyRows.map((b) => ({ slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo }));
  if (bodyRows.length === 0 || terms.length === 0) return result;
  const bodyById = new Map(bodyRows.map((b) => [b.id, { slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo }]));
  const bodyIds = bodyRows.map((b) => b.id);

  const wanted = (k: SearchKind) => kind === "all" || kind === k;
  const [agenda, minutesHits, decisionHits, actions, outcomes, paperHits] = await Promise.all([
    wanted("agenda") ? searchAgenda(bodyIds, terms) : [],
    wanted("minutes") ? searchMinutes(bodyIds, terms) : [],
    wanted("decisions") ? searchDecisions(bodyIds, terms) : [],
    wanted("actions") ? searchActions(bodyIds, terms) : [],
    wanted("outcomes") ? searchOutcomes(bodyIds, terms) : [],
    wanted("papers") ? searchPapers(bodyIds, terms) : [],
  ]);
  const visible = await tlpFilter(actor, [...agenda, ...minutesHits, ...decisionHits, ...actions, ...outcomes, ...paperHits]);
  const found: Record<SearchKind, Candidate[]> = empty() as unknown as Record<SearchKind, Candidate[]>;
  for (const hit of visible) found[hit.kind].push(hit);
  for (const k of searchKinds) {
    if (found[k].length > PER_KIND) result.more.push(k);
    result.hits[k] = found[k].slice(0, PER_KIND).map(({ bodyId, record: _record, audienceMeetingId: _meeting, ...hit }) => ({ ...hit, body: bodyById.get(bodyId)! }));
  }
  return result;
}

/**
 * The same TLP rule as every page: a hit the reader may not open is dropped before anything
 * about it (title, snippet, count) leaves the server.
 */
async function tlpFilter(actor: Actor, hits: Candidate[]): Promise<Candidate[]> {
  const bodyIds = [...new Set(hits.filter((h) => h.record).map((h) => h.bodyId))];
  const deciders = new Map<string, Awaited<ReturnType<typeof audiencesFor>>>();
  for (const bodyId of bodyIds) {
    const member = await findMembership(db(), actor.id, bodyId);
    if (!member) continue;
    const meetingIds = hits.filter((h) => h.bodyId === bodyId && h.record).map((h) => h.audienceMeetingId ?? null);
    deciders.set(bodyId, await audiencesFor(db(), member, meetingIds));
  }
  return hits.filter((h) => {
    if (!h.record) return true;
    const audience = deciders.get(h.bodyId);
    return !!audience && audience(h.audienceMeetingId ?? null).may(h.record);
  });
}

/** Every term somewhere in one of the columns (as typed, or as it is stored in HTML). */
function everyTerm(terms: string[], columns: SQLWrapper[], extra?: (term: string) => SQL | undefined): SQL {
  return and(
    ...terms.map((term) => {
      const patterns = [...new Set([likePattern(term), likePattern(escapeHtml(term))])];
      const likes = columns.flatMap((c) => patterns.map((p) => sql`${c} LIKE ${p} ESCAPE '\\'`));
      const more = extra?.(term);
      return or(...likes, ...(more ? [more] : []))!;
    }),
  )!;
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const meetingColumns = {
  meetingId: meetings.id,
  ordinal: meetings.ordinal,
  meetingTitle: meetings.title,
  startsAt: meetings.startsAt,
  timeZone: meetings.timeZone,
};

function meetingOf(row: { meetingId: string | null; ordinal: number | null; meetingTitle: string | null; startsAt: Date | null; timeZone: string | null }) {
  if (!row.meetingId || row.ordinal === null || !row.startsAt || !row.timeZone) return null;
  return { id: row.meetingId, ordinal: row.ordinal, title: row.meetingTitle, startsAt: row.startsAt.toISOString(), timeZone: row.timeZone };
}

async function searchAgenda(bodyIds: string[], terms: string[]) {
  const rows = await db()
    .select({ id: agendaItems.id, bodyId: agendaItems.bodyId, title: agendaItems.title, description: agendaItems.description, status: agendaItems.status, marking: agendaItems.marking, proposedBy: agendaItems.proposedBy, leadDelegationId: agendaItems.leadDelegationId, ...meetingColumns })
    .from(agendaItems)
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(and(inArray(agendaItems.bodyId, bodyIds), everyTerm(terms, [agendaItems.title, agendaItems.description])))
    .orderBy(desc(meetings.startsAt), agendaItems.position)
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    const plain = richTextToPlain(r.description);
    if (!containsAll(`${r.title}\n${plain}`, terms)) return [];
    return [{ kind: "agenda" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/agenda#item-${r.id}`, title: r.title, ref: null, snippet: snippetOf(plain, terms), status: r.status, marking: r.marking, meeting: meetingOf(r), record: agendaRecord(r), audienceMeetingId: r.meetingId }];
  });
}

async function searchMinutes(bodyIds: string[], terms: string[]) {
  const rows = await db()
    .select({ bodyId: minutes.bodyId, text: minutes.text, status: minutes.status, ...meetingColumns })
    .from(minutes)
    .innerJoin(meetings, eq(meetings.id, minutes.meetingId))
    .where(and(inArray(minutes.bodyId, bodyIds), everyTerm(terms, [minutes.text])))
    .orderBy(desc(meetings.startsAt))
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    if (!containsAll(r.text, terms)) return [];
    return [{ kind: "minutes" as const, id: r.meetingId, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/minutes`, title: "", ref: null, snippet: snippetOf(r.text, terms), status: r.status, marking: null, meeting: meetingOf(r) }];
  });
}

async function searchDecisions(bodyIds: string[], terms: string[]) {
  const numbered = (term: string) => {
    const n = /^D(\d{1,6})$/i.exec(term)?.[1];
    return n ? eq(decisions.number, Number(n)) : undefined;
  };
  const rows = await db()
    .select({ id: decisions.id, bodyId: decisions.bodyId, number: decisions.number, text: decisions.text, ...meetingColumns })
    .from(decisions)
    .innerJoin(meetings, eq(meetings.id, decisions.meetingId))
    .where(and(inArray(decisions.bodyId, bodyIds), everyTerm(terms, [decisions.text], numbered)))
    .orderBy(desc(decisions.number))
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    if (!containsAll(`D${r.number} ${r.text}`, terms)) return [];
    return [{ kind: "decisions" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/minutes#decision-${r.number}`, title: "", ref: r.number, snippet: snippetOf(r.text, terms), status: "recorded", marking: null, meeting: meetingOf(r) }];
  });
}

async function searchActions(bodyIds: string[], terms: string[]) {
  const numbered = (term: string) => {
    const n = /^#?(\d{1,6})$/.exec(term)?.[1];
    return n ? eq(actionItems.ref, Number(n)) : undefined;
  };
  const rows = await db()
    .select({
      id: actionItems.id,
      bodyId: actionItems.bodyId,
      ref: actionItems.ref,
      title: actionItems.title,
      detail: actionItems.detail,
      status: actionItems.status,
      marking: actionItems.marking,
      ownerDelegationId: actionItems.ownerDelegationId,
      createdBy: actionItems.createdBy,
      originMeetingId: actionItems.originMeetingId,
      ...meetingColumns,
    })
    .from(actionItems)
    .leftJoin(meetings, eq(meetings.id, actionItems.originMeetingId))
    .where(and(inArray(actionItems.bodyId, bodyIds), everyTerm(terms, [actionItems.title, actionItems.detail], numbered)))
    .orderBy(desc(actionItems.ref))
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    const plain = richTextToPlain(r.detail);
    if (!containsAll(`#${r.ref} ${r.ref} ${r.title}\n${plain}`, terms)) return [];
    return [{ kind: "actions" as const, id: r.id, bodyId: r.bodyId, href: `/actions/${r.id}`, title: r.title, ref: r.ref, snippet: snippetOf(plain, terms), status: r.status, marking: r.marking, meeting: meetingOf(r), record: actionRecord(r), audienceMeetingId: r.originMeetingId }];
  });
}

/** Papers by title and symbol, and by the words of PDF and DOCX files (current versions). */
async function searchPapers(bodyIds: string[], terms: string[]): Promise<Candidate[]> {
  const rows = await db()
    .select({
      id: papers.id,
      bodyId: papers.bodyId,
      number: papers.number,
      revision: papers.revision,
      title: papers.title,
      marking: papers.marking,
      delegationIds: papers.delegationIds,
      uploadedBy: papers.uploadedBy,
      text: paperFiles.text,
      bodyNameEn: bodies.nameEn,
      symbolPrefix: bodies.symbolPrefix,
      ...meetingColumns,
    })
    .from(papers)
    .innerJoin(meetings, eq(meetings.id, papers.meetingId))
    .innerJoin(bodies, eq(bodies.id, papers.bodyId))
    .innerJoin(paperFiles, and(eq(paperFiles.paperId, papers.id), eq(paperFiles.revision, papers.revision)))
    .where(and(inArray(papers.bodyId, bodyIds), isNull(papers.withdrawnAt), everyTerm(terms, [papers.title, paperFiles.text])))
    .orderBy(desc(meetings.startsAt), papers.number)
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    const symbol = symbolOf({ bodyNameEn: r.bodyNameEn, prefix: r.symbolPrefix, ordinal: r.ordinal, series: "INF", number: r.number, revision: r.revision });
    if (!containsAll(`${symbol} ${r.title}\n${r.text}`, terms)) return [];
    return [{ kind: "papers" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/agenda#papers-${r.id}`, title: `${symbol} ${r.title}`, ref: null, snippet: snippetOf(r.text || r.title, terms), status: "", marking: r.marking, meeting: meetingOf(r), record: paperRecord(r), audienceMeetingId: r.meetingId }];
  });
}

/**
 * Outcome documents: the title and the live text in its negotiating language, and every
 * language version written for it (so Japanese and Korean words find the document too).
 */
async function searchOutcomes(bodyIds: string[], terms: string[]) {
  const translated = await db()
    .select({ documentId: outcomeTranslations.documentId, text: outcomeTranslations.text })
    .from(outcomeTranslations)
    .innerJoin(outcomeDocuments, eq(outcomeDocuments.id, outcomeTranslations.documentId))
    .where(and(inArray(outcomeDocuments.bodyId, bodyIds), or(...terms.map((term) => sql`${outcomeTranslations.text} LIKE ${likePattern(term)} ESCAPE '\\'`))))
    .limit(CANDIDATES);
  const versions = new Map<string, string>();
  for (const t of translated) versions.set(t.documentId, `${versions.get(t.documentId) ?? ""}\n${t.text}`);
  const ids = [...versions.keys()];
  const rows = await db()
    .select({ id: outcomeDocuments.id, bodyId: outcomeDocuments.bodyId, title: outcomeDocuments.title, text: outcomeDocuments.text, status: outcomeDocuments.status, marking: outcomeDocuments.marking, createdBy: outcomeDocuments.createdBy, ...meetingColumns })
    .from(outcomeDocuments)
    .innerJoin(meetings, eq(meetings.id, outcomeDocuments.meetingId))
    .where(and(inArray(outcomeDocuments.bodyId, bodyIds), or(everyTerm(terms, [outcomeDocuments.title, outcomeDocuments.text]), ids.length ? inArray(outcomeDocuments.id, ids) : undefined)))
    .orderBy(desc(meetings.startsAt))
    .limit(CANDIDATES);
  return rows.flatMap((r) => {
    const all = `${r.title}\n${r.text}${versions.get(r.id) ?? ""}`;
    if (!containsAll(all, terms)) return [];
    return [{ kind: "outcomes" as const, id: r.id, bodyId: r.bodyId, href: `/outcomes/${r.id}`, title: r.title, ref: null, snippet: snippetOf(all, terms), status: r.status, marking: r.marking, meeting: meetingOf(r), record: outcomeRecord(r), audienceMeetingId: r.meetingId }];
  });
}
