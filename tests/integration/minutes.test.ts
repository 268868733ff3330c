import { eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { actionItems, decisions, minutesRecords, outboxMessages } from "#db/schema";
import { createCast, createMember } from "#tests/factories";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { db } from "~/lib/db.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { decisionsIn, docToJSON, jsonToText, minutesSchema } from "~/lib/minutes-doc.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { authorizeMinutesConnection, mayWrite } from "~/models/minutes/access.server";
import { minutesFile } from "~/models/minutes/export.server";
import { adoptMinutes, approveMinutes, circulateMinutes, getMinutesPage, restoreVersion, startAmendment } from "~/models/minutes/minutes.server";
import { loadDoc } from "~/models/minutes/store.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { yXmlFragmentToProsemirror } from "@tiptap/y-tiptap";
import nodemailer from "nodemailer";
import { startSmtp } from "#tests/support/smtp";
import { deliverDueMessages } from "~/models/core/outbox.server";
import { renderOutboxAttachment } from "~/server/attachments.server";

const NOW = new Date("2027-01-10T12:00:00Z");

afterAll(async () => {
  await shutdownCollab();
});

async function setUp() {
  const cast = await createCast();
  const heads = { US: cast.head, JP: await createMember(cast.body, "head", "JP"), KR: await createMember(cast.body, "head", "KR") };
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "3", date: "2027-03-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual", link: "https://meet.example.org/minutes" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id) } });
  return { cast, heads, meeting };
}

/** Types a paragraph at the end of the document, as an editor would. */
function typeParagraph(meetingId: string, words: string) {
  return withDocument(meetingId, (doc) => {
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText(words)]);
    doc.getXmlFragment(MINUTES_FIELD).push([paragraph]);
  });
}

const page = (cast: Awaited<ReturnType<typeof createCast>>, meetingId: string) => getMinutesPage({ actor: cast.secretariat.actor, meetingId });

describe("a new minutes document", () => {
  it("starts with the attendance and one section per agenda item", async () => {
    const { meeting } = await setUp();
    const json = await withDocument(meeting.id, (doc) => docToJSON(doc));
    const text = jsonToText(json);
    expect(text.split("\n")[0]).toBe("Attendance");
    expect(text).toContain("1. Adoption of the minutes of the previous meeting");
    expect(text).toContain("2. Review of action items");
  });
});

