import type { JSONContent } from "@tiptap/core";
import { and, asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import type { Database } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import { contentHash, decisionsIn, jsonToHTML, jsonToText, jsonToUpdate } from "~/lib/minutes-doc.server";
import { initialMinutesContent } from "~/models/minutes/content.server";
import { appendUpdate } from "~/models/minutes/store.server";
import { decisions, meetings, minutes, minutesApprovals, minutesRecords, minutesVersions } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;

const notes: Record<number, { paragraphs: string[]; decision: string }> = {
  1: { paragraphs: ["The delegations agreed the body's terms of reference and a quarterly rhythm of meetings."], decision: "The body will meet quarterly, hosted in rotation by the United States, Japan and the Republic of Korea." },
  2: { paragraphs: ["Japan briefed on recent intrusions into cryptocurrency exchanges attributed to DPRK actors."], decision: "The delegations will share indicators of compromise through the trilateral exchange portal within two weeks of detection." },
  3: { paragraphs: ["The Republic of Korea presented the 24/7 point-of-contact proposal; all delegations supported it."], decision: "Each delegation designates a 24/7 point of contact for incident notification." },
  4: { paragraphs: ["The United States reported on the laundering of proceeds through cross-chain bridges.", "佐藤代表団長は、共同注意喚起の最終案を次回会合までに提示すると述べた。", "김민준 대표단장은 가상자산사업자 대상 설명회 개최 계획을 설명하였다."], decision: "The joint advisory on DPRK IT workers will be finalised for clearance at the next meeting." },
};

/** A past meeting's minutes: the agenda skeleton with a few notes and one decision. */
async function contentOf(meetingId: string, ordinal: number): Promise<JSONContent> {
  const base = await initialMinutesContent(meetingId);
  const extra = notes[ordinal];
  if (!extra) return base;
  const text = (t: string) => [{ type: "text", text: t }];
  return {
    ...base,
    content: [
      ...(base.content ?? []),
      ...extra.paragraphs.map((p) => ({ type: "paragraph", content: text(p) })),
      { type: "decision", attrs: { id: `seed-decision-${meetingId}`, number: ordinal }, content: text(extra.decision) },
    ],
  };
}

/**
 * Minutes: adopted for the older held meetings, circulated (awaiting approval) for the
 * latest one, and for the upcoming meeting a draft that opens ready for note-taking.
 */
export async function seedMinutes(db: Database, accounts: Accounts) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  const held = await db
    .select()
    .from(meetings)
    .where(and(eq(meetings.bodyId, bodyId), eq(meetings.status, "held")))
    .orderBy(asc(meetings.startsAt));
  const secretariat = userIds["secretariat@concord.test"];
  for (const [index, meeting] of held.entries()) {
    const [existing] = await db.select().from(minutes).where(eq(minutes.meetingId, meeting.id));
    if (existing) continue;
    const json = await contentOf(meeting.id, meeting.ordinal);
    const update = jsonToUpdate(json);
    await appendUpdate(meeting.id, update, null);
    const latest = index === held.length - 1;
    const after = new Date(meeting.startsAt.getTime() + 3 * 86_400_000);
    const hash = contentHash(json);
    await db.insert(minutes).values({
      meetingId: meeting.id,
      bodyId,
      status: latest ? "circulated" : "adopted",
      circulatedAt: after,
      circulatedBy: secretariat,
      adoptedAt: latest ? null : new Date(after.getTime() + 14 * 86_400_000),
      adoptedBy: latest ? null : secretariat,
      text: jsonToText(json),
      contentHash: hash,
      lastVersionAt: after,
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    const state = Buffer.from(Y.encodeStateAsUpdateV2(doc));
    await db.insert(minutesVersions).values({ meetingId: meeting.id, kind: "circulated", state, contentHash: hash, contributors: [], createdBy: secretariat, at: after });
    for (const d of decisionsIn(json)) {
      await db.insert(decisions).values({ id: d.id!, bodyId, meetingId: meeting.id, number: d.number!, text: d.text, agendaItemId: d.agendaItemId });
    }
    // The latest minutes await two approvals; the others were approved by all and adopted.
    const approving = latest ? (["US"] as const) : (["US", "JP", "KR"] as const);
    for (const code of approving) {
      await db.insert(minutesApprovals).values({ meetingId: meeting.id, delegationId: trilateral.delegationIds[code], userId: userIds[`${code.toLowerCase()}.head@concord.test`], contentHash: hash, at: new Date(after.getTime() + 7 * 86_400_000) });
    }
    if (!latest) {
      const html = await jsonToHTML(json);
      await db.insert(minutesRecords).values({ meetingId: meeting.id, json: JSON.stringify(json), html, text: jsonToText(json), sha256: sha256(html), adoptedBy: secretariat, adoptedAt: new Date(after.getTime() + 14 * 86_400_000) });
      await db.insert(minutesVersions).values({ meetingId: meeting.id, kind: "adopted", state, contentHash: hash, contributors: [], createdBy: secretariat, at: new Date(after.getTime() + 14 * 86_400_000) });
    }
  }
}
