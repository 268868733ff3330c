import { and, desc, eq, inArray, isNull, or, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import { z } from "zod";
import { actionItems, agendaItems, bodies, decisions, meetings, minutes, outcomeDocuments, outcomeTranslations, paperFiles, papers } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { richTextToPlain } from "~/lib/rich-text.server";
import { listedTitle } from "~/lib/list-text";
import { containsAll, PER_KIND, searchKinds, searchTerms, snippetOf, snippetOfHead, type SearchKind, type Snippet } from "~/lib/search";
import { ftsString, KIND_BITS, KIND_NUMBERS, kindRange, termPlans } from "~/lib/search-index";
import { formConstraints, parseInput } from "~/lib/validation";
import { MINUTES_MARKING, type MarkedRecord } from "~/lib/markings";
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

/**
 * Candidates read per round and kind, in the order shown, before the exact check on plain
 * text and the TLP rule; rounds go on until a kind has one more hit than it shows, or has
 * no candidates left. Nothing the index finds is cut off before the check.
 */
const BATCH = PER_KIND + 1;

export interface SearchHit {
  kind: SearchKind;
  id: string;
  href: string;
  /** Shortened as every list shortens a title (ADR 050): `shortened` says so. */
  title: string;
  shortened: boolean;
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
/** `plain` is the text a snippet is cut from, made only for the hits shown (flattening rich text is the costly part of a candidate). */
/** `snippet`, when set, was already cut (from the head of a long text, `snippetOfHead`). */
type Candidate = Omit<SearchHit, "body" | "snippet" | "shortened"> & { bodyId: string; record?: MarkedRecord; audienceMeetingId?: string | null; plain: () => string; snippet?: Snippet };

/** One round of a kind's candidates: the checked hits, and how many rows the index gave. */
interface Round {
  hits: Candidate[];
  read: number;
}

/**
 * Per term, the index entries of a kind whose texts may contain it (a subquery of
 * `search_entries` ids in the kind's range, ADR 054; null when no entry can) and how many
 * there are of each kind: a kind with none is not queried, and the counts choose how a kind's
 * query finds its rows (`everyTerm`).
 */
interface TermSource {
  entries: ((kind: SearchKind) => SQL) | null;
  counts: Map<SearchKind, number>;
  /** Kinds every one of whose entries may hold the term (checked when it has more than DENSE): no set of rowids is needed. */
  everywhere: Set<SearchKind>;
}
type TermSources = TermSource[];

type KindSearch = (bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number) => Promise<Round>;

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

  const punctuation = punctuationTerms(terms);
  // A short punctuation term that never begins a word anywhere is known not to from the
  // vocabulary at once; otherwise its positions are read only once a first round shows that
  // most candidates fail (`visibleHits`).
  const some = new Map<string, boolean>();
  const sources = await termSources(terms, punctuation, { positions: false, some });
  let narrowed: Promise<TermSources | null> | undefined;
  const narrow = () => (narrowed ??= punctuation.size && [...some.values()].some(Boolean) ? termSources(terms, punctuation, { positions: true, some }) : Promise.resolve(null));
  const wanted = searchKinds.filter((k) => kind === "all" || kind === k);
  const found = await Promise.all(wanted.map((k) => visibleHits(actor, k, bodyIds, terms, sources, narrow)));
  wanted.forEach((k, i) => {
    if (found[i].length > PER_KIND) result.more.push(k);
    // Snippets only for what is shown.
    result.hits[k] = found[i].slice(0, PER_KIND).map(({ bodyId, record: _record, audienceMeetingId: _meeting, plain, snippet, title, ...hit }) => ({
      ...hit,
      ...shownTitle(title, snippet ?? snippetOf(plain(), terms), terms),
      body: bodyById.get(bodyId)!,
    }));
  });
  return result;
}

/** A rich text's plain form, flattened the first time it is asked for and kept for the next. */
function flattenedOnce(html: string): () => string {
  let plain: string | undefined;
  return () => (plain ??= richTextToPlain(html));
}

const kindSearches: Record<SearchKind, KindSearch> = {
  agenda: searchAgenda,
  minutes: searchMinutes,
  decisions: searchDecisions,
  actions: searchActions,
  outcomes: searchOutcomes,
  papers: searchPapers,
};

/** A kind's hits this reader may open, in order, until one more than is shown. */
async function visibleHits(actor: Actor, kind: SearchKind, bodyIds: string[], terms: string[], sources: TermSources, narrow: () => Promise<TermSources | null>): Promise<Candidate[]> {
  let hits: Candidate[] = [];
  let narrowed = false;
  // Rounds double: most queries stop after the first.
  for (let offset = 0, size = BATCH; hits.length <= PER_KIND; ) {
    const round = await kindSearches[kind](bodyIds, terms, sources, offset, size);
    hits.push(...(await tlpFilter(actor, round.hits)));
    if (round.read < size) break;
    // Most candidates failed the exact rule: a short punctuation term that mostly follows
    // letters or digits ("50%", "name_format"). Ask the index where it stands and start again
    // with only the records where it may begin a word, rather than reading every text.
    if (!narrowed && round.hits.length * 2 < round.read) {
      narrowed = true;
      const better = await narrow();
      if (better) {
        sources = better;
        hits = [];
        offset = 0;
        size = BATCH;
        continue;
      }
    }
    offset += size;
    size *= 2;
  }
  return hits;
}

/**
 * Every record of one kind in these bodies that matches the query by the rule of
 * `termPattern`, in the order the page shows them, with no limit and no TLP rule: what the
 * bench compares with a full scan to measure the index's recall.
 */
export async function matchingRecordIds({ kind, bodyIds, query }: { kind: SearchKind; bodyIds: string[]; query: string }): Promise<string[]> {
  const terms = searchTerms(query);
  if (terms.length === 0 || bodyIds.length === 0) return [];
  // The narrowed lookup of short punctuation terms, so the bench measures the recall of both ways.
  const sources = await termSources(terms, punctuationTerms(terms));
  const ids: string[] = [];
  for (let offset = 0; ; offset += 500) {
    const round = await kindSearches[kind](bodyIds, terms, sources, offset, 500);
    ids.push(...round.hits.map((h) => h.id));
    if (round.read < 500) return ids;
  }
}

/** Terms of one or two characters with no letter or digit (`%`, `_`, `'`, `%%`), by position. */
function punctuationTerms(terms: string[]): Set<number> {
  return new Set(terms.flatMap((term, i) => ([...term].length <= 2 && !/[\p{L}\p{N}]/u.test(term) ? [i] : [])));
}

const ASCII_LETTERS_AND_DIGITS = [..."0123456789abcdefghijklmnopqrstuvwxyz"];

/**
 * The entries where a punctuation term may begin a word (ADR 035, addendum): every place
 * it occurs (the trigrams that begin with it, from `search_trigram_instances`) except those
 * right after an ASCII letter or digit (a trigram of that character and the term one
 * position earlier). Those are certainly not at a word's beginning, whatever the markup
 * (a character before the term inside a tag or entity would end in `>` or `;`); anything
 * else, other letters included, is left to the exact rule. Trigrams are stored lowercase.
 */
async function notAfterLetterOrDigit(term: string, narrowing: Narrowing): Promise<number[] | null> {
  const range = (prefix: string) => sql`term >= ${prefix} AND term < ${prefix} || char(1114111)`;
  // First from the vocabulary's totals (about 1.5 ms): when every occurrence of the mark is
  // one of those after a letter or digit (each of those begins a trigram of the character
  // and the mark), no entry can hold it at a word's beginning, and its positions (about
  // 8 ms for 12,000 apostrophes) need not be read (ADR 054).
  let some = narrowing.some.get(term);
  if (some === undefined) {
    const totals = sql.join(
      ASCII_LETTERS_AND_DIGITS.map((c) => sql`(SELECT coalesce(sum(cnt), 0) FROM search_trigram_terms WHERE ${range(c + term)})`),
      sql` + `,
    );
    const [{ left }] = await db().all<{ left: number }>(sql`SELECT (SELECT coalesce(sum(cnt), 0) FROM search_trigram_terms WHERE ${range(term)}) - (${totals}) AS left`);
    some = Number(left) > 0;
    narrowing.some.set(term, some);
  }
  if (!some) return [];
  if (!narrowing.positions) return null;
  const after = sql.join(
    ASCII_LETTERS_AND_DIGITS.map((c) => sql`SELECT doc, "offset" + 1 FROM search_trigram_instances WHERE ${range(c + term)}`),
    sql` UNION ALL `,
  );
  const rows = await db().all<{ doc: number }>(sql`SELECT DISTINCT doc FROM (SELECT doc, "offset" FROM search_trigram_instances WHERE ${range(term)} EXCEPT SELECT * FROM (${after}))`);
  return rows.map((row) => Number(row.doc));
}

/**
 * How far the lookup of a short punctuation term is narrowed: `positions` false stops at the
 * vocabulary's totals (cheap, and decisive when the mark never begins a word anywhere);
 * `some` keeps, per mark, whether it may, so a search asks once.
 */
interface Narrowing {
  positions: boolean;
  some: Map<string, boolean>;
}

/**
 * The index entries that may hold each term (ADR 035): FTS5 subqueries per term (none when
 * the term cannot occur at all), each limited to one kind's range of entry ids when it goes
 * into that kind's query (SQLite evaluates it once per statement; ADR 054), and how many
 * entries of each kind hold it, counted in one pass over the term's rowids (the kind is the
 * rowid's range, so no entry is looked up). One- and two-character terms are first turned
 * into the trigrams that begin with them.
 */
async function termSources(terms: string[], narrowed: ReadonlySet<number> = new Set(), narrowing: Narrowing = { positions: true, some: new Map() }): Promise<TermSources> {
  return Promise.all(
    terms.map(async (term, i) => {
      // Each part: the rowids it finds, within [from, to) when given.
      const parts: Array<(range?: { from: number; to: number }) => SQL> = [];
      let ids: number[] | null = null;
      // The bounds as integer literals: a JavaScript number is bound as a real.
      const within = (range?: { from: number; to: number }) => (range ? sql.raw(` AND rowid >= ${range.from} AND rowid < ${range.to}`) : sql``);
      for (const plan of termPlans(term)) {
        if (plan.index === "words") parts.push((range) => sql`SELECT rowid FROM search_words WHERE search_words MATCH ${plan.match}${within(range)}`);
        else if (plan.index === "trigrams") parts.push((range) => sql`SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ${plan.match}${within(range)}`);
        else if (narrowed.has(i) && (ids = await notAfterLetterOrDigit(plan.prefix, narrowing))) {
          // The narrowed lookup reads every occurrence of the mark (tens of subqueries): once
          // per search, as a list of entry ids, not again in every kind's statement.
          const list = JSON.stringify(ids);
          if (ids.length) parts.push((range) => sql`SELECT value AS rowid FROM json_each(${list})${range ? sql.raw(` WHERE value >= ${range.from} AND value < ${range.to}`) : sql``}`);
        } else {
          const rows = await db().all<{ term: string }>(sql`SELECT term FROM search_trigram_terms WHERE term >= ${plan.prefix} AND term < ${plan.prefix} || char(1114111)`);
          const match = rows.map((r) => ftsString(r.term)).join(" OR ");
          if (rows.length) parts.push((range) => sql`SELECT rowid FROM search_trigrams WHERE search_trigrams MATCH ${match}${within(range)}`);
        }
      }
      const counts = new Map<SearchKind, number>();
      if (parts.length === 0) return { entries: null, counts, everywhere: new Set<SearchKind>() };
      // A count per kind in one pass, no sort (a GROUP BY of the kind took about 1.6× as long).
      const perKind = sql.raw(Object.entries(KIND_NUMBERS).map(([kind, n]) => `count(*) FILTER (WHERE rowid >> ${KIND_BITS} = ${n}) AS "${kind}"`).join(", "));
      const [row] = await db().all<Record<SearchKind, number>>(sql`SELECT ${perKind} FROM (${sql.join(parts.map((part) => part()), sql` UNION `)})`);
      for (const kind of searchKinds) if (Number(row[kind]) > 0) counts.set(kind, Number(row[kind]));
      // A term in every entry of a kind ("the", "a" in every action item): the kind's query
      // then needs no set of its rowids, which costs more than the rows a walk reads (ADR
      // 054). Counting the kind's entries stops one past the term's count.
      const everywhere = new Set<SearchKind>();
      const common = [...counts].filter(([, n]) => n > DENSE);
      if (common.length) {
        const [row] = await db().all<Record<string, number>>(
          sql`SELECT ${sql.join(
            common.map(([kind, n]) => sql`(SELECT count(*) FROM (SELECT 1 FROM search_entries WHERE kind = ${kind} LIMIT ${sql.raw(String(n + 1))})) AS ${sql.identifier(kind)}`),
            sql`, `,
          )}`,
        );
        for (const [kind, n] of common) if (Number(row[kind]) === n) everywhere.add(kind);
      }
      return { entries: (kind: SearchKind) => sql.join(parts.map((part) => part(kindRange(kind))), sql` UNION `), counts, everywhere };
    }),
  );
}

/**
 * Above this many index entries of a kind for every term, a kind's query of one body walks
 * the kind's rows in the order shown (by the body's ordering index) and checks each against
 * the index, stopping at its LIMIT; at or below it, it reads the index's candidates and sorts
 * them. Either way the work is bounded: sorting at most this many, or walking about
 * PER_KIND × (rows of the kind ÷ candidates) rows, which is few when candidates are many.
 */
export const DENSE = 500;

/**
 * Every term in the record's indexed texts (or found some other way, as a decision by its
 * number); null when some term can match no record of this kind, so the kind is not queried.
 *
 * How SQLite finds the rows depends on the counts (ADR 049). When the rarest term is rare, or
 * the reader searches several bodies (whose rows no one index orders), that term's entries
 * drive the query (`record IN (…)`, entries looked up by id) and the other terms are checked
 * per row. When every term is common in one body, every term is a per-row check, so the query
 * walks the rows in the order shown and stops at its LIMIT, instead of sorting every row
 * that holds "the".
 */
function everyTerm(kind: SearchKind, record: SQLWrapper, terms: string[], sources: TermSources, bodyIds: string[], extra?: (term: string) => SQL | undefined): SQL | null {
  const counts = terms.map((_, i) => (sources[i].entries ? (sources[i].counts.get(kind) ?? 0) : 0));
  const drives = terms.map((term, i) => counts[i] > 0 && !extra?.(term));
  const fewest = Math.min(...counts.filter((_, i) => drives[i]));
  const walk = bodyIds.length === 1 && fewest > DENSE;
  const driver = walk ? -1 : counts.findIndex((n, i) => drives[i] && n === fewest);
  const conditions: SQL[] = [];
  for (const [i, term] of terms.entries()) {
    const entries = sources[i].entries?.(kind);
    // Driving: the kind's records holding the term, its entries looked up by id (`+` keeps
    // SQLite from scanning every entry of the kind instead). Checked per row: the row's
    // entries (the kind-and-record index) against the set of FTS5 rowids, built once per
    // statement (`+` keeps SQLite from looking up every rowid of the set for every row).
    const indexed =
      counts[i] === 0 || !entries
        ? undefined
        : sources[i].everywhere.has(kind)
          ? i === driver
            ? sql`${record} IN (SELECT se.record_id FROM search_entries AS se WHERE se.kind = ${kind})`
            : sql`EXISTS (SELECT 1 FROM search_entries AS se WHERE se.kind = ${kind} AND se.record_id = ${record})`
          : i === driver
          ? sql`${record} IN (SELECT se.record_id FROM search_entries AS se WHERE se.id IN (${entries}) AND +se.kind = ${kind})`
          : sql`EXISTS (SELECT 1 FROM search_entries AS se WHERE se.kind = ${kind} AND se.record_id = ${record} AND +se.id IN (${entries}))`;
    const more = extra?.(term);
    if (!indexed && !more) return null;
    conditions.push(indexed && more ? or(indexed, more)! : (indexed ?? more)!);
  }
  return and(...conditions)!;
}

const NOTHING: Round = { hits: [], read: 0 };

/**
 * A hit's title as the page shows it: shortened as every list shortens one (ADR 050) — a
 * 10,000-character title was sent, and its words marked, whole. When what matched is in the
 * part cut away and the text has no passage with it, the passage is cut from the title, so the
 * reader still sees why it was found.
 */
function shownTitle(whole: string, snippet: Snippet, terms: readonly string[]): Pick<SearchHit, "title" | "shortened" | "snippet"> {
  const { title, shortened } = listedTitle(whole);
  if (shortened && !snippet.match && !containsAll(title, terms)) return { title, shortened, snippet: snippetOf(whole, terms) };
  return { title, shortened, snippet };
}

/**
 * The same TLP rule as every page: a hit the reader may not open is dropped before anything
 * about it (title, snippet, count) leaves the server.
 */
async function tlpFilter(actor: Actor, hits: Candidate[]): Promise<Candidate[]> {
  const bodyIds = [...new Set(hits.filter((h) => h.record).map((h) => h.bodyId))];
  const deciders = new Map<string, Awaited<ReturnType<typeof audiencesFor>>>();
  for (const bodyId of bodyIds) {
    // Every kind and round asks: the request's one read of the user's memberships answers (ADR 040).
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

/**
 * Kinds shown newest meeting first also name the bodies on the meeting (the same body as
 * the record's): so one body's rows can be walked in that order by `meetings_body_start_idx`
 * and the walk stops at the page (see `DENSE`).
 */
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

async function searchAgenda(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  const matching = everyTerm("agenda", agendaItems.id, terms, sources, bodyIds);
  if (!matching) return NOTHING;
  const rows = await db()
    .select({ id: agendaItems.id, bodyId: agendaItems.bodyId, title: agendaItems.title, description: agendaItems.description, status: agendaItems.status, marking: agendaItems.marking, proposedBy: agendaItems.proposedBy, leadDelegationId: agendaItems.leadDelegationId, ...meetingColumns })
    .from(agendaItems)
    .innerJoin(meetings, eq(meetings.id, agendaItems.meetingId))
    .where(and(inArray(agendaItems.bodyId, bodyIds), inArray(meetings.bodyId, bodyIds), matching))
    .orderBy(desc(meetings.startsAt), agendaItems.position, agendaItems.id)
    .limit(limit)
    .offset(offset);
  const hits = rows.flatMap((r) => {
    const plain = flattenedOnce(r.description);
    // A title holding every term matches whatever the description says: its rich text is then flattened only if the hit is shown.
    if (!containsAll(r.title, terms) && !containsAll(`${r.title}\n${plain()}`, terms)) return [];
    return [{ kind: "agenda" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/agenda#item-${r.id}`, title: r.title, ref: null, plain, status: r.status, marking: r.marking, meeting: meetingOf(r), record: agendaRecord(r), audienceMeetingId: r.meetingId }];
  });
  return { hits, read: rows.length };
}

/** Minutes and the decisions in them are read under the minutes' own marking, by the meeting's audience (as their page is). */
const MINUTES_RECORD: MarkedRecord = { marking: MINUTES_MARKING };

async function searchMinutes(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  // The order first, without the texts: sorting a thousand 40 KB texts to keep 26 would copy them all.
  const matching = everyTerm("minutes", minutes.meetingId, terms, sources, bodyIds);
  if (!matching) return NOTHING;
  const rows = await db()
    .select({ bodyId: minutes.bodyId, status: minutes.status, ...meetingColumns })
    .from(minutes)
    .innerJoin(meetings, eq(meetings.id, minutes.meetingId))
    .where(and(inArray(minutes.bodyId, bodyIds), inArray(meetings.bodyId, bodyIds), matching))
    .orderBy(desc(meetings.startsAt), meetings.id)
    .limit(limit)
    .offset(offset);
  // Then each text's head: a term the head holds is in the text, and the passage shown is cut
  // from the head when it can tell (`snippetOfHead`). Only the texts the head leaves undecided
  // are read whole (moving 26 texts of 40 KB into JavaScript was most of a common word's cost).
  const ids = rows.map((r) => r.meetingId);
  const heads = new Map(ids.length ? (await db().select({ meetingId: minutes.meetingId, head: sql<string>`substr(${minutes.text}, 1, ${sql.raw(String(HEAD))})` }).from(minutes).where(inArray(minutes.meetingId, ids))).map((r) => [r.meetingId, r.head]) : []);
  const texts = new Map<string, string>();
  const snippets = new Map<string, Snippet>();
  const whole: string[] = [];
  for (const [id, head] of heads) {
    // Shorter than HEAD in UTF-16 units is shorter in characters: substr gave the whole text.
    if (head.length < HEAD) texts.set(id, head);
    else {
      const snippet = containsAll(head, terms) ? snippetOfHead(head, terms) : null;
      if (snippet) snippets.set(id, snippet);
      else whole.push(id);
    }
  }
  if (whole.length) for (const r of await db().select({ meetingId: minutes.meetingId, text: minutes.text }).from(minutes).where(inArray(minutes.meetingId, whole))) texts.set(r.meetingId, r.text);
  const hits = rows.flatMap((r) => {
    const snippet = snippets.get(r.meetingId);
    const text = texts.get(r.meetingId) ?? "";
    if (!snippet && !containsAll(text, terms)) return [];
    return [{ kind: "minutes" as const, id: r.meetingId, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/minutes`, title: "", ref: null, plain: () => text, snippet, status: r.status, marking: null, meeting: meetingOf(r), record: MINUTES_RECORD, audienceMeetingId: r.meetingId }];
  });
  return { hits, read: rows.length };
}

/** Characters of a minutes text read first (about 10 KB of Japanese), before the whole if needed. */
const HEAD = 4096;

async function searchDecisions(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  const numbered = (term: string) => {
    const n = /^D(\d{1,6})$/i.exec(term)?.[1];
    return n ? eq(decisions.number, Number(n)) : undefined;
  };
  const matching = everyTerm("decisions", decisions.id, terms, sources, bodyIds, numbered);
  if (!matching) return NOTHING;
  const rows = await db()
    .select({ id: decisions.id, bodyId: decisions.bodyId, number: decisions.number, text: decisions.text, ...meetingColumns })
    .from(decisions)
    .innerJoin(meetings, eq(meetings.id, decisions.meetingId))
    .where(and(inArray(decisions.bodyId, bodyIds), matching))
    .orderBy(desc(decisions.number), decisions.id)
    .limit(limit)
    .offset(offset);
  const hits = rows.flatMap((r) => {
    if (!containsAll(`D${r.number} ${r.text}`, terms)) return [];
    return [{ kind: "decisions" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/minutes#decision-${r.number}`, title: "", ref: r.number, plain: () => r.text, status: "recorded", marking: null, meeting: meetingOf(r), record: MINUTES_RECORD, audienceMeetingId: r.meetingId }];
  });
  return { hits, read: rows.length };
}

async function searchActions(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  const numbered = (term: string) => {
    const n = /^#?(\d{1,6})$/.exec(term)?.[1];
    return n ? eq(actionItems.ref, Number(n)) : undefined;
  };
  const matching = everyTerm("actions", actionItems.id, terms, sources, bodyIds, numbered);
  if (!matching) return NOTHING;
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
    .where(and(inArray(actionItems.bodyId, bodyIds), matching))
    .orderBy(desc(actionItems.ref), actionItems.id)
    .limit(limit)
    .offset(offset);
  const hits = rows.flatMap((r) => {
    const plain = flattenedOnce(r.detail);
    const heading = `#${r.ref} ${r.ref} ${r.title}`;
    if (!containsAll(heading, terms) && !containsAll(`${heading}\n${plain()}`, terms)) return [];
    return [{ kind: "actions" as const, id: r.id, bodyId: r.bodyId, href: `/actions/${r.id}`, title: r.title, ref: r.ref, plain, status: r.status, marking: r.marking, meeting: meetingOf(r), record: actionRecord(r), audienceMeetingId: r.originMeetingId }];
  });
  return { hits, read: rows.length };
}

/** Papers by title and symbol, and by the words of PDF and DOCX files (current versions). */
async function searchPapers(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  const matching = everyTerm("papers", papers.id, terms, sources, bodyIds);
  if (!matching) return NOTHING;
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
    .where(and(inArray(papers.bodyId, bodyIds), inArray(meetings.bodyId, bodyIds), isNull(papers.withdrawnAt), matching))
    .orderBy(desc(meetings.startsAt), papers.number, papers.id)
    .limit(limit)
    .offset(offset);
  const hits = rows.flatMap((r) => {
    const symbol = symbolOf({ bodyNameEn: r.bodyNameEn, prefix: r.symbolPrefix, ordinal: r.ordinal, series: "INF", number: r.number, revision: r.revision });
    if (!containsAll(`${symbol} ${r.title}\n${r.text}`, terms)) return [];
    return [{ kind: "papers" as const, id: r.id, bodyId: r.bodyId, href: `/meetings/${r.meetingId}/agenda#papers-${r.id}`, title: `${symbol} ${r.title}`, ref: null, plain: () => r.text || r.title, status: "", marking: r.marking, meeting: meetingOf(r), record: paperRecord(r), audienceMeetingId: r.meetingId }];
  });
  return { hits, read: rows.length };
}

/**
 * Outcome documents: the title and the live text in its negotiating language, and every
 * language version written for it (so Japanese and Korean words find the document too).
 */
async function searchOutcomes(bodyIds: string[], terms: string[], sources: TermSources, offset: number, limit: number): Promise<Round> {
  const matching = everyTerm("outcomes", outcomeDocuments.id, terms, sources, bodyIds);
  if (!matching) return NOTHING;
  const rows = await db()
    .select({ id: outcomeDocuments.id, bodyId: outcomeDocuments.bodyId, title: outcomeDocuments.title, text: outcomeDocuments.text, status: outcomeDocuments.status, marking: outcomeDocuments.marking, createdBy: outcomeDocuments.createdBy, ...meetingColumns })
    .from(outcomeDocuments)
    .innerJoin(meetings, eq(meetings.id, outcomeDocuments.meetingId))
    .where(and(inArray(outcomeDocuments.bodyId, bodyIds), inArray(meetings.bodyId, bodyIds), matching))
    .orderBy(desc(meetings.startsAt), outcomeDocuments.id)
    .limit(limit)
    .offset(offset);
  const ids = rows.map((r) => r.id);
  const translated = ids.length ? await db().select({ documentId: outcomeTranslations.documentId, text: outcomeTranslations.text }).from(outcomeTranslations).where(inArray(outcomeTranslations.documentId, ids)) : [];
  const versions = new Map<string, string>();
  for (const t of translated) versions.set(t.documentId, `${versions.get(t.documentId) ?? ""}\n${t.text}`);
  const hits = rows.flatMap((r) => {
    const all = `${r.title}\n${r.text}${versions.get(r.id) ?? ""}`;
    if (!containsAll(all, terms)) return [];
    return [{ kind: "outcomes" as const, id: r.id, bodyId: r.bodyId, href: `/outcomes/${r.id}`, title: r.title, ref: null, plain: () => all, status: r.status, marking: r.marking, meeting: meetingOf(r), record: outcomeRecord(r), audienceMeetingId: r.meetingId }];
  });
  return { hits, read: rows.length };
}
