import { eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { describe, expect, it } from "vitest";
import { auditEvents, meetings, paperChunks, paperFiles, papers } from "#db/schema";
import { cookieFor, createCast, createMember } from "#tests/factories";
import { samplePdf, uploadRequest } from "#tests/support/papers";
import { BASE, context, get, respond } from "#tests/support/requests";
import { db } from "~/lib/db.server";
import { proposeItem } from "~/models/agenda/agenda.server";
import { listAgendaItems } from "~/models/agenda/agenda.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { sendInvitations } from "~/models/meetings/invitations.server";
import { getMeetingPapers, withdrawPaper } from "~/models/papers/papers.server";
import { ForbiddenError, NotFoundError } from "~/lib/errors";
import { sweepAbandonedUploads } from "~/models/papers/storage.server";
import * as papersRoute from "~/routes/meetings.$meetingId.papers";
import * as downloadRoute from "~/routes/papers.$paperId.download";
import * as agendaRoute from "~/routes/_app.meetings.$meetingId.agenda";
import { readPaperNotice } from "~/lib/paper-notice";

const NOW = new Date("2027-01-10T12:00:00Z");

async function setUp() {
  const cast = await createCast();
  const jpDelegate = await createMember(cast.body, "delegate", "JP");
  const krDelegate = await createMember(cast.body, "delegate", "KR");
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    now: NOW,
    input: { bodyId: cast.body.body.id, ordinal: "5", date: "2027-03-09", time: "19:00", endTime: "21:00", timeZone: "America/New_York", format: "virtual" },
  });
  await proposeItem({ actor: cast.delegate.actor, input: { meetingId: meeting.id, title: "Laundering through bridges", kind: "discussion", minutes: "20", marking: "TLP:GREEN" } });
  const items = await listAgendaItems(db(), meeting.id);
  const item = items.find((i) => i.title === "Laundering through bridges")!;
  return { cast, meeting, item, jpDelegate, krDelegate };
}

async function upload(meetingId: string, userId: string, fields: Record<string, string | string[]>, file?: Parameters<typeof uploadRequest>[3]) {
  const request = uploadRequest(meetingId, await cookieFor(userId), fields, file);
  return respond(() => papersRoute.action({ request, params: { meetingId }, context }));
}

async function download(paperId: string, userId: string, query = "") {
  const request = get(`/papers/${paperId}/download${query}`, await cookieFor(userId));
  return respond(() => downloadRoute.loader({ request, params: { paperId }, context }));
}

/** What storage holds for the meeting's body: the tests share one database file. */
async function storedFor(meetingId: string) {
  const [meeting] = await db().select({ bodyId: meetings.bodyId }).from(meetings).where(eq(meetings.id, meetingId));
  const files = await db().select({ id: paperFiles.id, paperId: paperFiles.paperId }).from(paperFiles).where(eq(paperFiles.bodyId, meeting.bodyId));
  const chunks = await db().select({ fileId: paperChunks.fileId }).from(paperChunks).innerJoin(paperFiles, eq(paperFiles.id, paperChunks.fileId)).where(eq(paperFiles.bodyId, meeting.bodyId));
  const rows = await db().select().from(papers).where(eq(papers.meetingId, meetingId));
  return { files, chunks, papers: rows };
}

