import type { JSONContent } from "@tiptap/core";
import { and, asc, eq } from "drizzle-orm";
import type { Database } from "~/lib/db.server";
import * as Y from "yjs";
import { outcomeContentHash, outcomeDocToJSON, outcomeJsonToText, outcomeJsonToUpdate, sourceParagraphs } from "~/lib/outcome-doc.server";
import { issueHash } from "~/models/outcomes/issue.server";
import { appendOutcomeUpdate } from "~/models/outcomes/store.server";
import { bodies, meetings, outcomeBrackets, outcomeClearances, outcomeDocuments, outcomeIssues, outcomeLanguageVersions, outcomeTranslations, type IssuedVersion } from "#db/schema/index";
import type { seedAccounts } from "~/server/demo/accounts";

type Accounts = Awaited<ReturnType<typeof seedAccounts>>;

/** The hash clearances are tied to, of the text exactly as the live document reads it back. */
function liveHash(update: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, update);
  return outcomeContentHash(outcomeDocToJSON(doc));
}

const text = (t: string, bracket?: { id: string; owner: string; alternatives: string[] }): JSONContent => ({ type: "text", text: t, ...(bracket ? { marks: [{ type: "bracket", attrs: bracket }] } : {}) });
const block = (pid: string, content: JSONContent[], heading = false): JSONContent => ({ type: heading ? "heading" : "paragraph", attrs: heading ? { level: 2, pid } : { pid }, content });

const issued = {
  en: [
    "Joint Statement of the Trilateral Cyber Consultative Body",
    "The United States, Japan and the Republic of Korea met to address the threat posed by the DPRK's malicious cyber activities, including the theft of virtual assets.",
    "The participants condemned the DPRK's theft of virtual assets, which funds its unlawful weapons programmes.",
    "The participants will strengthen information sharing on laundering networks and designate 24/7 points of contact.",
  ],
  ja: [
    "日米韓サイバー協議体共同声明",
    "米国、日本及び大韓民国は、暗号資産の窃取を含む北朝鮮の悪意あるサイバー活動がもたらす脅威に対処するため会合した。",
    "参加者は、北朝鮮の違法な兵器計画の資金源となっている暗号資産の窃取を非難した。",
    "参加者は、資金洗浄ネットワークに関する情報共有を強化し、24時間対応の連絡窓口を指定する。",
  ],
  ko: [
    "한미일 사이버 협의체 공동성명",
    "미국, 일본, 대한민국은 가상자산 탈취를 포함한 북한의 악성 사이버 활동이 제기하는 위협에 대응하기 위해 회합하였다.",
    "참가자들은 북한의 불법 무기 프로그램 자금원이 되는 가상자산 탈취를 규탄하였다.",
    "참가자들은 자금세탁 네트워크에 관한 정보 공유를 강화하고 24시간 연락 창구를 지정한다.",
  ],
};

/**
 * Outcome documents: an issued joint statement of the last meeting with adopted minutes
 * (cleared by all three capitals, in English, Japanese and Korean, all equally authentic,
 * TLP:CLEAR), and for the upcoming meeting a draft joint statement with open brackets of
 * Japan (with an alternative) and of Korea.
 */
