import { createHash } from "node:crypto";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Database } from "~/lib/db.server";
import { renderPdf } from "~/lib/documents/pdf.server";
import { nextSymbolNumber } from "~/models/core/symbols.server";
import { agendaItems, meetings, paperChunks, paperFiles, papers, participantLists, participants, participantSubmissions, users, type Marking } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;
type Code = "US" | "JP" | "KR";

interface DemoPaper {
  item: string;
  title: string;
  words: string;
  by: string;
  from: Code;
  marking: Marking;
  strict?: Code[];
}

/** Read-ahead papers for the upcoming meeting: one per proposing delegation, under different markings. */
const upcomingPapers: DemoPaper[] = [
  { item: "Joint advisory on DPRK IT workers", title: "Draft joint advisory: DPRK IT workers (clean text)", words: "Indicators of DPRK IT workers applying for remote roles: reused identities, laptop farms, payment routes.", by: "jp.delegate@concord.test", from: "JP", marking: "TLP:GREEN" },
  { item: "Laundering through cross-chain bridges", title: "Cross-chain bridge flows since the last meeting", words: "Volumes through three bridges, the OTC brokers involved and the freezes obtained so far.", by: "kr.delegate@concord.test", from: "KR", marking: "TLP:AMBER" },
  { item: "Tabletop exercise", title: "Exercise scenario outline (US and JP only)", words: "A compromised validator key on a bridge; injects for hour one to hour four; decisions for each capital.", by: "us.delegate@concord.test", from: "US", marking: "TLP:AMBER+STRICT", strict: ["US", "JP"] },
];

/** Who each delegation lists: demo members by e-mail, and one adviser who has no account. */
const lists: Record<Code, Array<{ email?: string; name?: string; title: string; agency: string; role: "head" | "alternate" | "adviser" | "expert" }>> = {
  US: [
    { email: "us.head@concord.test", title: "Deputy Assistant Secretary", agency: "Department of State", role: "head" },
    { email: "us.delegate@concord.test", title: "Senior Cyber Policy Advisor", agency: "Department of the Treasury", role: "alternate" },
    { name: "Alex Morgan", title: "Special Agent", agency: "Federal Bureau of Investigation", role: "expert" },
  ],
  JP: [
    { email: "jp.head@concord.test", title: "Director", agency: "Ministry of Foreign Affairs", role: "head" },
    { email: "jp.delegate@concord.test", title: "Deputy Director", agency: "National Police Agency", role: "expert" },
  ],
  KR: [
    { email: "kr.head@concord.test", title: "Director-General", agency: "Ministry of Foreign Affairs", role: "head" },
    { email: "kr.delegate@concord.test", title: "Senior Analyst", agency: "National Intelligence Service", role: "adviser" },
  ],
};

/**
 * The meeting book of the demo: papers on the upcoming meeting's items (a GREEN draft, an AMBER
 * analysis, an AMBER+STRICT scenario for two delegations), stored in chunk rows as an upload
 * would be; lists of participants for it (US and JP submitted, KR still to come); and for the
 * last held meeting a published list with the roll taken.
 */
export async function seedPapersAndParticipants(db: Database, accounts: Accounts) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  const list = await db.select().from(meetings).where(eq(meetings.bodyId, bodyId)).orderBy(asc(meetings.startsAt));
  const upcoming = list.find((m) => m.status !== "held" && m.status !== "cancelled");
  const lastHeld = [...list].reverse().find((m) => m.status === "held");
  if (upcoming && (await db.select({ id: papers.id }).from(papers).where(eq(papers.meetingId, upcoming.id)).limit(1)).length === 0) {
    const items = await db.select().from(agendaItems).where(eq(agendaItems.meetingId, upcoming.id));
    for (const p of upcomingPapers) {
      const item = items.find((i) => i.title.startsWith(p.item));
      if (!item) continue;
      const bytes = new Uint8Array(await renderPdf({ title: p.title, marking: p.marking, lang: "en", blocks: [{ type: "paragraph", content: [{ text: p.words }] }] }));
      const number = await nextSymbolNumber(db, upcoming.id, "INF");
      const [paper] = await db
        .insert(papers)
        .values({ bodyId, meetingId: upcoming.id, agendaItemId: item.id, number, title: p.title, marking: p.marking, delegationIds: (p.strict ?? []).map((c) => trilateral.delegationIds[c]), delegationId: trilateral.delegationIds[p.from], uploadedBy: userIds[p.by] })
        .returning();
      const [file] = await db
        .insert(paperFiles)
        .values({ bodyId, paperId: paper.id, revision: 0, filename: `${p.title.replace(/[^\w]+/g, "-").toLowerCase()}.pdf`, mediaType: "application/pdf", size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), storage: "database", text: p.words, uploadedBy: userIds[p.by] })
        .returning();
      await db.insert(paperChunks).values({ fileId: file.id, seq: 0, data: Buffer.from(bytes) });
    }
  }
  if (upcoming) await seedLists(db, accounts, upcoming.id, ["US", "JP"], false);
  if (lastHeld) await seedLists(db, accounts, lastHeld.id, ["US", "JP", "KR"], true);
}

async function seedLists(db: Database, accounts: Accounts, meetingId: string, submitted: Code[], publish: boolean) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  if ((await db.select({ id: participants.id }).from(participants).where(eq(participants.meetingId, meetingId)).limit(1)).length) return;
  const secretariat = userIds["secretariat@concord.test"];
  const emails = Object.values(lists).flatMap((l) => l.flatMap((p) => (p.email ? [p.email] : [])));
  const names = new Map((await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, emails.map((e) => userIds[e])))).map((u) => [u.id, u.name]));
  let position = 0;
  const [meeting] = await db.select().from(meetings).where(eq(meetings.id, meetingId));
  for (const code of ["US", "JP", "KR"] as const) {
    const delegationId = trilateral.delegationIds[code];
    const head = userIds[`${code.toLowerCase()}.head@concord.test`];
    for (const p of lists[code]) {
      const userId = p.email ? userIds[p.email] : null;
      await db.insert(participants).values({
        meetingId,
        bodyId,
        delegationId,
        userId,
        name: (userId && names.get(userId)) || p.name!,
        title: p.title,
        agency: p.agency,
        role: p.role,
        position: ++position,
        createdBy: head,
        // The held meeting's roll: everyone present, the US expert from Washington.
        ...(publish ? { attendance: p.name ? ("remote" as const) : ("present" as const), attendanceBy: secretariat, attendanceAt: meeting.startsAt } : {}),
      });
    }
    if (submitted.includes(code)) {
      await db.insert(participantSubmissions).values({ meetingId, delegationId, submittedBy: head, submittedAt: new Date(meeting.startsAt.getTime() - (publish ? 10 : 3) * 86_400_000) });
    }
  }
  if (!publish) return;
  const entries = await db.select().from(participants).where(and(eq(participants.meetingId, meetingId))).orderBy(asc(participants.position));
  await db.insert(participantLists).values({
    meetingId,
    bodyId,
    number: await nextSymbolNumber(db, meetingId, "INF"),
    revision: 0,
    entries: entries.map((e) => ({ delegationId: e.delegationId, userId: e.userId, name: e.name, title: e.title, agency: e.agency, role: e.role })),
    userIds: entries.flatMap((e) => (e.userId ? [e.userId] : [])),
    publishedBy: secretariat,
    publishedAt: new Date(meeting.startsAt.getTime() - 7 * 86_400_000),
  });
}
