import { eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems as actionItemsTable, agendaItems, annexVersions, meetings, outboxMessages } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { samplePdf, uploadRequest } from "#tests/support/papers";
import { context, respond } from "#tests/support/requests";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { createAction, getActionPage } from "~/models/actions/actions.server";
import { actionCounts, listActions } from "~/models/actions/dashboard.server";
import { getMeetingFollowUp } from "~/models/actions/follow-up.server";
import { actionsDueFor } from "~/models/actions/waiting.server";
import { authorize } from "~/models/core/access.server";
import { proposeItem, updateItem } from "~/models/agenda/agenda.server";
import { watchAgenda } from "~/models/agenda/live.server";
import { getUser } from "~/models/people/current-user.server";
import { agendaFile } from "~/models/agenda/export.server";
import { addStandingItem } from "~/models/agenda/standing-items.server";
import { getAgendaPage } from "~/models/agenda/page.server";
import { calendarAgendaTitles } from "~/models/meetings/calendar-agenda.server";
import { getInviteFile } from "~/models/meetings/calendar.server";
import { initialMinutesContent } from "~/models/minutes/content.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { meetingBook } from "~/models/papers/book.server";
import { openPaper } from "~/models/papers/papers.server";
import { addParticipant, publishList } from "~/models/participants/participants.server";
import { search } from "~/models/search/search.server";
import { circulateMinutes } from "~/models/minutes/minutes.server";
import { sendAsks } from "~/models/notifications/sweep.server";
import { deliverDueMessages } from "~/models/core/outbox.server";
import { shutdownCollab } from "~/server/collab.server";
import { renderOutboxAttachment } from "~/server/attachments.server";
import nodemailer from "nodemailer";
import { startSmtp } from "#tests/support/smtp";
import * as papersRoute from "~/routes/meetings.$meetingId.papers";
import { connectMinutes } from "#tests/support/collab-client";
import { listenForCollab } from "#tests/support/collab-server";
import { rawCollab } from "#tests/support/raw-collab";
import { annexFile, getAnnexPage, openAnnex } from "~/models/annex/annex.server";
import { minutesFile } from "~/models/minutes/export.server";
import { getMinutesPage } from "~/models/minutes/minutes.server";
import { annexDocumentName } from "~/lib/annex-schema";
import { MINUTES_FIELD, minutesDocumentName } from "~/lib/minutes-schema";
import { highestMarking, MINUTES_MARKING } from "~/lib/markings";
import { minutesPreview } from "~/models/minutes/preview.server";
import mammoth from "mammoth";
import * as Y from "yjs";

/**
 * One table: record type × marking × reader (role, delegation, invited, on the published list)
 * × channel. Every row is asked of every channel the record travels through; each channel must
 * give the same answer as the rule.
 */

const NOW = new Date("2027-01-10T12:00:00Z");
type Reader = "secretariat" | "usHead" | "usDelegate" | "jpHead" | "jpDelegate" | "krDelegate" | "krOfficial" | "krUninvited";
const READERS: Reader[] = ["secretariat", "usHead", "usDelegate", "jpHead", "jpDelegate", "krDelegate", "krOfficial", "krUninvited"];

type Phase = "before the list is published" | "once the list (US delegate, KR delegate) is published";
const BEFORE: Phase = "before the list is published";
const AFTER: Phase = "once the list (US delegate, KR delegate) is published";

// Papers and the RED agenda item are sent by the JP delegate; the AMBER+STRICT records name JP.
const expected: Record<string, Record<Phase, Reader[]>> = {
  "TLP:GREEN": { [BEFORE]: READERS, [AFTER]: READERS },
  "TLP:AMBER": { [BEFORE]: READERS.filter((r) => r !== "krUninvited"), [AFTER]: READERS.filter((r) => r !== "krUninvited") },
  "TLP:AMBER+STRICT": { [BEFORE]: ["secretariat", "jpHead", "jpDelegate"], [AFTER]: ["secretariat", "jpHead", "jpDelegate"] },
  "TLP:RED": { [BEFORE]: ["secretariat", "usHead", "jpHead", "jpDelegate"], [AFTER]: ["secretariat", "usDelegate", "krDelegate", "jpDelegate"] },
};

