import { asc, eq } from "drizzle-orm";
import { generateKeyBetween } from "fractional-indexing";
import type { Database } from "~/lib/db.server";
import { agendaHash, ensureAgenda, listAgendaItems } from "~/models/agenda/agenda.server";
import { agendaConcurrences, agendaItems, agendas, meetings, standingItems, type Marking } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;

/** The Trilateral body's standing items: every new agenda starts with them. */
export async function seedStandingItems(db: Database, accounts: Accounts) {
  const bodyId = accounts.trilateral.body.id;
  const [existing] = await db.select({ id: standingItems.id }).from(standingItems).where(eq(standingItems.bodyId, bodyId)).limit(1);
  if (existing) return;
  const first = generateKeyBetween(null, null);
  await db.insert(standingItems).values([
    { bodyId, position: first, title: "Threat landscape: DPRK cyber activity since the last meeting", kind: "information", minutes: 20, marking: "TLP:AMBER" },
    { bodyId, position: generateKeyBetween(first, null), title: "Cryptocurrency theft and laundering: cases and countermeasures", kind: "discussion", minutes: 25, marking: "TLP:AMBER" },
  ]);
}

interface Proposal {
  title: string;
  description: string;
  kind: "information" | "discussion" | "decision";
  lead: "US" | "JP" | "KR";
  presenter: string;
  minutes: number;
  marking: Marking;
}

const upcoming: Proposal[] = [
  { title: "Joint advisory on DPRK IT workers: final text for clearance", description: "<p>The text agreed at working level, for each delegation to clear.</p>", kind: "decision", lead: "JP", presenter: "jp.head@concord.test", minutes: 20, marking: "TLP:GREEN" },
  { title: "Laundering through cross-chain bridges: findings", description: "<p>Routes, volumes and the brokers involved, from three analytics firms.</p>", kind: "discussion", lead: "KR", presenter: "kr.delegate@concord.test", minutes: 15, marking: "TLP:AMBER" },
  { title: "Tabletop exercise on a DeFi bridge compromise: scenario and dates", description: "<p>Proposal for a half-day virtual exercise next quarter.</p>", kind: "decision", lead: "US", presenter: "us.delegate@concord.test", minutes: 10, marking: "TLP:AMBER" },
];

const pastItems: Proposal[] = [
  { title: "Information-sharing arrangements between the three CERTs", description: "", kind: "discussion", lead: "US", presenter: "us.head@concord.test", minutes: 20, marking: "TLP:GREEN" },
];

/**
 * Agendas: locked, concurred ones for the held meetings, and for the upcoming meeting a draft
 * with items proposed by each delegation, which nobody can concur with until they are agreed
 * (and the agenda fits the meeting).
 */
export async function seedAgendas(db: Database, accounts: Accounts, now = new Date()) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  const list = await db.select().from(meetings).where(eq(meetings.bodyId, bodyId)).orderBy(asc(meetings.startsAt));
  for (const meeting of list) {
    if (meeting.status === "cancelled") continue;
    const agenda = await db.transaction((tx) => ensureAgenda(tx, meeting));
    const items = await listAgendaItems(db, meeting.id);
    if (items.some((i) => i.proposedBy)) continue;
    const proposals = meeting.status === "held" ? pastItems : upcoming;
    // Proposed items go before the review of action items, which closes every agenda.
    const review = items.find((i) => i.special === "action_review")!;
    const beforeReview = items[items.indexOf(review) - 1];
    let position = beforeReview.position;
    for (const p of proposals) {
      position = generateKeyBetween(position, review.position);
      await db.insert(agendaItems).values({
        meetingId: meeting.id,
        bodyId,
        position,
        title: p.title,
        description: p.description,
        kind: p.kind,
        leadDelegationId: trilateral.delegationIds[p.lead],
        presenterId: userIds[p.presenter],
        minutes: p.minutes,
        marking: p.marking,
        status: meeting.status === "held" ? "agreed" : "proposed",
        proposedBy: userIds[p.presenter],
        updatedBy: userIds[p.presenter],
      });
    }
    const hash = agendaHash(agenda, await listAgendaItems(db, meeting.id));
    const heads = meeting.status === "held" ? (["US", "JP", "KR"] as const) : ([] as const);
    for (const code of heads) {
      await db.insert(agendaConcurrences).values({
        meetingId: meeting.id,
        delegationId: trilateral.delegationIds[code],
        userId: userIds[`${code.toLowerCase()}.head@concord.test`],
        agendaHash: hash,
        agendaVersion: agenda.version,
        at: meeting.status === "held" ? new Date(meeting.startsAt.getTime() - 7 * 86_400_000) : now,
      });
    }
    if (meeting.status === "held") {
      await db.update(agendas).set({ lockedAt: new Date(meeting.startsAt.getTime() - 5 * 86_400_000), lockedBy: userIds["secretariat@concord.test"] }).where(eq(agendas.meetingId, meeting.id));
    }
  }
}