export async function seedOutcomes(db: Database, accounts: Accounts) {
  const { trilateral, userIds } = accounts;
  const bodyId = trilateral.body.id;
  await db.update(bodies).set({ symbolPrefix: "TCCB" }).where(eq(bodies.id, bodyId));
  const held = await db.select().from(meetings).where(and(eq(meetings.bodyId, bodyId), eq(meetings.status, "held"))).orderBy(asc(meetings.startsAt));
  const [upcoming] = await db.select().from(meetings).where(and(eq(meetings.bodyId, bodyId), eq(meetings.status, "scheduled"))).orderBy(asc(meetings.startsAt)).limit(1);
  const past = held[held.length - 2];
  const secretariat = userIds["secretariat@concord.test"];

  if (past && !(await db.select().from(outcomeDocuments).where(eq(outcomeDocuments.meetingId, past.id))).length) {
    const json: JSONContent = { type: "doc", content: issued.en.map((t, i) => block(`seed-p${i}`, [text(t)], i === 0)) };
    const update = outcomeJsonToUpdate(json);
    const hash = liveHash(update);
    const at = new Date(past.startsAt.getTime() + 2 * 3_600_000);
    const [doc] = await db
      .insert(outcomeDocuments)
      .values({ bodyId, meetingId: past.id, number: 1, kind: "joint_statement", title: "Joint Statement", marking: "TLP:CLEAR", authenticity: "all", status: "issued", contentHash: hash, text: outcomeJsonToText(json), adoptedAt: at, adoptedHow: "clearance", adoptedHash: hash, issuedAt: new Date(at.getTime() + 86_400_000), createdBy: secretariat })
      .returning();
    await appendOutcomeUpdate(db, doc.id, update, null);
    for (const code of ["US", "JP", "KR"] as const) {
      await db.insert(outcomeClearances).values({ documentId: doc.id, delegationId: trilateral.delegationIds[code], userId: userIds[`${code.toLowerCase()}.head@concord.test`], kind: "cleared", contentHash: hash, at });
    }
    const source = sourceParagraphs(json);
    const versions: Record<string, IssuedVersion> = {};
    for (const language of ["en", "ja", "ko"] as const) {
      versions[language] = { paragraphs: source.map((p, i) => ({ id: p.id!, type: p.type, ...(p.level ? { level: p.level } : {}), text: issued[language][i] })) };
      if (language === "en") continue;
      for (const [i, p] of source.entries()) {
        await db.insert(outcomeTranslations).values({ documentId: doc.id, language, paragraphId: p.id!, text: issued[language][i], sourceHash: p.hash, userId: userIds[`${language === "ja" ? "jp" : "kr"}.delegate@concord.test`], at });
      }
      await db.insert(outcomeLanguageVersions).values({ documentId: doc.id, language, final: true, markedBy: secretariat, markedAt: at });
    }
    await db.insert(outcomeIssues).values({ documentId: doc.id, revision: 0, symbol: `TCCB/${past.ordinal}/OD.1`, versions, sha256: issueHash(versions), issuedBy: secretariat, issuedAt: new Date(at.getTime() + 86_400_000) });
  }

  if (upcoming && !(await db.select().from(outcomeDocuments).where(eq(outcomeDocuments.meetingId, upcoming.id))).length) {
    const jp = { id: "seed-bracket-jp", owner: "JP", alternatives: ["intend to issue"] };
    const kr = { id: "seed-bracket-kr", owner: "KR", alternatives: [] };
    const json: JSONContent = {
      type: "doc",
      content: [
        block("seed-d0", [text("Joint Statement")], true),
        block("seed-d1", [text("The participants reaffirmed their commitment to countering the DPRK's malicious cyber activities.")]),
        block("seed-d2", [text("The participants "), text("will issue", jp), text(" a joint advisory on DPRK IT workers before the next meeting.")]),
        block("seed-d3", [text("They called on virtual asset service providers to "), text("freeze", kr), text(" assets linked to DPRK actors.")]),
      ],
    };
    const [doc] = await db
      .insert(outcomeDocuments)
      .values({ bodyId, meetingId: upcoming.id, number: 1, kind: "joint_statement", title: "Joint Statement", marking: "TLP:AMBER", contentHash: liveHash(outcomeJsonToUpdate(json)), text: outcomeJsonToText(json), createdBy: userIds["us.delegate@concord.test"] })
      .returning();
    await appendOutcomeUpdate(db, doc.id, outcomeJsonToUpdate(json), null);
    await db.insert(outcomeBrackets).values([
      { id: jp.id, documentId: doc.id, delegationId: trilateral.delegationIds.JP, text: "will issue", alternatives: jp.alternatives, createdBy: userIds["jp.delegate@concord.test"] },
      { id: kr.id, documentId: doc.id, delegationId: trilateral.delegationIds.KR, text: "freeze", alternatives: [], createdBy: userIds["kr.delegate@concord.test"] },
    ]);
  }
}
