import { and, eq, like, sql } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, bodies, outboxMessages, outcomeDocuments, outcomeSilences, outcomeTranslations } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { connectMinutes, type MinutesClient } from "#tests/support/collab-client";
import { bracket, paragraphWith, textContaining } from "#tests/support/outcome-doc";
import { shutdownCollab } from "~/server/collab.server";
import { db } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { createMeeting } from "~/models/meetings/meetings.server";
import { outcomeFile, publicOutcomeFile } from "~/models/outcomes/export.server";
import { getPublicOutcome, issueOutcome, setPublicAddress, startRevision } from "~/models/outcomes/issue.server";
import { chooseBracketText, clearOutcome, createOutcome, editBracket, getOutcomePage, listOutcomes, updateOutcomeSettings, withdrawBracket } from "~/models/outcomes/outcomes.server";
import { breakSilence, runDueSilences, startSilence } from "~/models/outcomes/silence.server";
import { getTranslationPage, markVersionFinal, saveTranslations } from "~/models/outcomes/translations.server";
import { withOutcomeDocument } from "~/models/outcomes/live.server";
import { listenForCollab } from "../support/collab-server";

/**
 * Every rule of outcome documents, through the model functions the pages call, against the
 * real collaboration server (clients write the text; the models read it live).
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let url: string;
let cast: Awaited<ReturnType<typeof createCast>>;
let heads: Record<"US" | "JP" | "KR", Awaited<ReturnType<typeof createMember>>>;
let delegates: Record<"JP" | "KR", Awaited<ReturnType<typeof createMember>>>;
let meetingId: string;
const clients: MinutesClient[] = [];

beforeAll(async () => {
  cast = await createCast();
  await db().update(bodies).set({ symbolPrefix: "TCCB" }).where(eq(bodies.id, cast.body.body.id));
  heads = { US: cast.head, JP: await createMember(cast.body, "head", "JP"), KR: await createMember(cast.body, "head", "KR") };
  delegates = { JP: await createMember(cast.body, "delegate", "JP"), KR: await createMember(cast.body, "delegate", "KR") };
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "5", date: `${new Date().getUTCFullYear() + 1}-03-10`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  url = collab.url;
});

afterAll(async () => {
  for (const c of clients) c.close();
  await shutdownCollab();
  await collab.close();
});

async function writer(userId: string, documentId: string) {
  const c = connectMinutes({ url, cookie: await cookieFor(userId), meetingId: "", documentName: `outcome:${documentId}` });
  clients.push(c);
  await c.whenSynced();
  return c;
}

/** A document whose text is written by JP's delegate, with a JP bracket offering one alternative. */
async function draft(options: { bracketed?: boolean; marking?: string } = {}) {
  const doc = await createOutcome({ actor: cast.delegate.actor, input: { meetingId, title: "Joint statement", kind: "joint_statement", marking: options.marking ?? "TLP:AMBER" } });
  const jp = await writer(delegates.JP.user.id, doc.id);
  paragraphWith(jp.doc, "Trilateral statement");
  const text = paragraphWith(jp.doc, "The participants condemned the theft of virtual assets.");
  if (options.bracketed !== false) bracket(text, "condemned", { id: `b-${doc.id}`, owner: "JP", alternatives: ["strongly condemned"] });
  await jp.whenAcknowledged();
  jp.close();
  return doc;
}

const hashOf = async (documentId: string) => (await getOutcomePage({ actor: cast.secretariat.actor, documentId })).hash;
const clearAll = async (documentId: string, kind = "cleared") => {
  let result = { adopted: false };
  for (const h of Object.values(heads)) result = await clearOutcome({ actor: h.actor, input: { documentId, kind, hash: await hashOf(documentId) } });
  return result;
};
const resolveBracket = async (documentId: string) => {
  for (const d of [cast.delegate, delegates.KR]) await chooseBracketText({ actor: d.actor, input: { documentId, bracketId: `b-${documentId}`, option: "1" } });
};
const count = async (action: string, entityId: string) => (await db().select({ n: sql<number>`count(*)` }).from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.entityId, entityId))))[0].n;

