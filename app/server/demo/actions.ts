import { and, asc, eq } from "drizzle-orm";
import type { Database } from "~/lib/db.server";
import { meetingDay, nextMeetingAfter, refreshDueDates } from "~/models/actions/due.server";
import { localParts } from "~/lib/meeting-time.server";
import { actionItemAssignees, actionItemEvents, actionItems, auditEvents, meetings, type ActionStatus, type Marking } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;

interface Step {
  /** Ordinal of the held meeting where the item was reviewed. */
  at: number;
  status: ActionStatus;
  note: string;
}

interface DemoItem {
  title: string;
  detail: string;
  owner: "US" | "JP" | "KR";
  assignees: string[];
  raisedAt: number | null;
  due: { kind: "date"; daysFromNow: number } | { kind: "next_meeting" };
  priority: "low" | "normal" | "high";
  marking: Marking;
  reviews: Step[];
}

const items: DemoItem[] = [
  {
    title: "Share indicators of compromise from the crypto-exchange intrusion campaign",
    detail: "<p>Hashes, wallet addresses and infrastructure observed in the intrusions reported by exchanges in all three countries.</p>",
    owner: "US",
    assignees: ["us.delegate@concord.test"],
    raisedAt: 1,
    due: { kind: "next_meeting" },
    priority: "high",
    marking: "TLP:AMBER",
    reviews: [{ at: 2, status: "done", note: "Shared through the trilateral exchange portal; JP and KR confirmed receipt." }],
  },
  {
    title: "Draft a joint advisory on DPRK IT workers using false identities",
    detail: "<p>A public advisory for employers in the three countries: warning signs, hiring checks, and where to report.</p>",
    owner: "JP",
    assignees: ["jp.delegate@concord.test", "jp.head@concord.test"],
    raisedAt: 1,
    due: { kind: "next_meeting" },
    priority: "high",
    marking: "TLP:GREEN",
    reviews: [
      { at: 2, status: "in_progress", note: "Outline agreed; legal review under way in Tokyo." },
      { at: 3, status: "in_progress", note: "Second draft circulated; awaiting comments from Seoul." },
      { at: 4, status: "in_progress", note: "Comments received; final text to be cleared by all three ministries." },
    ],
  },
  {
    title: "Map laundering routes through cross-chain bridges",
    detail: "<p>Which bridges and over-the-counter brokers the stolen funds pass through, with volumes by quarter.</p>",
    owner: "KR",
    assignees: ["kr.delegate@concord.test"],
    raisedAt: 2,
    due: { kind: "date", daysFromNow: -30 },
    priority: "normal",
    marking: "TLP:AMBER",
    reviews: [{ at: 3, status: "in_progress", note: "Data from two analytics firms obtained; third pending." }],
  },
  {
    title: "Coordinate sanctions designations for two mixing services",
    detail: "<p>Align the timing of designations so that funds cannot be moved between jurisdictions in between.</p>",
    owner: "US",
    assignees: ["us.head@concord.test"],
    raisedAt: 2,
    due: { kind: "next_meeting" },
    priority: "normal",
    marking: "TLP:AMBER+STRICT",
    reviews: [{ at: 3, status: "dropped", note: "Overtaken by the UN panel's designations; no separate action needed." }],
  },
  {
    title: "Establish 24/7 points of contact for incident notification",
    detail: "<p>One duty contact per delegation, reachable at any hour, with a tested call tree.</p>",
    owner: "KR",
    assignees: ["kr.head@concord.test"],
    raisedAt: 3,
    due: { kind: "next_meeting" },
    priority: "high",
    marking: "TLP:GREEN",
    reviews: [{ at: 4, status: "done", note: "Contacts exchanged and a test call completed in all three capitals." }],
  },
  {
    title: "Exchange analysis of the latest exchange heist and its laundering",
    detail: "<p>Timeline of the theft, the laundering chain, and what each government froze.</p>",
    owner: "JP",
    assignees: ["jp.delegate@concord.test"],
    raisedAt: 3,
    due: { kind: "date", daysFromNow: 10 },
    priority: "normal",
    marking: "TLP:RED",
    reviews: [{ at: 4, status: "in_progress", note: "Japanese analysis shared; US and KR contributions expected before the next meeting." }],
  },
  {
    title: "Hold a joint tabletop exercise on a DeFi bridge compromise",
    detail: "<p>A half-day virtual exercise with the incident-response teams of the three countries.</p>",
    owner: "US",
    assignees: ["us.delegate@concord.test", "us.official@concord.test"],
    raisedAt: 4,
    due: { kind: "next_meeting" },
    priority: "normal",
    marking: "TLP:AMBER",
    reviews: [],
  },
  {
    title: "Translate the joint advisory into Japanese and Korean",
    detail: "<p>Both translations cleared by the issuing agencies before publication.</p>",
    owner: "JP",
    assignees: ["jp.official@concord.test"],
    raisedAt: 4,
    due: { kind: "date", daysFromNow: -5 },
    priority: "low",
    marking: "TLP:CLEAR",
    reviews: [],
  },
  {
    title: "Brief virtual-asset service providers on the new laundering typologies",
    detail: "<p>A closed briefing for compliance officers of the main exchanges in Korea.</p>",
    owner: "KR",
    assignees: ["kr.delegate@concord.test", "kr.official@concord.test"],
    raisedAt: 4,
    due: { kind: "next_meeting" },
    priority: "normal",
    marking: "TLP:AMBER",
    reviews: [],
  },
  {
    title: "Assess the spear-phishing campaign against defence researchers",
    detail: "<p>Lures, infrastructure and targeting, compared with the campaign reported last year.</p>",
    owner: "US",
    assignees: ["us.official@concord.test"],
    raisedAt: null,
    due: { kind: "date", daysFromNow: 20 },
    priority: "normal",
    marking: "TLP:AMBER",
    reviews: [],
  },
];