describe("who may write", () => {
  it("lets delegates, heads and the secretariat write a draft and officials only read; outsiders get nothing", async () => {
    const { cast, meeting } = await setUp();
    const token = async (userId: string) => {
      const { createSession } = await import("~/models/people/sessions.server");
      return createSession(db(), userId, null);
    };
    expect((await authorizeMinutesConnection({ token: await token(cast.delegate.user.id), meetingId: meeting.id })).readOnly).toBe(false);
    expect((await authorizeMinutesConnection({ token: await token(cast.official.user.id), meetingId: meeting.id })).readOnly).toBe(true);
    await expect(authorizeMinutesConnection({ token: await token(cast.outsider.user.id), meetingId: meeting.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(authorizeMinutesConnection({ token: "no-such-session", meetingId: meeting.id })).rejects.toBeInstanceOf(NotFoundError);
    await expect(authorizeMinutesConnection({ token: await token(cast.delegate.user.id), meetingId: "no-such-meeting" })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("the life cycle", () => {
  it("voids an approval with any change, freezes the adopted record, and keeps an amendment trail", async () => {
    const { cast, heads, meeting } = await setUp();
    await typeParagraph(meeting.id, "The body discussed the threat landscape.");
    await expect(approveMinutes({ actor: heads.JP.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(ValidationError);
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const circulated = await page(cast, meeting.id);
    expect(circulated.row.status).toBe("circulated");
    expect(mayWrite(cast.delegate.membership as never, circulated.row, meeting)).toBe(false);
    expect(mayWrite({ role: "secretariat", delegationId: null }, circulated.row, meeting)).toBe(true);

    await approveMinutes({ actor: heads.JP.actor, input: { meetingId: meeting.id } });
    expect((await page(cast, meeting.id)).approvals.find((a) => a.delegationId === cast.body.delegations.JP.id)?.state).toBe("current");
    // A correction by the secretariat voids JP's approval.
    await typeParagraph(meeting.id, "Correction: the briefing was given by Japan.");
    await approveMinutes({ actor: heads.US.actor, input: { meetingId: meeting.id } });
    await approveMinutes({ actor: heads.KR.actor, input: { meetingId: meeting.id } });
    await expect(approveMinutes({ actor: heads.US.actor, input: { meetingId: meeting.id, hash: "stale" } })).rejects.toMatchObject({ name: "ConflictError" });
    const afterChange = await page(cast, meeting.id);
    expect(afterChange.approvals.find((a) => a.delegationId === cast.body.delegations.JP.id)?.state).toBe("stale");
    await expect(adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } })).rejects.toMatchObject({ fieldErrors: { "": [{ key: "minutes:errors.notAllApproved" }] } });
    await expect(approveMinutes({ actor: cast.delegate.actor, input: { meetingId: meeting.id } })).rejects.toBeInstanceOf(ForbiddenError);

    await approveMinutes({ actor: heads.JP.actor, input: { meetingId: meeting.id } });
    await adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const [record] = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    expect(record.amendment).toBe(0);
    expect(record.sha256).toBe(sha256(record.html));
    expect(record.text).toContain("Correction: the briefing was given by Japan.");
    const adopted = await page(cast, meeting.id);
    expect(adopted.row.status).toBe("adopted");
    for (const role of ["secretariat", "head", "delegate"] as const) expect(mayWrite({ role, delegationId: "x" }, adopted.row, meeting)).toBe(false);

    await expect(startAmendment({ actor: cast.head.actor, input: { meetingId: meeting.id, reason: "typo" } })).rejects.toBeInstanceOf(ForbiddenError);
    await startAmendment({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, reason: "Spelling of a name" } });
    const amending = await page(cast, meeting.id);
    expect(amending.row.amending).toBe(1);
    expect(mayWrite({ role: "secretariat", delegationId: null }, amending.row, meeting)).toBe(true);
    expect(mayWrite({ role: "delegate", delegationId: "x" }, amending.row, meeting)).toBe(false);
    await typeParagraph(meeting.id, "Amended text.");
    for (const head of Object.values(heads)) await approveMinutes({ actor: head.actor, input: { meetingId: meeting.id } });
    await adoptMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const records = await db().select().from(minutesRecords).where(eq(minutesRecords.meetingId, meeting.id));
    expect(records.map((r) => [r.amendment, r.reason])).toEqual([
      [0, null],
      [1, "Spelling of a name"],
    ]);
    expect(records[0].text).not.toContain("Amended text.");
    const kinds = (await page(cast, meeting.id)).versions.map((v) => v.kind);
    expect(kinds).toEqual(expect.arrayContaining(["circulated", "approval", "adopted", "amendment"]));
  });

  it("tells every member on circulation, rendering the PDF at delivery rather than under the write lock", { timeout: 120_000 }, async () => {
    // One PDF per member is rendered at delivery: slow on a loaded machine, hence the time allowed.
    const { cast, meeting } = await setUp();
    await typeParagraph(meeting.id, "Wording as circulated.");
    await circulateMinutes({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
    const mine = (await db().select().from(outboxMessages).where(eq(outboxMessages.kind, "minutes.circulated"))).filter((m) => m.meetingId === meeting.id);
    expect(mine.length).toBeGreaterThanOrEqual(6);
    // Queued with the change, but nothing rendered inside its transaction.
    expect(mine.every((m) => m.attachmentContent === null && m.attachmentSource?.kind === "minutes.pdf")).toBe(true);
    // A change after circulation does not reach the mail: it carries what was circulated.
    await typeParagraph(meeting.id, "Edited after circulation.");

    const smtp = await startSmtp();
    const transport = nodemailer.createTransport(smtp.url);
    try {
      const result = await deliverDueMessages({ transport, from: "concord@example.org", renderAttachment: renderOutboxAttachment, limit: 100 });
      expect(result.failed).toBe(0);
      const mails = smtp.received.filter((m) => m.text?.includes(`/meetings/${meeting.id}/minutes`));
      expect(mails.length).toBe(mine.length);
      const pdf = mails[0].attachments.find((a) => a.mimeType === "application/pdf")!;
      const bytes = Buffer.from(pdf.content as ArrayBuffer);
      expect(bytes.subarray(0, 5).toString()).toBe("%PDF-");
      const { text } = await new PDFParse({ data: new Uint8Array(bytes) }).getText();
      expect(text).toContain("Wording as circulated.");
      expect(text).not.toContain("Edited after circulation.");
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it("restores an earlier draft version for everyone, and records it", async () => {
    const { cast, meeting } = await setUp();
    await typeParagraph(meeting.id, "First wording.");
    const { saveVersion } = await import("~/models/minutes/content.server");
    const snapshot = await withDocument(meeting.id, (doc) => {
      const copy = new Y.Doc();
      Y.applyUpdateV2(copy, Y.encodeStateAsUpdateV2(doc));
      return copy;
    });
    const versionId = await saveVersion(db(), { meetingId: meeting.id, doc: snapshot, kind: "autosave", userId: null, contributors: [] });
    await typeParagraph(meeting.id, "Second wording, later withdrawn.");
    await expect(restoreVersion({ actor: cast.official.actor, input: { meetingId: meeting.id, versionId } })).rejects.toBeInstanceOf(ForbiddenError);
    await restoreVersion({ actor: cast.delegate.actor, input: { meetingId: meeting.id, versionId } });
    const text = await withDocument(meeting.id, (doc) => jsonToText(docToJSON(doc)));
    expect(text).toContain("First wording.");
    expect(text).not.toContain("Second wording");
    // And it is durable: the stored document says the same.
    await shutdownCollab();
    expect(jsonToText(docToJSON(await loadDoc(meeting.id)))).not.toContain("Second wording");
  });
});

describe("history", () => {
  it("shows the words changed between any two versions, older to newer, and between a version and now", async () => {
    const { cast, meeting } = await setUp();
    const { saveVersion } = await import("~/models/minutes/content.server");
    const { getMinutesVersion } = await import("~/models/minutes/versions.server");
    const copyOf = () =>
      withDocument(meeting.id, (doc) => {
        const copy = new Y.Doc();
        Y.applyUpdateV2(copy, Y.encodeStateAsUpdateV2(doc));
        return copy;
      });
    await typeParagraph(meeting.id, "The exercise is planned for May.");
    const first = await saveVersion(db(), { meetingId: meeting.id, doc: await copyOf(), kind: "autosave", userId: null, contributors: [] });
    await new Promise((r) => setTimeout(r, 5));
    await typeParagraph(meeting.id, "Japan will host it.");
    const second = await saveVersion(db(), { meetingId: meeting.id, doc: await copyOf(), kind: "circulated", userId: cast.secretariat.user.id, contributors: [] });
    await typeParagraph(meeting.id, "Korea will observe.");

    const changes = (parts: Array<{ value: string; added?: boolean; removed?: boolean }>) => ({
      added: parts.filter((p) => p.added).map((p) => p.value).join(""),
      removed: parts.filter((p) => p.removed).map((p) => p.value).join(""),
    });
    const forward = await getMinutesVersion({ actor: cast.official.actor, meetingId: meeting.id, versionId: first, compare: second });
    expect(changes(forward.diff!.parts).added).toContain("Japan will host it.");
    expect(changes(forward.diff!.parts).removed).toBe("");
    // Asked from the newer side, the difference still reads from older to newer.
    const backward = await getMinutesVersion({ actor: cast.official.actor, meetingId: meeting.id, versionId: second, compare: first });
    expect(backward.diff!.newer).toBe(false);
    expect(changes(backward.diff!.parts)).toEqual(changes(forward.diff!.parts));
    const now = await getMinutesVersion({ actor: cast.official.actor, meetingId: meeting.id, versionId: second, compare: "current" });
    expect(changes(now.diff!.parts).added).toContain("Korea will observe.");
    expect(now.others.map((o) => o.id)).toContain(first);
    expect(now.others.map((o) => o.id)).not.toContain(second);

    // A version of another meeting is not there to compare with.
    const other = await setUp();
    await typeParagraph(other.meeting.id, "Elsewhere.");
    const elsewhere = await saveVersion(db(), { meetingId: other.meeting.id, doc: await loadDoc(other.meeting.id), kind: "autosave", userId: null, contributors: [] });
    await expect(getMinutesVersion({ actor: cast.official.actor, meetingId: meeting.id, versionId: first, compare: elsewhere })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("decisions", () => {
  it("are numbered in the body's decision register by the server", async () => {
    const { meeting, cast } = await setUp();
    await withDocument(meeting.id, (doc) => {
      for (const words of ["Adopt the joint advisory.", "Hold the exercise in May."]) {
        const decision = new Y.XmlElement("decision");
        decision.insert(0, [new Y.XmlText(words)]);
        doc.getXmlFragment(MINUTES_FIELD).push([decision]);
      }
    });
    // The next store numbers them; a direct connection stores when it closes.
    await withDocument(meeting.id, () => null);
    const register = await db().select().from(decisions).where(eq(decisions.meetingId, meeting.id));
    expect(register.map((d) => [d.number, d.text]).sort()).toEqual([
      [1, "Adopt the joint advisory."],
      [2, "Hold the exercise in May."],
    ]);
    const json = await withDocument(meeting.id, (doc) => docToJSON(doc));
    expect(JSON.stringify(json)).toContain('"number":2');
    const { content } = await minutesFile({ actor: cast.official.actor, meetingId: meeting.id, locale: "en", source: { kind: "current" }, format: "pdf" });
    const parser = new PDFParse({ data: new Uint8Array(content) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("Adopt the joint advisory.");
    expect(text).toContain("Attendance");
  });
});

describe("an action item from the minutes", () => {
  it("is raised at the meeting and at the agenda item of its section, and cannot name another meeting's item", async () => {
    const { cast, meeting } = await setUp();
    const { proposeItem } = await import("~/models/agenda/agenda.server");
    const { actionFromSelection } = await import("~/models/minutes/minutes.server");
    const item = await proposeItem({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Exercise planning", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
    const raised = await actionFromSelection({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Draft the scenario", agendaItemId: item.id } });
    expect(raised).toMatchObject({ originMeetingId: meeting.id, originAgendaItemId: item.id, ownerDelegationId: cast.body.delegations.US.id, dueKind: "next_meeting" });

    const elsewhere = await setUp();
    const foreign = await proposeItem({ actor: elsewhere.cast.delegate.actor, input: { meetingId: elsewhere.meeting.id, title: "Not yours", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
    await expect(actionFromSelection({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Sneaky", agendaItemId: foreign.id } })).rejects.toBeInstanceOf(ValidationError);
    // A selection longer than a title may be is a field error, not an item with a cut title.
    const before = await db().select().from(actionItems);
    await expect(actionFromSelection({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "x".repeat(301), agendaItemId: item.id } })).rejects.toMatchObject({
      fieldErrors: { title: [{ key: "errors:validation.tooLong", values: { max: 300 } }] },
    });
    expect((await db().select().from(actionItems)).length).toBe(before.length);
    await expect(actionFromSelection({ actor: cast.official.actor, input: { meetingId: meeting.id, title: "Not a writer" } })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("decision numbers", () => {
  it("come from the register: a copied decision gets its own number, a forged number is put back, another meeting's decision is untouched", async () => {
    const { meeting, cast } = await setUp();
    const later = await createMeeting({
      actor: cast.secretariat.actor,
      now: NOW,
      input: { bodyId: cast.body.body.id, ordinal: "4", date: "2027-06-09", time: "09:00", endTime: "11:00", timeZone: "America/New_York", format: "virtual" },
    });
    const decide = (meetingId: string, words: string) =>
      withDocument(meetingId, (doc) => {
        const decision = new Y.XmlElement("decision");
        decision.insert(0, [new Y.XmlText(words)]);
        doc.getXmlFragment(MINUTES_FIELD).push([decision]);
      });
    await decide(meeting.id, "Adopt the joint advisory.");
    await withDocument(meeting.id, () => null);
    const [original] = await db().select().from(decisions).where(eq(decisions.meetingId, meeting.id));
    expect(original.number).toBe(1);

    // Pasted into the next meeting's minutes with its attributes, and pasted twice here.
    const copy = (meetingId: string, words: string) =>
      withDocument(meetingId, (doc) => {
        const pasted = new Y.XmlElement("decision");
        pasted.setAttribute("id", original.id);
        pasted.setAttribute("number", "1" as never);
        pasted.insert(0, [new Y.XmlText(words)]);
        doc.getXmlFragment(MINUTES_FIELD).push([pasted]);
      });
    await copy(later.id, "Adopt the joint advisory, as amended.");
    await copy(meeting.id, "A second copy of the first decision.");
    // A client rewrites the number of a registered decision.
    await withDocument(meeting.id, (doc) => {
      for (const node of doc.getXmlFragment(MINUTES_FIELD).createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === "decision")) {
        const el = node as Y.XmlElement;
        if (el.getAttribute("id") === original.id) el.setAttribute("number", "99" as never);
      }
    });
    await withDocument(meeting.id, () => null);
    await withDocument(later.id, () => null);

    const register = await db().select().from(decisions).where(eq(decisions.bodyId, cast.body.body.id));
    const row = (words: string) => register.find((d) => d.text === words);
    expect(row("Adopt the joint advisory.")).toMatchObject({ id: original.id, meetingId: meeting.id, number: 1 });
    expect(row("Adopt the joint advisory, as amended.")).toMatchObject({ meetingId: later.id });
    expect(row("A second copy of the first decision.")).toMatchObject({ meetingId: meeting.id });
    expect(register.map((d) => d.number).sort()).toEqual([1, 2, 3]);
    const numbers = await withDocument(meeting.id, (doc) => decisionsIn(docToJSON(doc)).map((d) => [d.number, d.text]));
    expect(numbers).toContainEqual([1, "Adopt the joint advisory."]);
  });
});

describe("the schema after a merge", () => {
  it("keeps content that a '+' content expression would silently drop", () => {
    // Shapes concurrent edits can produce: a list with no item, an item that starts with a quote.
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(MINUTES_FIELD);
    const list = new Y.XmlElement("bulletList");
    const emptyList = new Y.XmlElement("bulletList");
    const item = new Y.XmlElement("listItem");
    const quote = new Y.XmlElement("blockquote");
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("Text that must survive the merge")]);
    quote.insert(0, [paragraph]);
    item.insert(0, [quote]);
    list.insert(0, [item]);
    fragment.insert(0, [emptyList, list]);
    const text = yXmlFragmentToProsemirror(minutesSchema(), fragment).textContent;
    expect(text).toContain("Text that must survive the merge");
  });
});