// The live minutes are TLP:AMBER (MINUTES_MARKING); their restricted annex is TLP:RED and has no
// author (ADR 037): the JP delegate, who sent the RED records above, is not in its audience.
const liveExpected: Record<"minutes" | "annex", Record<Phase, Reader[]>> = {
  minutes: expected["TLP:AMBER"],
  annex: { [BEFORE]: ["secretariat", "usHead", "jpHead"], [AFTER]: ["secretariat", "usDelegate", "krDelegate"] },
};
const ANNEX_WORD = "zvannexredword";
const MINUTES_WORD = "zvminutesamberword";

let world: Awaited<ReturnType<typeof build>>;
let collabServer: Awaited<ReturnType<typeof listenForCollab>>;

async function build() {
  const cast = await createCast();
  const people = {
    secretariat: cast.secretariat,
    usHead: cast.head,
    usDelegate: cast.delegate,
    jpHead: await createMember(cast.body, "head", "JP"),
    jpDelegate: await createMember(cast.body, "delegate", "JP"),
    krDelegate: await createMember(cast.body, "delegate", "KR"),
    krOfficial: await createMember(cast.body, "official", "KR"),
  };
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "7", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
  await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id), confirmNoLink: "on" } });
  // Joined after the invitations went out: a member of the body, not invited to this meeting.
  const krUninvited = await createMember(cast.body, "delegate", "KR");
  const all: Record<Reader, { actor: Actor; user: { id: string; name: string } }> = { ...people, krUninvited };

  const jp = people.jpDelegate.actor;
  await proposeItem({ actor: jp, input: { meetingId: meeting.id, title: "Papers item", kind: "discussion", minutes: "10", marking: "TLP:GREEN" } });
  const items = await db().select().from(agendaItems).where(eq(agendaItems.meetingId, meeting.id));
  const host = items.find((i) => i.title === "Papers item")!;
  const papers: Record<string, string> = {};
  for (const marking of Object.keys(expected)) {
    const word = `zx${marking.replace(/\W/g, "").toLowerCase()}paper`;
    const request = uploadRequest(meeting.id, await cookieFor(people.jpDelegate.user.id), { title: `${word} assessment`, marking, agendaItemId: host.id }, { name: `${word}.pdf`, bytes: await samplePdf(`${word} content`) });
    const response = await respond(() => papersRoute.action({ request, params: { meetingId: meeting.id }, context }));
    expect(response.status, marking).toBe(200);
    papers[marking] = (await response.json()).paperId;
  }
  const agenda: Record<string, string> = {};
  for (const marking of ["TLP:GREEN", "TLP:AMBER", "TLP:RED"]) {
    const title = `zy${marking.replace(/\W/g, "").toLowerCase()}item`;
    await proposeItem({ actor: jp, input: { meetingId: meeting.id, title, kind: "discussion", minutes: "10", marking } });
    agenda[marking] = (await db().select().from(agendaItems).where(eq(agendaItems.title, title)))[0].id;
  }
  const actions: Record<string, string> = {};
  for (const marking of Object.keys(expected)) {
    const title = `zw${marking.replace(/\W/g, "").toLowerCase()}action`;
    const item = await createAction({ actor: jp, now: NOW, input: { bodyId: cast.body.body.id, title, ownerDelegationId: cast.body.delegations.JP.id, dueKind: "date", dueDate: "2027-02-01", marking, originMeetingId: meeting.id } });
    actions[marking] = item.id;
  }
  // Every action item's chip in the shared minutes' text, as the editor put it there before ADR 042: with its
  // title. The server takes the title out; nothing of it may reach anyone over the live connection.
  const chipWriter = connectMinutes({ url: collabServer.url, cookie: await cookieFor(cast.secretariat.user.id), meetingId: meeting.id });
  try {
    await chipWriter.whenSynced();
    const rows = await db().select().from(actionItemsTable).where(eq(actionItemsTable.originMeetingId, meeting.id));
    const paragraph = new Y.XmlElement("paragraph");
    paragraph.insert(0, [new Y.XmlText("Raised: "), ...rows.map((r) => {
      const chip = new Y.XmlElement("actionItem");
      chip.setAttribute("id", r.id);
      chip.setAttribute("ref", r.ref as unknown as string);
      chip.setAttribute("title", r.title);
      return chip;
    })]);
    chipWriter.doc.getXmlFragment(MINUTES_FIELD).push([paragraph]);
    await chipWriter.whenAcknowledged();
  } finally {
    chipWriter.close();
  }
  // The restricted annex, opened by the secretariat and written in through the real collaboration server.
  await openAnnex({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
  const writer = connectMinutes({ url: collabServer.url, cookie: await cookieFor(cast.secretariat.user.id), meetingId: meeting.id, documentName: annexDocumentName(meeting.id) });
  try {
    await writer.whenSynced();
    writer.appendParagraph(`${ANNEX_WORD} discussion`);
    await writer.whenAcknowledged();
  } finally {
    writer.close();
  }
  // A line in the live minutes; stored (and indexed for search) once its writer leaves.
  const minutesWriter = connectMinutes({ url: collabServer.url, cookie: await cookieFor(cast.secretariat.user.id), meetingId: meeting.id });
  try {
    await minutesWriter.whenSynced();
    minutesWriter.appendParagraph(`${MINUTES_WORD} discussion`);
    await minutesWriter.whenAcknowledged();
  } finally {
    minutesWriter.close();
  }
  for (let tries = 0; !(await search({ actor: cast.secretariat.actor, input: { q: MINUTES_WORD } })).hits.minutes.length; tries++) {
    if (tries > 100) throw new Error("the minutes' line was never stored for search");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { cast, people: all, meeting, papers, agenda, actions };
}

/** Whether a call is answered, or refused as not found (anything else fails the test). */
const reaches = (call: Promise<unknown>) => call.then(() => true, (e) => (e instanceof NotFoundError ? false : Promise.reject(e)));

/** A bare Hocuspocus client asking for a document: admitted, or refused with a reason and sent nothing. */
async function connects(reader: Reader, documentName: string): Promise<boolean> {
  const raw = await rawCollab({ url: collabServer.url, cookie: await cookieFor(world.people[reader].user.id), documentName });
  try {
    const answer = await raw.answer;
    if (!answer.admitted) {
      expect(answer.reason, "refusal reason").toBe("not-found");
      expect(raw.syncMessages(), "a refused client is sent nothing").toBe(0);
      return false;
    }
    await raw.synced;
    return true;
  } finally {
    raw.socket.close();
  }
}

/** An agenda event stream opened by a reader, as the page's EventSource opens it (the retry line read). */
async function openAgendaStream(reader: Reader) {
  const user = await getUser(new Request("http://localhost/", { headers: { cookie: await cookieFor(world.people[reader].user.id) } }));
  const stream = await watchAgenda({ actor: user!, meetingId: world.meeting.id, signal: new AbortController().signal });
  const read = stream.getReader();
  await read.read();
  return read;
}

/** The next notice on a stream (keep-alives skipped), or "closed" when the stream ends. */
async function nextNotice(read: ReadableStreamDefaultReader<Uint8Array>): Promise<{ by: { name: string } | null; what: string; record?: unknown } | "closed"> {
  for (;;) {
    const chunk = await Promise.race([read.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no notice within 15 s")), 15_000))]);
    if (chunk.done) return "closed";
    const text = new TextDecoder().decode(chunk.value);
    if (text.startsWith("data: ")) return JSON.parse(text.slice(6));
  }
}

/** Reads a stream until it ends: "closed", or a timeout error if it stays open. */
async function nextNoticeUntilClosed(read: ReadableStreamDefaultReader<Uint8Array>): Promise<"closed"> {
  for (;;) if ((await nextNotice(read)) === "closed") return "closed";
}

/** The secretariat saves the TLP:RED agenda item as it is: a change every open agenda stream hears of. */
async function touchRedItem() {
  const [item] = await db().select().from(agendaItems).where(eq(agendaItems.id, world.agenda["TLP:RED"]));
  await updateItem({
    actor: world.cast.secretariat.actor,
    input: { itemId: item.id, version: String(item.version), title: item.title, description: item.description, kind: item.kind, minutes: String(item.minutes), marking: item.marking, status: item.status, leadDelegationId: item.leadDelegationId ?? "", presenterId: item.presenterId ?? "" },
  });
}

// Streams opened before the list is published: publishing it must close every one of them.
const streamsBefore = new Map<Reader, ReadableStreamDefaultReader<Uint8Array>>();

async function publishTheList() {
  const { cast, people, meeting } = world;
  for (const reader of ["usDelegate", "krDelegate"] as const) {
    const delegationId = reader === "usDelegate" ? cast.body.delegations.US.id : cast.body.delegations.KR.id;
    await addParticipant({ actor: cast.secretariat.actor, input: { meetingId: meeting.id, delegationId, userId: people[reader].user.id, role: "expert" } });
  }
  await publishList({ actor: cast.secretariat.actor, input: { meetingId: meeting.id } });
}

const channels = {
  async page(reader: Reader, marking: string) {
    const page = await getAgendaPage({ actor: world.people[reader].actor, meetingId: world.meeting.id });
    return page.papers.some((p) => p.id === world.papers[marking]);
  },
  async download(reader: Reader, marking: string) {
    try {
      await openPaper({ actor: world.people[reader].actor, paperId: world.papers[marking] });
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  },
  async search(reader: Reader, marking: string) {
    const word = `zx${marking.replace(/\W/g, "").toLowerCase()}paper`;
    const found = await search({ actor: world.people[reader].actor, input: { q: word } });
    return found.hits.papers.some((h) => h.id === world.papers[marking]);
  },
};

const books = new Map<string, Promise<{ papers: string[]; text: string }>>();
function bookFor(reader: Reader, phase: Phase) {
  const key = `${reader}:${phase}`;
  if (!books.has(key)) {
    books.set(
      key,
      meetingBook({ actor: world.people[reader].actor, meetingId: world.meeting.id, locale: "en" }).then(async (b) => {
        const parser = new PDFParse({ data: new Uint8Array(b.content) });
        const { text } = await parser.getText();
        await parser.destroy();
        return { papers: b.papers, text };
      }),
    );
  }
  return books.get(key)!;
}
const bookOf = (reader: Reader, phase: Phase) => bookFor(reader, phase).then((b) => b.papers);

/** The minutes as one reader gets them, per phase: page (chips, marking), server-rendered HTML, and the three exports' text. */
const minutesViews = new Map<string, Promise<{ chips: Array<{ id: string; title: string; restricted: boolean }>; marking: string; html: string; md: string; pdf: string; docx: string }>>();
function minutesViewOf(reader: Reader, phase: Phase) {
  const key = `${reader}:${phase}`;
  if (!minutesViews.has(key)) {
    minutesViews.set(
      key,
      (async () => {
        const actor = world.people[reader].actor;
        const page = await getMinutesPage({ actor, meetingId: world.meeting.id });
        const { html } = await minutesPreview(world.meeting.id, page.seen);
        const file = (format: "pdf" | "docx" | "md") => minutesFile({ actor, meetingId: world.meeting.id, locale: "en", source: { kind: "current" }, format }).then((f) => f.content);
        const parser = new PDFParse({ data: new Uint8Array(await file("pdf")) });
        const pdf = (await parser.getText()).text;
        await parser.destroy();
        const docx = (await mammoth.extractRawText({ buffer: await file("docx") })).value;
        return { chips: page.chips, marking: page.marking, html, md: (await file("md")).toString("utf8"), pdf, docx };
      })(),
    );
  }
  return minutesViews.get(key)!;
}

const agendaTexts = new Map<string, Promise<string>>();
function agendaTextOf(reader: Reader, phase: Phase) {
  const key = `${reader}:${phase}`;
  if (!agendaTexts.has(key)) {
    agendaTexts.set(
      key,
      agendaFile({ actor: world.people[reader].actor, meetingId: world.meeting.id, locale: "en", format: "pdf" }).then(async ({ content }) => {
        const parser = new PDFParse({ data: new Uint8Array(content) });
        const { text } = await parser.getText();
        await parser.destroy();
        return text;
      }),
    );
  }
  return agendaTexts.get(key)!;
}

describe("TLP rules on every channel", () => {
  beforeAll(async () => {
    collabServer = await listenForCollab();
    world = await build();
  }, 120_000);
  afterAll(async () => {
    await shutdownCollab();
    await collabServer.close();
  });

  for (const phase of [BEFORE, AFTER]) {
    describe(phase, () => {
      beforeAll(async () => {
        if (phase === AFTER) await publishTheList();
      });

      for (const reader of READERS) {
        const mayMinutes = liveExpected.minutes[phase].includes(reader);
        it(`the live minutes (TLP:AMBER) ${mayMinutes ? "reach" : "never reach"} ${reader} (page, export, search, the live document's connection)`, async () => {
          const actor = world.people[reader].actor;
          expect(await reaches(getMinutesPage({ actor, meetingId: world.meeting.id })), "page").toBe(mayMinutes);
          expect(await reaches(minutesFile({ actor, meetingId: world.meeting.id, locale: "en", source: { kind: "current" }, format: "md" })), "export").toBe(mayMinutes);
          expect(await connects(reader, minutesDocumentName(world.meeting.id)), "connection").toBe(mayMinutes);
          const found = await search({ actor, input: { q: MINUTES_WORD } });
          expect(found.hits.minutes.some((h) => h.id === world.meeting.id), "search").toBe(mayMinutes);
        });

        if (mayMinutes) {
          const shown = highestMarking([MINUTES_MARKING, ...Object.keys(expected).filter((m) => expected[m][phase].includes(reader))]);
          it(`the minutes page is marked ${shown} for ${reader}: the highest of the minutes and the action items they are shown`, async () => {
            expect((await minutesViewOf(reader, phase)).marking).toBe(shown);
          });
        }

        const mayAnnex = liveExpected.annex[phase].includes(reader);
        it(`the restricted annex (TLP:RED) ${mayAnnex ? "reaches" : "never reaches"} ${reader} (minutes page's link, page, export, the live document's connection; never search or the meeting book)`, async () => {
          const actor = world.people[reader].actor;
          const minutes = await getMinutesPage({ actor, meetingId: world.meeting.id }).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e)));
          expect(!!minutes?.annex, "link on the minutes page").toBe(mayAnnex);
          expect(await reaches(getAnnexPage({ actor, meetingId: world.meeting.id })), "page").toBe(mayAnnex);
          const exported = await annexFile({ actor, meetingId: world.meeting.id, locale: "en", format: "md" }).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e)));
          expect(!!exported, "export").toBe(mayAnnex);
          if (exported) expect(exported.content.toString("utf8"), "export's text").toContain(ANNEX_WORD);
          expect(await connects(reader, annexDocumentName(world.meeting.id)), "connection").toBe(mayAnnex);
          // The annex goes nowhere else, whoever asks.
          const found = await search({ actor, input: { q: ANNEX_WORD } });
          expect(Object.values(found.hits).flat(), "search").toEqual([]);
          expect((await bookFor(reader, phase)).text.includes(ANNEX_WORD), "meeting book").toBe(false);
          expect((await getInviteFile({ actor, meetingId: world.meeting.id, locale: "en" })).content.includes(ANNEX_WORD), "calendar").toBe(false);
        });
      }

      for (const reader of READERS) {
        const may = expected["TLP:RED"][phase].includes(reader);
        it(`the agenda's live stream ${may ? "names" : "never names"} a change to the TLP:RED item to ${reader}${phase === AFTER ? "; the stream opened before the list was published has closed" : ""}`, async () => {
          if (phase === AFTER) expect(await nextNoticeUntilClosed(streamsBefore.get(reader)!), "the stream opened before publication").toBe("closed");
          const stream = await openAgendaStream(reader);
          try {
            await touchRedItem();
            const notice = await nextNotice(stream);
            expect(notice, "a notice arrives").not.toBe("closed");
            if (notice === "closed") return;
            expect(notice.record, "the record never travels to the browser").toBeUndefined();
            expect(notice.by?.name ?? null, "who changed it").toBe(may ? world.cast.secretariat.user.name : null);
            expect(notice.what, "what changed").toBe(may ? "update" : "change");
          } finally {
            if (phase === BEFORE) streamsBefore.set(reader, stream);
            else await stream.cancel();
          }
        });
      }

      for (const marking of Object.keys(expected)) {
        for (const reader of READERS) {
          const may = expected[marking][phase].includes(reader);
          it(`a ${marking} paper ${may ? "reaches" : "never reaches"} ${reader} (page, download, search, meeting book)`, async () => {
            expect(await channels.page(reader, marking), "page").toBe(may);
            expect(await channels.download(reader, marking), "download").toBe(may);
            expect(await channels.search(reader, marking), "search").toBe(may);
            const symbols = await bookOf(reader, phase);
            const page = await getAgendaPage({ actor: world.cast.secretariat.actor, meetingId: world.meeting.id });
            const symbol = page.papers.find((p) => p.id === world.papers[marking])!.symbol;
            expect(symbols.includes(symbol), "meeting book").toBe(may);
          });

          const actionWord = `zw${marking.replace(/\W/g, "").toLowerCase()}action`;
          it(`a ${marking} action item ${may ? "reaches" : "never reaches"} ${reader} (page, dashboard, search, review, waiting for you, the minutes' chips, their HTML and exports)`, async () => {
            const actor = world.people[reader].actor;
            if (liveExpected.minutes[phase].includes(reader)) {
              const minutes = await minutesViewOf(reader, phase);
              const chip = minutes.chips.find((c) => c.id === world.actions[marking])!;
              expect(chip.restricted, "the minutes page's chip is a placeholder").toBe(!may);
              expect(chip.title === actionWord, "the chip's title").toBe(may);
              for (const channel of ["html", "md", "pdf", "docx"] as const) expect(minutes[channel].includes(actionWord), `minutes ${channel}`).toBe(may);
              if (!may) expect(minutes.md, "a placeholder stands in the text").toContain("Action item for a narrower audience");
            }
            // The live document holds the chip's reference only (ADR 042): no title travels over the
            // connection, to anyone; each reader's page draws it from the chips above.
            if (liveExpected.minutes[phase].includes(reader)) {
              const raw = await rawCollab({ url: collabServer.url, cookie: await cookieFor(world.people[reader].user.id), documentName: minutesDocumentName(world.meeting.id) });
              try {
                await raw.synced;
                expect(raw.received().toString("latin1").includes(world.actions[marking]), "the chip's reference is in the live document").toBe(true);
                expect(raw.received().toString("latin1").includes(actionWord), "the live document's connection carries the title").toBe(false);
              } finally {
                // Closed before the next test: publishing the list revokes this connection, and it must not speak after.
                raw.socket.close();
                await raw.closed;
              }
            }
            // Nor does the minutes' stored text: searching the title never finds the minutes (their snippet would show it).
            const inMinutes = await search({ actor, input: { q: actionWord } });
            expect(inMinutes.hits.minutes.map((h) => JSON.stringify(h)).filter((h) => h.includes(actionWord)), "a minutes snippet with the title").toEqual([]);
            const opened = await getActionPage({ actor, itemId: world.actions[marking] }).then(() => true, (e) => (e instanceof NotFoundError ? false : Promise.reject(e)));
            expect(opened, "page").toBe(may);
            const list = await listActions({ actor, bodyId: world.cast.body.body.id, input: { status: "all" } });
            expect(list.rows.some((r) => r.id === world.actions[marking]), "dashboard").toBe(may);
            const found = await search({ actor, input: { q: actionWord } });
            expect(found.hits.actions.some((h) => h.id === world.actions[marking]), "search").toBe(may);
            const review = await getMeetingFollowUp({ actor, meetingId: world.meeting.id });
            expect(review.raised.some((r) => r.id === world.actions[marking]), "the meeting's review").toBe(may);
            // "Waiting for you" lists the delegation's items due soon: the JP owners only, and only inside the audience.
            const membership = await authorize(db(), actor, world.cast.body.body.id, "body.read");
            const due = await actionsDueFor(db(), { bodyId: world.cast.body.body.id, userId: actor.id, role: membership.role, delegationId: membership.delegationId, today: "2027-01-25", horizon: "2027-02-05" });
            expect(due.some((d) => d.id === world.actions[marking]), "waiting for you").toBe(may && membership.delegationId === world.cast.body.delegations.JP.id);
          });

          if (marking !== "TLP:AMBER+STRICT") {
            const title = `zy${marking.replace(/\W/g, "").toLowerCase()}item`;
            it(`a ${marking} agenda item ${may ? "reaches" : "is a placeholder for"} ${reader} (page, export, search, meeting book, calendar, minutes scaffold)`, async () => {
              const actor = world.people[reader].actor;
              const page = await getAgendaPage({ actor, meetingId: world.meeting.id });
              const item = page.items.find((i) => i.id === world.agenda[marking])!;
              expect(item.restricted, "page").toBe(!may);
              expect(item.minutes, "the clock still adds up").toBe(10);
              expect(item.title === title, "title").toBe(may);
              const found = await search({ actor, input: { q: title } });
              expect(found.hits.agenda.some((h) => h.id === world.agenda[marking]), "search").toBe(may);
              expect((await agendaTextOf(reader, phase)).includes(title), "export").toBe(may);
              expect((await bookFor(reader, phase)).text.includes(title), "meeting book").toBe(may);
              // Calendar files carry nothing above TLP:GREEN, for anyone.
              const invite = await getInviteFile({ actor, meetingId: world.meeting.id, locale: "en" });
              expect(invite.content.includes(title), "calendar").toBe(may && marking === "TLP:GREEN");
              // The shared minutes open with the title only when the item fits the minutes' audience.
              expect(JSON.stringify(await initialMinutesContent(world.meeting.id)).includes(title), "minutes scaffold").toBe(marking !== "TLP:RED");
            });
          }
        }
      }
    });
  }

  it("dashboard counts and the trend count only the action items each reader may read", async () => {
    const bodyId = world.cast.body.body.id;
    // The trend is drawn after held meetings: hold this one for the length of the test.
    const [{ status }] = await db().select({ status: meetings.status }).from(meetings).where(eq(meetings.id, world.meeting.id));
    await db().update(meetings).set({ status: "held" }).where(eq(meetings.id, world.meeting.id));
    try {
      for (const reader of READERS) {
        const actor = world.people[reader].actor;
        const visible = (await listActions({ actor, bodyId, input: { status: "all" } })).rows.filter((r) => r.originMeetingId === world.meeting.id).length;
        const expectedCount = Object.keys(expected).filter((m) => expected[m][AFTER].includes(reader)).length;
        expect(visible, reader).toBe(expectedCount);
        const { counts, trend } = await actionCounts({ actor, bodyId });
        const jp = counts[world.cast.body.delegations.JP.id];
        expect(jp ? jp.open + jp.in_progress + jp.done + jp.dropped : 0, `${reader}: counts`).toBe(expectedCount);
        const after = trend.find((t) => t.meetingId === world.meeting.id)!.perDelegation[world.cast.body.delegations.JP.id];
        expect(after ? after.open + after.closed : 0, `${reader}: trend`).toBe(expectedCount);
      }
    } finally {
      await db().update(meetings).set({ status }).where(eq(meetings.id, world.meeting.id));
    }
  });

  it("e-mail: minutes circulated go to the minutes' audience, each copy lists only the action items its reader may read, reminders follow the rule; no mail carries a record outside its reader's audience", async () => {
    await circulateMinutes({ actor: world.cast.secretariat.actor, input: { meetingId: world.meeting.id } });
    // Reminders too: the action items fall due on 2027-02-01, so two days before they are asked of their owners.
    await sendAsks({ now: new Date("2027-01-30T12:00:00Z") });
    const reminded = await db().select({ toEmail: outboxMessages.toEmail, text: outboxMessages.text }).from(outboxMessages).where(eq(outboxMessages.bodyId, world.cast.body.body.id));
    expect(reminded.some((m) => m.toEmail === world.people.jpDelegate.actor.email && m.text.includes("zwtlpgreenaction")), "the JP delegate is reminded").toBe(true);
    const smtp = await startSmtp();
    const transport = nodemailer.createTransport(smtp.url);
    try {
      while ((await deliverDueMessages({ transport, from: "concord@example.org", renderAttachment: renderOutboxAttachment, now: new Date("2100-01-01"), limit: 200 })).sent > 0);
      const byReader = new Map<Reader, string[]>();
      for (const mail of smtp.received) {
        const reader = READERS.find((r) => mail.to?.some((a) => a.address === world.people[r].actor.email));
        if (!reader) continue;
        const parts = [mail.subject ?? "", mail.text ?? ""];
        for (const a of mail.attachments) {
          parts.push(`[attachment ${a.filename}]`);
          const bytes = Buffer.from(a.content as ArrayBuffer);
          if (a.mimeType === "application/pdf") {
            const parser = new PDFParse({ data: new Uint8Array(bytes) });
            parts.push((await parser.getText()).text);
            await parser.destroy();
          } else parts.push(bytes.toString("utf8"));
        }
        byReader.set(reader, [...(byReader.get(reader) ?? []), parts.join("\n")]);
      }
      for (const reader of READERS) {
        const mails = byReader.get(reader) ?? [];
        const minutes = mails.filter((m) => m.includes(`[attachment minutes-meeting-`));
        expect(minutes.length, `${reader}: minutes circulated`).toBe(reader === "krUninvited" ? 0 : 1);
        for (const marking of Object.keys(expected)) {
          const may = expected[marking][AFTER].includes(reader);
          const words = [`zw${marking.replace(/\W/g, "").toLowerCase()}action`, `zx${marking.replace(/\W/g, "").toLowerCase()}paper`, `zy${marking.replace(/\W/g, "").toLowerCase()}item`];
          for (const word of words) if (!may) expect(mails.some((m) => m.includes(word)), `${reader} got ${word} by mail`).toBe(false);
          expect(mails.some((m) => m.includes(ANNEX_WORD)), `${reader} got the restricted annex by mail`).toBe(false);
          if (minutes.length) expect(minutes[0].includes(`zw${marking.replace(/\W/g, "").toLowerCase()}action`), `${reader}: ${marking} action in the minutes`).toBe(may);
        }
      }
    } finally {
      transport.close();
      await smtp.close();
    }
  });

  it("the restricted annex's version kept at circulation (the e-mail row circulated the minutes) reaches its TLP:RED audience only, page and export, and no search", async () => {
    const [version] = await db().select().from(annexVersions).where(eq(annexVersions.meetingId, world.meeting.id));
    expect(version?.kind, "kept at circulation").toBe("circulated");
    for (const reader of READERS) {
      const may = liveExpected.annex[AFTER].includes(reader);
      const actor = world.people[reader].actor;
      const page = await getAnnexPage({ actor, meetingId: world.meeting.id }).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e)));
      expect(page?.versions.some((v) => v.id === version.id) ?? false, `${reader}: page`).toBe(may);
      const file = await annexFile({ actor, meetingId: world.meeting.id, locale: "en", format: "md", source: { kind: "version", id: version.id } }).catch((e) => (e instanceof NotFoundError ? null : Promise.reject(e)));
      expect(file?.content.toString("utf8").includes(ANNEX_WORD) ?? false, `${reader}: export`).toBe(may);
      expect(Object.values((await search({ actor, input: { q: ANNEX_WORD } })).hits).flat(), `${reader}: search`).toEqual([]);
    }
  });

  it("calendar files carry no agenda item above TLP:GREEN, whoever asks", async () => {
    const titles = (await calendarAgendaTitles(db(), world.meeting.id)).map((t) => t.title);
    expect(titles).toContain("zytlpgreenitem");
    expect(titles).not.toContain("zytlpamberitem");
    expect(titles).not.toContain("zytlpreditem");
  });

  it("the meeting book built for a KR delegate lacks the JP AMBER+STRICT paper", async () => {
    const book = await meetingBook({ actor: world.people.krDelegate.actor, meetingId: world.meeting.id, locale: "en" });
    const parser = new PDFParse({ data: new Uint8Array(book.content) });
    const { text } = await parser.getText();
    await parser.destroy();
    expect(text).toContain("zxtlpgreenpaper content");
    expect(text).not.toContain("zxtlpamberstrictpaper");
    expect(text).toContain(world.people.krDelegate.user.name);
  });

  it("refuses AMBER+STRICT on a standing item, which becomes an item of every agenda", async () => {
    await expect(
      addStandingItem({ actor: world.cast.secretariat.actor, input: { bodyId: world.cast.body.body.id, title: "Strict standing item", kind: "standing", minutes: "10", marking: "TLP:AMBER+STRICT" } }),
    ).rejects.toMatchObject({ fieldErrors: { marking: [{ key: "errors:validation.choice" }] } });
  });

  it("refuses AMBER+STRICT on an agenda item, which every delegation shares", async () => {
    await expect(
      proposeItem({ actor: world.people.jpDelegate.actor, input: { meetingId: world.meeting.id, title: "Strict item", kind: "discussion", minutes: "10", marking: "TLP:AMBER+STRICT" } }),
    ).rejects.toMatchObject({ fieldErrors: { marking: [{ key: "errors:validation.choice" }] } });
  });
});