describe("papers", () => {
  it("stores an uploaded PDF in chunks with its SHA-256 and a symbol, and streams it back unchanged", async () => {
    const { cast, meeting, item } = await setUp();
    const pdf = await samplePdf();
    const response = await upload(meeting.id, cast.delegate.user.id, { title: "Threat assessment", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "assessment.pdf", bytes: pdf, type: "application/pdf" });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.symbol).toMatch(/^[A-Z0-9]+\/5\/INF\.1$/);
    const [file] = await db().select().from(paperFiles).where(eq(paperFiles.paperId, body.paperId));
    const { createHash } = await import("node:crypto");
    expect(file.sha256).toBe(createHash("sha256").update(pdf).digest("hex"));
    expect(file.text).toContain("Laundering routes through mixers");
    const trail = await db().select().from(auditEvents).where(eq(auditEvents.entityId, body.paperId));
    expect(trail.map((e) => e.action)).toEqual(["paper.added"]);

    const got = await download(body.paperId, cast.official.user.id);
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(pdf);
  });

  it("gives a new version the next revision and keeps the old one reachable", async () => {
    const { cast, meeting, item } = await setUp();
    const first = await (await upload(meeting.id, cast.delegate.user.id, { title: "Scenario", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "s.pdf", bytes: await samplePdf("first text") })).json();
    const second = await upload(meeting.id, cast.delegate.user.id, { title: "Scenario", marking: "TLP:GREEN", agendaItemId: item.id, paperId: first.paperId }, { name: "s2.pdf", bytes: await samplePdf("second text") });
    expect((await second.json()).symbol).toMatch(/\/5\/INF\.1\/Rev\.1$/);
    const { papers: list } = await getMeetingPapers({ actor: cast.official.actor, meetingId: meeting.id });
    expect(list[0].versions.map((v) => v.revision)).toEqual([1, 0]);
    const old = await download(first.paperId, cast.official.user.id, `?version=${list[0].versions[1].id}`);
    expect(old.status).toBe(200);
  });

  it("refuses a 60 MB upload with a clear error and stores nothing", async () => {
    const { cast, meeting, item } = await setUp();
    const big = new Blob([new Uint8Array(60 * 1024 * 1024)], { type: "application/pdf" });
    const response = await upload(meeting.id, cast.delegate.user.id, { title: "Too big", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "big.pdf", bytes: big });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fieldErrors.file[0]).toEqual({ key: "papers:errors.tooLarge", values: { size: 50 } });
    const stored = await storedFor(meeting.id);
    expect(stored.papers).toEqual([]);
    expect(stored.files).toEqual([]);
    expect(stored.chunks).toEqual([]);
  });

  it("leaves nothing of an upload interrupted half-way", async () => {
    const { cast, meeting, item } = await setUp();
    const boundary = "----concord-test-boundary";
    const head = new TextEncoder().encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="agendaItemId"\r\n\r\n${item.id}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="half.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n`,
    );
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(head);
        else if (sent < 8) controller.enqueue(new Uint8Array(512 * 1024));
        else return controller.error(new Error("connection reset by peer"));
        sent++;
      },
    });
    const request = new Request(`${BASE}/meetings/${meeting.id}/papers`, {
      method: "POST",
      body,
      duplex: "half",
      headers: { origin: BASE, cookie: await cookieFor(cast.delegate.user.id), "content-type": `multipart/form-data; boundary=${boundary}` },
    } as RequestInit);
    const response = await respond(() => papersRoute.action({ request, params: { meetingId: meeting.id }, context })).catch((e: unknown) => e);
    expect(response instanceof Response ? response.status : 0).not.toBe(200);
    const stored = await storedFor(meeting.id);
    expect(stored.files).toEqual([]);
    expect(stored.chunks).toEqual([]);
    expect(stored.papers).toEqual([]);
  });

  it("sweeps at start-up an upload the process died during", async () => {
    const { cast } = await setUp();
    const { FileWriter } = await import("~/models/papers/storage.server");
    const writer = await FileWriter.open({ bodyId: cast.body.body.id, uploadedBy: cast.delegate.user.id, filename: "x.pdf", mediaType: "application/pdf" });
    await writer.write(new Uint8Array(300 * 1024));
    expect(await sweepAbandonedUploads(new Date(Date.now() + 1000))).toBeGreaterThanOrEqual(1);
    expect(await db().select().from(paperFiles).where(eq(paperFiles.id, writer.id))).toEqual([]);
    expect(await db().select().from(paperChunks).where(eq(paperChunks.fileId, writer.id))).toEqual([]);
  });

  it("refuses a file whose content does not match its type", async () => {
    const { cast, meeting, item } = await setUp();
    const fake = new TextEncoder().encode("MZ\x90\x00 this is an executable, not a PDF".padEnd(5000, "x"));
    const response = await upload(meeting.id, cast.delegate.user.id, { title: "Fake", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "report.pdf", bytes: fake });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.file[0].key).toBe("papers:errors.mismatch");
    const docx = await upload(meeting.id, cast.delegate.user.id, { title: "Fake", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "report.docx", bytes: await samplePdf() });
    expect((await docx.json()).fieldErrors.file[0].key).toBe("papers:errors.mismatch");
    const exe = await upload(meeting.id, cast.delegate.user.id, { title: "Fake", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "tool.exe", bytes: fake });
    expect((await exe.json()).fieldErrors.file[0].key).toBe("papers:errors.type");
    const stored = await storedFor(meeting.id);
    expect(stored.files).toEqual([]);
    expect(stored.chunks).toEqual([]);
  });

  it("refuses a DOCX at TLP:AMBER (it could not be stamped) and keeps nothing", async () => {
    const { cast, meeting, item } = await setUp();
    const { Document, Packer, Paragraph } = await import("docx");
    const docx = new Uint8Array(await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph("Exercise scenario")] }] })));
    const response = await upload(meeting.id, cast.delegate.user.id, { title: "Scenario", marking: "TLP:AMBER", agendaItemId: item.id }, { name: "scenario.docx", bytes: docx });
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors.marking[0].key).toBe("papers:errors.notStampable");
    expect((await storedFor(meeting.id)).files).toEqual([]);
    const green = await upload(meeting.id, cast.delegate.user.id, { title: "Scenario", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "scenario.docx", bytes: docx });
    expect(green.status).toBe(200);
    const [file] = await db().select().from(paperFiles).where(eq(paperFiles.paperId, (await green.json()).paperId));
    expect(file.text).toContain("Exercise scenario");
  });

  it("stamps an AMBER download with the marking and the reader's name on every page", async () => {
    const { cast, meeting, item } = await setUp();
    await sendInvitations({ actor: cast.secretariat.actor, now: NOW, input: { meetingId: meeting.id, delegationIds: Object.values(cast.body.delegations).map((d) => d.id), confirmNoLink: "on" } });
    const body = await (await upload(meeting.id, cast.delegate.user.id, { title: "Assessment", marking: "TLP:AMBER", agendaItemId: item.id }, { name: "a.pdf", bytes: await samplePdf() })).json();
    const got = await download(body.paperId, cast.official.user.id);
    expect(got.status).toBe(200);
    expect(got.headers.get("content-type")).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await got.arrayBuffer()) });
    const { pages } = await parser.getText();
    await parser.destroy();
    for (const page of pages) {
      expect(page.text).toContain("TLP:AMBER");
      expect(page.text).toContain(cast.official.user.name);
    }
  });

  it("shows the secretariat who opened which paper and when", async () => {
    const { cast, meeting, item, jpDelegate } = await setUp();
    const body = await (await upload(meeting.id, cast.delegate.user.id, { title: "Assessment", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "a.pdf", bytes: await samplePdf() })).json();
    await (await download(body.paperId, jpDelegate.user.id)).arrayBuffer();
    const { papers: forSecretariat } = await getMeetingPapers({ actor: cast.secretariat.actor, meetingId: meeting.id });
    expect(forSecretariat[0].reads?.map((r) => r.name)).toEqual([jpDelegate.user.name]);
    const { papers: forDelegate } = await getMeetingPapers({ actor: cast.delegate.actor, meetingId: meeting.id });
    expect(forDelegate[0].reads).toBeNull();
  });

  it("keeps officials and outsiders from adding papers", async () => {
    const { cast, meeting, item } = await setUp();
    const official = await upload(meeting.id, cast.official.user.id, { title: "x", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "a.pdf", bytes: await samplePdf() });
    expect(official.status).toBe(403);
    const outsider = await upload(meeting.id, cast.outsider.user.id, { title: "x", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "a.pdf", bytes: await samplePdf() });
    expect(outsider.status).toBe(404);
    expect((await storedFor(meeting.id)).files).toEqual([]);
  });

  it("tells an outsider nothing about a paper, not even that the reason to withdraw it was missing", async () => {
    const { cast, meeting, item, jpDelegate } = await setUp();
    const body = await (await upload(meeting.id, cast.delegate.user.id, { title: "Assessment", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "a.pdf", bytes: await samplePdf() })).json();
    const red = await (await upload(meeting.id, cast.delegate.user.id, { title: "Red assessment", marking: "TLP:RED", agendaItemId: item.id }, { name: "r.pdf", bytes: await samplePdf() })).json();
    // Membership first (404), then the right (403), then the input (400).
    await expect(withdrawPaper({ actor: cast.outsider.actor, input: { paperId: body.paperId } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawPaper({ actor: jpDelegate.actor, input: { paperId: red.paperId } })).rejects.toBeInstanceOf(NotFoundError);
    await expect(withdrawPaper({ actor: jpDelegate.actor, input: { paperId: body.paperId } })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(withdrawPaper({ actor: cast.delegate.actor, input: { paperId: body.paperId } })).rejects.toMatchObject({ fieldErrors: { reason: expect.anything() } });
    // A new version of a paper outside one's audience: 404 as well, and nothing kept.
    const before = (await storedFor(meeting.id)).files.length;
    const revise = await upload(meeting.id, jpDelegate.user.id, { title: "x", marking: "TLP:GREEN", agendaItemId: item.id, paperId: red.paperId }, { name: "a.pdf", bytes: await samplePdf() });
    expect(revise.status).toBe(404);
    expect((await storedFor(meeting.id)).files.length).toBe(before);
  });

  it("takes a plain form post without JavaScript and sends the page back to the item with what happened", async () => {
    const { cast, meeting, item } = await setUp();
    const asPage = (request: Request) => {
      const url = new URL(request.url);
      url.searchParams.set("item", item.id);
      const headers = new Headers(request.headers);
      headers.set("accept", "text/html,application/xhtml+xml");
      return new Request(url, { method: "POST", body: request.body, headers, duplex: "half" } as RequestInit);
    };
    const cookie = await cookieFor(cast.delegate.user.id);
    const pdf = await samplePdf();
    const ok = await respond(() =>
      papersRoute.action({ request: asPage(uploadRequest(meeting.id, cookie, { title: "Plain form", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "p.pdf", bytes: pdf })), params: { meetingId: meeting.id }, context }),
    );
    expect(ok.status).toBe(303);
    const back = new URL(ok.headers.get("location")!, BASE);
    expect(back.pathname).toBe(`/meetings/${meeting.id}/agenda`);
    expect(back.hash).toBe(`#papers-${item.id}`);
    expect(readPaperNotice(back.searchParams)).toMatchObject({ itemId: item.id, done: "added", symbol: expect.stringMatching(/INF\.1$/), errors: [] });

    const refused = await respond(() =>
      papersRoute.action({ request: asPage(uploadRequest(meeting.id, cookie, { title: "", marking: "TLP:GREEN", agendaItemId: item.id }, { name: "p.exe", bytes: new Uint8Array([77, 90, 0, 0]) })), params: { meetingId: meeting.id }, context }),
    );
    expect(refused.status).toBe(303);
    const notice = readPaperNotice(new URL(refused.headers.get("location")!, BASE).searchParams);
    expect(notice?.done).toBeNull();
    expect(notice?.errors.length).toBeGreaterThan(0);
    expect(notice?.errors.every((e) => /^(papers|errors):/.test(e.key))).toBe(true);
    // The page it lands on shows the outcome at the item.
    const page = await respond(() => agendaRoute.loader({ request: get(`${back.pathname}${back.search}`, cookie), params: { meetingId: meeting.id }, context }));
    expect((await page.json()).paperNotice).toMatchObject({ itemId: item.id, done: "added" });
    // A forged address cannot make the page say anything but a papers or validation message.
    expect(readPaperNotice(new URLSearchParams({ paperItem: item.id, paperError: JSON.stringify([{ key: "people:anything" }, { key: "papers:errors.empty", values: { x: "<b>".repeat(30) } }]) }))?.errors).toEqual([{ key: "papers:errors.empty", values: {} }]);
  });

  it("answers 415 to a body that is not a form", async () => {
    const { cast, meeting } = await setUp();
    const request = new Request(`${BASE}/meetings/${meeting.id}/papers`, { method: "POST", body: "{}", headers: { origin: BASE, cookie: await cookieFor(cast.delegate.user.id), "content-type": "application/json" } });
    const response = await respond(() => papersRoute.action({ request, params: { meetingId: meeting.id }, context }));
    expect(response.status).toBe(415);
  });
});