describe("outcome documents of a meeting", () => {
  it("are numbered in the body's series and created by delegates, never by officials or outsiders", async () => {
    await expect(createOutcome({ actor: cast.official.actor, input: { meetingId, title: "x", kind: "readout" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createOutcome({ actor: cast.outsider.actor, input: { meetingId, title: "x", kind: "readout" } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(createOutcome({ actor: cast.delegate.actor, input: { meetingId, title: "", kind: "memo" } })).rejects.toMatchObject({ fieldErrors: { title: expect.anything(), kind: expect.anything() } });
    const first = await createOutcome({ actor: cast.delegate.actor, input: { meetingId, title: "Readout", kind: "readout" } });
    const second = await createOutcome({ actor: cast.secretariat.actor, input: { meetingId, title: "Chair's summary", kind: "chairs_summary" } });
    const list = await listOutcomes({ actor: cast.official.actor, meetingId });
    const symbols = list.documents.map((d) => d.symbol);
    expect(symbols).toContain(`TCCB/5/OD.${first.number}`);
    expect(second.number).toBe(first.number + 1);
  });
});

describe("the body's document series", () => {
  it("is set by the secretariat only, validated, audited, and used in every symbol", async () => {
    const { setSymbolPrefix } = await import("~/models/people/bodies.server");
    const bodyId = cast.body.body.id;
    await expect(setSymbolPrefix({ actor: heads.US.actor, input: { bodyId, symbolPrefix: "XX" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(setSymbolPrefix({ actor: cast.outsider.actor, input: { bodyId, symbolPrefix: "XX" } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(setSymbolPrefix({ actor: cast.secretariat.actor, input: { bodyId, symbolPrefix: "T/C" } })).rejects.toMatchObject({ fieldErrors: { symbolPrefix: expect.anything() } });
    await setSymbolPrefix({ actor: cast.secretariat.actor, input: { bodyId, symbolPrefix: "tccb-x" } });
    expect((await listOutcomes({ actor: cast.official.actor, meetingId })).prefix).toBe("TCCB-X");
    expect(await count("body.symbolPrefix", bodyId)).toBe(1);
    await setSymbolPrefix({ actor: cast.secretariat.actor, input: { bodyId, symbolPrefix: "TCCB" } });
  });
});

describe("brackets", () => {
  it("are resolved when every delegation accepts the same text, which replaces the bracket unbracketed", async () => {
    const doc = await draft();
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.brackets).toHaveLength(1);
    expect(page.brackets[0]).toMatchObject({ owner: "JP", text: "condemned", alternatives: ["strongly condemned"] });
    // JP counts as accepting its own alternative; the US accepts it too, KR still has to.
    await expect(chooseBracketText({ actor: cast.official.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}`, option: "1" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(chooseBracketText({ actor: cast.secretariat.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}`, option: "1" } })).rejects.toBeInstanceOf(ForbiddenError);
    expect((await chooseBracketText({ actor: cast.delegate.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}`, option: "1" } })).resolved).toBeNull();
    expect((await chooseBracketText({ actor: heads.KR.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}`, option: "1" } })).resolved).toBe("strongly condemned");
    const after = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(after.brackets).toHaveLength(0);
    expect(after.paragraphs.map((p) => p.text)).toContain("The participants strongly condemned the theft of virtual assets.");
    expect(after.html).not.toContain("data-bracket");
    expect(await count("outcome.bracket.resolve", doc.id)).toBe(1);
  });

  it("can be withdrawn only by their owner, keeping the words", async () => {
    const doc = await draft();
    await expect(withdrawBracket({ actor: delegates.KR.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}` } })).rejects.toMatchObject({ fieldErrors: { bracketId: [{ key: "outcomes:errors.notYourBracket" }] } });
    await withdrawBracket({ actor: heads.JP.actor, input: { documentId: doc.id, bracketId: `b-${doc.id}` } });
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.brackets).toHaveLength(0);
    expect(page.paragraphs.map((p) => p.text)).toContain("The participants condemned the theft of virtual assets.");
  });

  it("are edited in place by their owner only: new alternatives in the live text, kept choices renumbered, dropped ones void", async () => {
    const doc = await draft();
    const bracketId = `b-${doc.id}`;
    // KR accepts JP's alternative "strongly condemned"; the US accepts the bracketed words.
    await chooseBracketText({ actor: delegates.KR.actor, input: { documentId: doc.id, bracketId, option: "1", text: "strongly condemned" } });
    await chooseBracketText({ actor: cast.delegate.actor, input: { documentId: doc.id, bracketId, option: "0" } });
    const input = { documentId: doc.id, bracketId, alternatives: "firmly condemned\nstrongly condemned" };
    for (const actor of [delegates.KR.actor, heads.US.actor, cast.secretariat.actor, cast.official.actor]) {
      await expect(editBracket({ actor, input })).rejects.toSatisfy((e) => e instanceof ForbiddenError || (e instanceof ValidationError && JSON.stringify(e.fieldErrors).includes("notYourBracket")));
    }
    const tooMany = { ...input, alternatives: "a\nb\nc\nd\ne\nf" };
    await expect(editBracket({ actor: delegates.JP.actor, input: tooMany })).rejects.toMatchObject({ fieldErrors: { alternatives: [{ key: "outcomes:errors.tooManyAlternatives" }] } });
    await expect(editBracket({ actor: delegates.JP.actor, input: { ...input, alternatives: "x".repeat(2001) } })).rejects.toMatchObject({ fieldErrors: { alternatives: [{ key: "outcomes:errors.alternativeTooLong" }] } });
    expect(await count("outcome.bracket.edit", doc.id)).toBe(0);

    expect(await editBracket({ actor: heads.JP.actor, input })).toEqual({ changed: true });
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.brackets[0]).toMatchObject({ id: bracketId, owner: "JP", text: "condemned", alternatives: ["firmly condemned", "strongly condemned"] });
    const choice = (code: "US" | "JP" | "KR") => page.brackets[0].choices.find((c) => c.delegationId === cast.body.delegations[code].id)?.option;
    expect(choice("KR"), "KR's choice follows its text to its new place").toBe(2);
    expect(choice("US")).toBe(0);
    expect(choice("JP"), "the owner proposes its first alternative").toBe(1);
    expect(await count("outcome.bracket.edit", doc.id)).toBe(1);
    // A page drawn before the edit offered "strongly condemned" as option 1: that choice is refused, not misread.
    await expect(chooseBracketText({ actor: delegates.KR.actor, input: { documentId: doc.id, bracketId, option: "1", text: "strongly condemned" } })).rejects.toBeInstanceOf(ConflictError);

    // Dropping an alternative voids the choices of it.
    await editBracket({ actor: delegates.JP.actor, input: { ...input, alternatives: "firmly condemned" } });
    const dropped = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(dropped.brackets[0].alternatives).toEqual(["firmly condemned"]);
    expect(dropped.brackets[0].choices.find((c) => c.delegationId === cast.body.delegations.KR.id)?.option).toBeNull();
    // Everyone now accepts "firmly condemned": the edited bracket resolves like any other.
    await chooseBracketText({ actor: delegates.KR.actor, input: { documentId: doc.id, bracketId, option: "1", text: "firmly condemned" } });
    expect((await chooseBracketText({ actor: cast.delegate.actor, input: { documentId: doc.id, bracketId, option: "1" } })).resolved).toBe("firmly condemned");
    const resolved = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(resolved.paragraphs.map((p) => p.text)).toContain("The participants firmly condemned the theft of virtual assets.");
    await expect(editBracket({ actor: heads.JP.actor, input })).rejects.toMatchObject({ fieldErrors: { bracketId: [{ key: "outcomes:errors.bracketGone" }] } });
  });

  it("make clearing, silence and agreement impossible while one is open", async () => {
    const doc = await draft();
    const hash = await hashOf(doc.id);
    await expect(clearOutcome({ actor: heads.US.actor, input: { documentId: doc.id, kind: "cleared", hash } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.openBrackets" }] } });
    await expect(startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: "2099-01-01", time: "10:00", timeZone: "UTC" } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.openBrackets" }] } });
    expect((await getOutcomePage({ actor: cast.official.actor, documentId: doc.id })).document.status).toBe("negotiating");
  });
});

describe("clearance by each capital", () => {
  it("is for heads of their own delegation, tied to the exact text; a change voids it visibly; all cleared adopts", async () => {
    const doc = await draft({ bracketed: false });
    const hash = await hashOf(doc.id);
    await expect(clearOutcome({ actor: cast.delegate.actor, input: { documentId: doc.id, kind: "cleared", hash } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(clearOutcome({ actor: cast.secretariat.actor, input: { documentId: doc.id, kind: "cleared", hash } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(clearOutcome({ actor: heads.US.actor, input: { documentId: doc.id, kind: "cleared", hash: "stale" } })).rejects.toBeInstanceOf(ConflictError);
    await clearOutcome({ actor: heads.US.actor, input: { documentId: doc.id, kind: "cleared", hash } });
    await clearOutcome({ actor: heads.JP.actor, input: { documentId: doc.id, kind: "ad_referendum", hash } });
    let page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.clearances.map((c) => c.state)).toEqual(["cleared", "ad_referendum", "pending"]);
    // Any change voids what was cleared.
    const kr = await writer(delegates.KR.user.id, doc.id);
    textContaining(kr.doc, "virtual assets").insert(0, "Today ");
    await kr.whenAcknowledged();
    kr.close();
    page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.clearances.map((c) => c.state)).toEqual(["stale", "stale", "pending"]);
    // Ad referendum alone does not adopt; every capital clearing does.
    expect((await clearAll(doc.id, "ad_referendum")).adopted).toBe(false);
    expect((await clearAll(doc.id)).adopted).toBe(true);
    page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.document).toMatchObject({ status: "adopted", adoptedHow: "clearance" });
    expect(page.can.write).toBe(false);
    expect(await count("outcome.adopt.clearance", doc.id)).toBe(1);
  });
});

describe("the silence procedure", () => {
  it("is started only by the secretariat, with a deadline in the future that exists in its zone", async () => {
    const doc = await draft({ bracketed: false });
    const input = { documentId: doc.id, date: "2099-01-01", time: "10:00", timeZone: "Asia/Tokyo" };
    await expect(startSilence({ actor: heads.US.actor, input })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(startSilence({ actor: cast.secretariat.actor, input: { ...input, date: "2020-01-01" } })).rejects.toMatchObject({ fieldErrors: { date: [{ key: "outcomes:errors.deadlinePast" }] } });
    await expect(startSilence({ actor: cast.secretariat.actor, input: { ...input, date: "2099-03-08", time: "02:30", timeZone: "America/New_York" } })).rejects.toMatchObject({ fieldErrors: { time: [{ key: "outcomes:errors.deadlineGap" }] } });
    await expect(startSilence({ actor: cast.secretariat.actor, input: { ...input, timeZone: "Mars/Olympus" } })).rejects.toBeInstanceOf(ValidationError);
    expect((await db().select().from(outcomeSilences).where(eq(outcomeSilences.documentId, doc.id))).length).toBe(0);
    await startSilence({ actor: cast.secretariat.actor, input });
    const page = await getOutcomePage({ actor: heads.KR.actor, documentId: doc.id });
    expect(page.document.status).toBe("silence");
    expect(page.can).toMatchObject({ write: false, breakSilence: true });
    const mails = await db().select().from(outboxMessages).where(and(eq(outboxMessages.kind, "outcome.silenceStarted"), like(outboxMessages.subject, "%TCCB/5/OD.%")));
    expect(mails.length).toBeGreaterThanOrEqual(4); // three heads and the secretariat
    expect(mails.find((m) => m.toEmail === heads.JP.user.email)?.text).toMatch(/Tokyo|東京/);
  });

  it("is broken by a head with a reason, which reopens negotiation; a delegate cannot break it", async () => {
    const doc = await draft({ bracketed: false });
    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: "2099-01-01", time: "10:00", timeZone: "UTC" } });
    await expect(breakSilence({ actor: delegates.KR.actor, input: { documentId: doc.id, reason: "no" } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(breakSilence({ actor: heads.KR.actor, input: { documentId: doc.id, reason: " " } })).rejects.toMatchObject({ fieldErrors: { reason: expect.anything() } });
    await breakSilence({ actor: heads.KR.actor, input: { documentId: doc.id, reason: "Seoul needs another day" } });
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.document.status).toBe("negotiating");
    expect(page.silence).toMatchObject({ status: "broken", reason: "Seoul needs another day", brokenDelegationId: cast.body.delegations.KR.id });
    // A deadline passing after the break adopts nothing.
    expect((await runDueSilences({ now: new Date("2099-01-02T00:00:00Z") })).adopted).not.toContain(doc.id);
  });

  it("adopts at the deadline exactly once, whichever of several runners gets there", async () => {
    const doc = await draft({ bracketed: false });
    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: "2098-06-01", time: "10:00", timeZone: "Asia/Seoul" } });
    const deadline = new Date("2098-06-01T01:00:00Z");
    expect((await runDueSilences({ now: new Date(deadline.getTime() - 1000) })).adopted).not.toContain(doc.id);
    const after = new Date(deadline.getTime() + 1000);
    const runs = await Promise.all([runDueSilences({ now: after }), runDueSilences({ now: after }), runDueSilences({ now: after })]);
    expect(runs.flatMap((r) => r.adopted).filter((id) => id === doc.id)).toHaveLength(1);
    expect((await runDueSilences({ now: new Date(after.getTime() + 120_000) })).adopted).not.toContain(doc.id);
    expect(await count("outcome.adopt.silence", doc.id)).toBe(1);
    const [row] = await db().select().from(outcomeDocuments).where(eq(outcomeDocuments.id, doc.id));
    expect(row).toMatchObject({ status: "adopted", adoptedHow: "silence" });
    const adoptedMails = await db().select().from(outboxMessages).where(and(eq(outboxMessages.kind, "outcome.adopted"), like(outboxMessages.subject, `%OD.${doc.number}%`)));
    expect(adoptedMails).toHaveLength(4);
  });

  it("shows clearances given during silence, and ends early when every delegation has cleared", async () => {
    const doc = await draft({ bracketed: false });
    await startSilence({ actor: cast.secretariat.actor, input: { documentId: doc.id, date: "2099-01-01", time: "10:00", timeZone: "UTC" } });
    await clearOutcome({ actor: heads.JP.actor, input: { documentId: doc.id, kind: "cleared", hash: await hashOf(doc.id) } });
    expect((await getOutcomePage({ actor: cast.official.actor, documentId: doc.id })).clearances.find((c) => c.delegationId === cast.body.delegations.JP.id)).toMatchObject({ state: "cleared", duringSilence: true });
    expect((await clearAll(doc.id)).adopted).toBe(true);
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.document.status).toBe("adopted");
    expect(page.silence?.status).toBe("cleared");
  });
});

describe("parallel texts and issue", () => {
  it("are written by the language's delegation, go stale when the source changes, and refuse a vanished paragraph", async () => {
    const doc = await draft({ bracketed: false });
    const page = await getTranslationPage({ actor: delegates.JP.actor, documentId: doc.id, language: "ja" });
    const [title, body] = page.paragraphs.filter((p) => p.text);
    const ja = [
      { id: title.id!, text: "日米韓声明", hash: title.hash },
      { id: body.id!, text: "参加者は暗号資産の窃取を非難した。", hash: body.hash },
    ];
    await expect(saveTranslations({ actor: delegates.KR.actor, input: { documentId: doc.id, language: "ja", paragraphs: ja } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveTranslations({ actor: delegates.JP.actor, input: { documentId: doc.id, language: "ja", paragraphs: [...ja, { id: "gone", text: "x", hash: "y" }] } })).rejects.toMatchObject({ fieldErrors: { "text.gone": [{ key: "outcomes:errors.paragraphGone" }] } });
    expect(await db().select().from(outcomeTranslations).where(eq(outcomeTranslations.documentId, doc.id))).toHaveLength(0);
    await saveTranslations({ actor: delegates.JP.actor, input: { documentId: doc.id, language: "ja", paragraphs: ja } });
    expect((await getTranslationPage({ actor: cast.official.actor, documentId: doc.id, language: "ja" })).paragraphs.filter((p) => p.text).map((p) => p.state)).toEqual(["current", "current"]);
    // The source changes: that paragraph's translation is stale, and cannot be marked final.
    await withOutcomeDocument(doc.id, (d) => textContaining(d, "virtual assets").insert(0, "Today "));
    const stale = await getTranslationPage({ actor: cast.official.actor, documentId: doc.id, language: "ja" });
    expect(stale.paragraphs.filter((p) => p.text).map((p) => p.state)).toEqual(["current", "stale"]);
    await expect(saveTranslations({ actor: delegates.JP.actor, input: { documentId: doc.id, language: "ja", paragraphs: [ja[1]] } })).rejects.toBeInstanceOf(ConflictError);
    await expect(markVersionFinal({ actor: heads.JP.actor, input: { documentId: doc.id, language: "ja", final: "1" } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.versionIncomplete" }] } });
    await expect(markVersionFinal({ actor: heads.KR.actor, input: { documentId: doc.id, language: "ja", final: "1" } })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("issue an adopted document with every version final: frozen, hashed, exported with symbol and status, public only when CLEAR", async () => {
    const doc = await draft({ marking: "TLP:CLEAR" });
    await resolveBracket(doc.id);
    await expect(issueOutcome({ actor: cast.secretariat.actor, input: { documentId: doc.id } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.notAdopted" }] } });
    await updateOutcomeSettings({ actor: cast.secretariat.actor, input: { documentId: doc.id, authenticity: "all", marking: "TLP:CLEAR", title: "Joint statement" } });
    expect((await clearAll(doc.id)).adopted).toBe(true);
    await expect(issueOutcome({ actor: cast.secretariat.actor, input: { documentId: doc.id } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.versionNotFinal" }] } });
    for (const [language, who, words] of [["ja", delegates.JP, ["日米韓声明", "参加者は暗号資産の窃取を強く非難した。"]], ["ko", delegates.KR, ["한미일 성명", "참가자들은 가상자산 탈취를 강력히 규탄했다."]]] as const) {
      const page = await getTranslationPage({ actor: who.actor, documentId: doc.id, language });
      const source = page.paragraphs.filter((p) => p.text);
      await saveTranslations({ actor: who.actor, input: { documentId: doc.id, language, paragraphs: source.map((p, i) => ({ id: p.id!, text: words[i], hash: p.hash })) } });
      await markVersionFinal({ actor: cast.secretariat.actor, input: { documentId: doc.id, language, final: "1" } });
    }
    const pdfBefore = await outcomeFile({ actor: cast.official.actor, documentId: doc.id, language: "en", format: "pdf" });
    const parser = new PDFParse({ data: new Uint8Array(pdfBefore.content) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("Adopted");
    expect(text).toContain(`TCCB/5/OD.${doc.number}`);
    expect(text).toContain("strongly condemned");
    expect(text).not.toMatch(/\[.*condemned/);
    await issueOutcome({ actor: cast.secretariat.actor, input: { documentId: doc.id } });
    const page = await getOutcomePage({ actor: cast.official.actor, documentId: doc.id });
    expect(page.document.status).toBe("issued");
    expect(page.issue?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Object.keys(page.issue!.versions).sort()).toEqual(["en", "ja", "ko"]);
    const docx = await outcomeFile({ actor: cast.official.actor, documentId: doc.id, language: "ko", format: "docx" });
    const { value } = await mammoth.extractRawText({ buffer: docx.content });
    expect(value).toContain("가상자산 탈취를 강력히 규탄했다");
    expect(value).toContain(page.issue!.sha256);
    // The public address: off by default, on by the secretariat, revocable.
    await expect(setPublicAddress({ actor: heads.US.actor, input: { documentId: doc.id, public: "1" } })).rejects.toBeInstanceOf(ForbiddenError);
    const { token } = await setPublicAddress({ actor: cast.secretariat.actor, input: { documentId: doc.id, public: "1" } });
    const visible = await getPublicOutcome(token!);
    expect(visible.issue.versions.ja.paragraphs.map((p) => p.text)).toContain("日米韓声明");
    expect(JSON.stringify(visible)).not.toContain(cast.secretariat.user.email);
    expect((await publicOutcomeFile({ token: token!, language: "ja", format: "pdf" })).content.length).toBeGreaterThan(1000);
    await setPublicAddress({ actor: cast.secretariat.actor, input: { documentId: doc.id, public: "0" } });
    await expect(getPublicOutcome(token!)).rejects.toBeInstanceOf(NotFoundError);
    // A revision reopens negotiation under …/Rev.1.
    await startRevision({ actor: cast.secretariat.actor, input: { documentId: doc.id, reason: "Typo in the Korean text" } });
    expect((await getOutcomePage({ actor: cast.official.actor, documentId: doc.id })).symbol).toBe(`TCCB/5/OD.${doc.number}/Rev.1`);
  });

  it("keep an AMBER document off the public address and away from outsiders", async () => {
    const doc = await draft({ bracketed: false });
    await expect(getOutcomePage({ actor: cast.outsider.actor, documentId: doc.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(outcomeFile({ actor: cast.outsider.actor, documentId: doc.id, language: "en", format: "pdf" })).rejects.toBeInstanceOf(NotFoundError);
    await expect(setPublicAddress({ actor: cast.secretariat.actor, input: { documentId: doc.id, public: "1" } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "outcomes:errors.notIssued" }] } });
    await expect(getPublicOutcome("x".repeat(43))).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("search", () => {
  it("finds outcome documents by their text in English, Japanese and Korean, and never for outsiders", async () => {
    const { search } = await import("~/models/search/search.server");
    const doc = await draft({ bracketed: false });
    // The search text is kept current each time the server stores the document (as after typing stops).
    const { afterOutcomeStored } = await import("~/models/outcomes/collab.server");
    const { loadOutcomeDoc } = await import("~/models/outcomes/store.server");
    await afterOutcomeStored(doc.id, await loadOutcomeDoc(doc.id));
    const page = await getTranslationPage({ actor: delegates.JP.actor, documentId: doc.id, language: "ja" });
    const body = page.paragraphs.filter((p) => p.text)[1];
    await saveTranslations({ actor: delegates.JP.actor, input: { documentId: doc.id, language: "ja", paragraphs: [{ id: body.id!, text: "参加者は暗号資産の窃取を非難した。", hash: body.hash }] } });
    const ko = await getTranslationPage({ actor: delegates.KR.actor, documentId: doc.id, language: "ko" });
    const koBody = ko.paragraphs.filter((p) => p.text)[1];
    await saveTranslations({ actor: delegates.KR.actor, input: { documentId: doc.id, language: "ko", paragraphs: [{ id: koBody.id!, text: "참가자들은 가상자산 탈취를 규탄했다.", hash: koBody.hash }] } });
    for (const q of ["theft virtual", "暗号資産の窃取", "가상자산 탈취"]) {
      const result = await search({ actor: cast.official.actor, input: { q, kind: "outcomes" } });
      expect(result.hits.outcomes.map((h) => h.id), q).toContain(doc.id);
      const outsider = await search({ actor: cast.outsider.actor, input: { q } });
      expect(outsider.hits.outcomes.map((h) => h.id)).not.toContain(doc.id);
    }
  });
});

describe("the demo", () => {
  it("has an issued joint statement of a past meeting, cleared by all, in three languages, and a draft with open brackets", async () => {
    const { seedDemo } = await import("~/server/demo/index");
    const { accounts } = await seedDemo();
    const secretariatActor = { id: accounts.userIds["secretariat@concord.test"], name: "Secretariat", email: "secretariat@concord.test" };
    const docs = await db().select().from(outcomeDocuments).where(eq(outcomeDocuments.bodyId, accounts.trilateral.body.id));
    const issued = docs.find((d) => d.status === "issued")!;
    const draftDoc = docs.find((d) => d.status === "negotiating")!;
    const page = await getOutcomePage({ actor: secretariatActor, documentId: issued.id });
    expect(page.clearances.map((c) => c.state)).toEqual(["cleared", "cleared", "cleared"]);
    expect(Object.keys(page.issue!.versions).sort()).toEqual(["en", "ja", "ko"]);
    expect(page.symbol).toMatch(/^TCCB\/\d+\/OD\.1$/);
    const open = await getOutcomePage({ actor: secretariatActor, documentId: draftDoc.id });
    expect(open.brackets.map((b) => [b.owner, b.alternatives.length])).toEqual([["JP", 1], ["KR", 0]]);
  });
});