/** Action items in every state across the past meetings, some overdue, one carried through three meetings. */
export async function seedActions(db: Database, accounts: Accounts, now = new Date()) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  const existing = await db.select({ id: actionItems.id }).from(actionItems).where(eq(actionItems.bodyId, bodyId)).limit(1);
  if (existing.length) return;
  const held = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), eq(meetings.status, "held")))
    .orderBy(asc(meetings.startsAt));
  const byOrdinal = new Map(held.map((m) => [m.ordinal, m]));
  const secretariat = userIds["secretariat@concord.test"];
  const day = (offset: number) => localParts(new Date(now.getTime() + offset * 86_400_000), "America/New_York").date;

  for (const [i, spec] of items.entries()) {
    const origin = spec.raisedAt ? byOrdinal.get(spec.raisedAt)! : null;
    const createdAt = origin ? new Date(origin.startsAt.getTime() + 60 * 60_000) : new Date(now.getTime() - 3 * 86_400_000);
    const last = spec.reviews.at(-1);
    const status = last?.status ?? "open";
    const closedAt = status === "done" || status === "dropped" ? new Date(byOrdinal.get(last!.at)!.startsAt.getTime() + 90 * 60_000) : null;
    const creator = userIds[spec.assignees[0]] ?? secretariat;
    // Closed items keep the due date they had when closed: the meeting after the one that raised them.
    const closedDue = closedAt && spec.due.kind === "next_meeting" && origin ? await nextMeetingAfter(db, bodyId, origin.startsAt) : null;
    const [item] = await db
      .insert(actionItems)
      .values({
        bodyId,
        ref: i + 1,
        title: spec.title,
        detail: spec.detail,
        ownerDelegationId: trilateral.delegationIds[spec.owner],
        dueKind: spec.due.kind,
        dueDate: spec.due.kind === "date" ? day(spec.due.daysFromNow) : null,
        dueOn: spec.due.kind === "date" ? day(spec.due.daysFromNow) : closedDue ? meetingDay(closedDue) : null,
        priority: spec.priority,
        status,
        marking: spec.marking,
        originMeetingId: origin?.id ?? null,
        createdBy: creator,
        updatedBy: creator,
        createdAt,
        updatedAt: closedAt ?? createdAt,
        closedAt,
      })
      .returning();
    await db.insert(actionItemAssignees).values(spec.assignees.map((email) => ({ itemId: item.id, userId: userIds[email] })));
    await db.insert(actionItemEvents).values({ itemId: item.id, actorId: creator, kind: "created", meetingId: origin?.id ?? null, statusAfter: "open", at: createdAt });
    let previous: ActionStatus = "open";
    for (const step of spec.reviews) {
      const meeting = byOrdinal.get(step.at)!;
      await db.insert(actionItemEvents).values({
        itemId: item.id,
        actorId: userIds[spec.assignees[0]] ?? secretariat,
        kind: "review",
        meetingId: meeting.id,
        changes: step.status !== previous ? { status: { from: previous, to: step.status } } : null,
        note: step.note,
        statusAfter: step.status,
        at: new Date(meeting.startsAt.getTime() + 80 * 60_000),
      });
      previous = step.status;
    }
    await db.insert(auditEvents).values({ bodyId, actorId: null, action: "action.import", entityType: "action_item", entityId: item.id, after: { ref: item.ref, status }, at: new Date() });
  }
  await db.transaction((tx) => refreshDueDates(tx, bodyId));
}
