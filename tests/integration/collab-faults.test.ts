import { createClient } from "@libsql/client";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { minutesSnapshots, minutesUpdates } from "#db/schema";
import { cookieFor, createCast } from "#tests/factories";
import { expectConsoleError } from "#tests/setup/console";
import { connectMinutes, paragraphsOf, textOf, type MinutesClient } from "#tests/support/collab-client";
import { changeOf, rawCollab } from "#tests/support/raw-collab";
import { shutdownCollab, withDocument } from "~/server/collab.server";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { createMeeting } from "~/models/meetings/meetings.server";
import { loadDoc } from "~/models/minutes/store.server";
import { listenForCollab } from "../support/collab-server";

/**
 * What one document or one client can do to the collaboration server: nothing that stops it,
 * slows the others down noticeably, or writes anything it may not write.
 */

let collab: Awaited<ReturnType<typeof listenForCollab>>;
let url: string;
let cast: Awaited<ReturnType<typeof createCast>>;
let meetingId: string;
const clients: MinutesClient[] = [];
const sockets: Array<{ terminate(): void }> = [];

beforeAll(async () => {
  cast = await createCast();
  const year = new Date().getUTCFullYear() + 1;
  const meeting = await createMeeting({
    actor: cast.secretariat.actor,
    input: { bodyId: cast.body.body.id, ordinal: "1", date: `${year}-04-14`, time: "09:00", endTime: "11:00", timeZone: "Asia/Tokyo", format: "virtual", link: "https://meet.example.org/minutes" },
  });
  meetingId = meeting.id;
  collab = await listenForCollab();
  url = collab.url;
});

afterAll(async () => {
  for (const c of clients) c.close();
  for (const s of sockets) s.terminate();
  await shutdownCollab();
  await collab.close();
});

async function client(userId: string) {
  const c = connectMinutes({ url, cookie: await cookieFor(userId), meetingId });
  clients.push(c);
  await c.whenSynced();
  return c;
}

const raw = async (userId: string) => {
  const r = await rawCollab({ url, cookie: await cookieFor(userId), documentName: `minutes:${meetingId}` });
  sockets.push(r.socket);
  await r.synced;
  return r;
};

const storedRowsBy = async (userId: string) =>
  (await db().select({ n: sql<number>`count(*)` }).from(minutesUpdates).where(and(eq(minutesUpdates.meetingId, meetingId), eq(minutesUpdates.userId, userId))))[0].n;

const paragraph = (doc: Y.Doc, text: string) => {
  const p = new Y.XmlElement("paragraph");
  p.insert(0, [new Y.XmlText(text)]);
  doc.getXmlFragment("default").push([p]);
};

const agendaHeadings = (doc: Y.Doc) =>
  doc
    .getXmlFragment("default")
    .toArray()
    .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "heading" && !!n.getAttribute("agendaItemId"))
    .map((h) => textOf(h.get(0) as Y.XmlText));

/** What the app logged as errors so far in this test (for a timeout's message). */
const logged = () =>
  vi
    .mocked(console.error)
    .mock.calls.flat()
    .map((a) => (a instanceof Error ? `${a.message} ${(a.cause as Error | undefined)?.message ?? ""}` : String(a)))
    .join("\n");

const waitFor = async (check: () => boolean | Promise<boolean>, ms = 15_000) => {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out; logged meanwhile: ${logged()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe("updates the server refuses", () => {
  it("from a reader: never stored or merged; the reader is told what was not saved and, typing on, is cut off", async () => {
    expectConsoleError(2); // Hocuspocus logs why it closed the connection
    const official = await raw(cast.official.user.id);
    const before = await storedRowsBy(cast.official.user.id);
    // A reader's first sync carrying changes (a stale offline copy): answered as not applied.
    official.sendUpdate(changeOf(official.doc, (d) => paragraph(d, "written while I could still write")), 1);
    await waitFor(() => official.notices.length > 0);
    expect(JSON.parse(official.notices[0])).toMatchObject({ type: "refused", reason: "readOnly", text: "written while I could still write" });
    // A reader typing: cut off with a reason.
    official.sendUpdate(changeOf(official.doc, (d) => paragraph(d, "typed as a reader")));
    expect((await official.closed).reason).toBe("read only");
    expect(await storedRowsBy(cast.official.user.id)).toBe(before);
    const stored = paragraphsOf(await loadDoc(meetingId));
    expect(stored).not.toContain("typed as a reader");
    expect(stored).not.toContain("written while I could still write");
  });

  it("that deletes, splits or retypes an agenda heading, from a raw client that bypasses the editor", async () => {
    expectConsoleError(6); // Hocuspocus logs why it closed each connection
    const headings = agendaHeadings(await loadDoc(meetingId));
    expect(headings.length).toBeGreaterThan(0);
    const attempts: Array<(d: Y.Doc) => void> = [
      // Delete the first agenda heading.
      (d) => {
        const fragment = d.getXmlFragment("default");
        const index = fragment.toArray().findIndex((n) => n instanceof Y.XmlElement && !!n.getAttribute("agendaItemId"));
        fragment.delete(index, 1);
      },
      // Type into it (how a merge or a stray keystroke arrives).
      (d) => {
        const heading = d.getXmlFragment("default").toArray().find((n) => n instanceof Y.XmlElement && !!n.getAttribute("agendaItemId")) as Y.XmlElement;
        (heading.get(0) as Y.XmlText).insert(3, "and more ");
      },
      // Split it: the tail leaves the heading.
      (d) => {
        const heading = d.getXmlFragment("default").toArray().find((n) => n instanceof Y.XmlElement && !!n.getAttribute("agendaItemId")) as Y.XmlElement;
        const text = heading.get(0) as Y.XmlText;
        text.delete(5, text.length - 5);
      },
    ];
    for (const attempt of attempts) {
      const writer = await raw(cast.delegate.user.id);
      const before = await storedRowsBy(cast.delegate.user.id);
      writer.sendUpdate(changeOf(writer.doc, attempt));
      expect((await writer.closed).reason).toBe("protected heading");
      expect(await storedRowsBy(cast.delegate.user.id)).toBe(before);
    }
    expect(agendaHeadings(await withDocument(meetingId, (d) => d))).toEqual(headings);
    // Writing beside a heading is ordinary text.
    const fine = await raw(cast.delegate.user.id);
    fine.sendUpdate(changeOf(fine.doc, (d) => paragraph(d, "a line after the last section")));
    await waitFor(() => fine.statuses.includes(1));
    expect(paragraphsOf(await loadDoc(meetingId))).toContain("a line after the last section");
    fine.socket.close();
  });

  it("that forges an agenda heading (an item that is not the meeting's, or a second heading for one that has its own), from a raw client", async () => {
    expectConsoleError(4); // Hocuspocus logs why it closed each connection (twice)
    const headings = agendaHeadings(await withDocument(meetingId, (d) => d));
    expect(headings.length).toBeGreaterThan(0);
    const existingId = (await withDocument(meetingId, (d) => d))
      .getXmlFragment("default")
      .toArray()
      .map((n) => (n instanceof Y.XmlElement ? n.getAttribute("agendaItemId") : null))
      .find((id): id is string => !!id)!;
    const forge = (agendaItemId: string) => (d: Y.Doc) => {
      const h = new Y.XmlElement("heading");
      h.setAttribute("level", 2 as unknown as string);
      h.setAttribute("agendaItemId", agendaItemId);
      h.insert(0, [new Y.XmlText("9. Forged item")]);
      d.getXmlFragment("default").push([h]);
    };
    for (const attempt of [forge("not-an-item-of-this-meeting"), forge(existingId)]) {
      const writer = await raw(cast.delegate.user.id);
      const before = await storedRowsBy(cast.delegate.user.id);
      writer.sendUpdate(changeOf(writer.doc, attempt));
      expect((await writer.closed).reason).toBe("protected heading");
      expect(JSON.parse(writer.notices.at(-1)!)).toMatchObject({ type: "refused", reason: "protected" });
      expect(await storedRowsBy(cast.delegate.user.id)).toBe(before);
    }
    expect(agendaHeadings(await withDocument(meetingId, (d) => d))).toEqual(headings);
    expect(paragraphsOf(await loadDoc(meetingId)).join("\n")).not.toContain("Forged item");
  });

  it("that is oversized, or a flood: that connection is closed and nobody else's editing stops", async () => {
    // Hocuspocus logs every refused message of the flood (the ones already on the wire too).
    expectConsoleError(2000);
    const writer = await client(cast.head.user.id);
    const big = await raw(cast.delegate.user.id);
    const before = await storedRowsBy(cast.delegate.user.id);
    big.sendUpdate(changeOf(big.doc, (d) => paragraph(d, "x".repeat(1_200_000))));
    expect((await big.closed).reason).toBe("update too large");
    expect(await storedRowsBy(cast.delegate.user.id)).toBe(before);

    const flood = await raw(cast.secretariat.user.id);
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(flood.doc));
    let previous = Y.encodeStateVector(local);
    const started = Date.now();
    for (let i = 0; i < 1000 && Date.now() - started < 1000; i++) {
      paragraph(local, `flood ${i}`);
      flood.sendUpdate(Y.encodeStateAsUpdate(local, previous));
      previous = Y.encodeStateVector(local);
    }
    writer.appendParagraph("typed during the flood");
    expect((await flood.closed).reason).toBe("too many updates");
    await writer.whenAcknowledged();
    expect(paragraphsOf(await loadDoc(meetingId))).toContain("typed during the flood");
  });
});

describe("agenda headings in the live minutes", () => {
  const proposal = (title: string) => ({ meetingId, title, description: "", kind: "discussion", leadDelegationId: cast.body.delegations.US.id, presenterId: "", minutes: "10", marking: "TLP:GREEN" });
  const edit = (item: { id: string; version: number; title: string }, changes: Record<string, string>) => ({ ...proposal(item.title), itemId: item.id, version: String(item.version), status: "agreed", ...changes });
  const headingsOf = (doc: Y.Doc) =>
    doc
      .getXmlFragment("default")
      .toArray()
      .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "heading")
      .map((h) => `${h.getAttribute("agendaItemId") ? "agenda" : "plain"}:${textOf(h.get(0) as Y.XmlText)}`);
  const numbered = (list: string[]) => list.filter((h) => h.startsWith("agenda:")).map((h) => h.replace(/^agenda:\d+\. /, ""));

  it("follow the agenda while the minutes are open: added, renamed, moved and withdrawn items, notes kept, nothing forged", async () => {
    const { proposeItem, updateItem, moveItem, getAgenda } = await import("~/models/agenda/agenda.server");
    const writer = await client(cast.delegate.user.id);
    const titles = async () => (await getAgenda({ actor: cast.delegate.actor, meetingId })).items.filter((i) => i.status !== "withdrawn").map((i) => i.title);
    const live = async () => headingsOf(await withDocument(meetingId, (d) => d));
    expect(numbered(await live())).toEqual(await titles());

    // Added: a heading (numbered) and an empty paragraph where the item goes; the open editor gets it too.
    const added = await proposeItem({ actor: cast.delegate.actor, input: proposal("Ransomware negotiators") });
    expect(numbered(await live())).toEqual(await titles());
    await waitFor(() => numbered(headingsOf(writer.doc)).includes("Ransomware negotiators"));
    expect(numbered(await live())).toContain("Ransomware negotiators");

    // Notes under it, then renamed: the heading's text changes, the notes stay under it.
    const fragment = writer.doc.getXmlFragment("default");
    const index = fragment.toArray().findIndex((n) => n instanceof Y.XmlElement && n.getAttribute("agendaItemId") === added.id);
    writer.doc.transact(() => {
      const p = new Y.XmlElement("paragraph");
      p.insert(0, [new Y.XmlText("Notes on negotiators")]);
      fragment.insert(index + 1, [p]);
    });
    await writer.whenAcknowledged();
    const renamed = await updateItem({ actor: cast.delegate.actor, input: edit(added, { title: "Ransomware negotiation firms" }) });
    expect(numbered(await live())).toEqual(await titles());
    await waitFor(() => numbered(headingsOf(writer.doc)).includes("Ransomware negotiation firms"));

    // Moved to the top: its section (heading and notes) moves, every number follows.
    const first = (await getAgenda({ actor: cast.delegate.actor, meetingId })).items[0];
    await moveItem({ actor: cast.delegate.actor, input: { itemId: added.id, afterId: "", beforeId: first.id } });
    expect(numbered(await live())).toEqual(await titles());
    expect((await titles())[0]).toBe("Ransomware negotiation firms");
    const after = (await withDocument(meetingId, (d) => d)).getXmlFragment("default").toArray();
    const at = after.findIndex((n) => n instanceof Y.XmlElement && n.getAttribute("agendaItemId") === added.id);
    expect(textOf((after[at + 1] as Y.XmlElement).get(0) as Y.XmlText)).toBe("Notes on negotiators");

    // Withdrawn with notes under it: the heading stays, as an ordinary one, so nothing written is lost.
    const current = (await getAgenda({ actor: cast.delegate.actor, meetingId })).items.find((i) => i.id === added.id)!;
    await updateItem({ actor: cast.delegate.actor, input: edit({ ...current, title: renamed.title }, { status: "withdrawn" }) });
    expect(numbered(await live())).toEqual(await titles());
    expect(await live()).toContain("plain:Ransomware negotiation firms");
    expect(paragraphsOf(await loadDoc(meetingId))).toContain("Notes on negotiators");

    // Withdrawn with nothing under it: the heading goes.
    const empty = await proposeItem({ actor: cast.delegate.actor, input: proposal("Nothing to note") });
    expect(numbered(await live())).toContain("Nothing to note");
    await updateItem({ actor: cast.delegate.actor, input: edit(empty, { status: "withdrawn" }) });
    expect((await live()).join("\n")).not.toContain("Nothing to note");
    expect(numbered(await live())).toEqual(await titles());

    // What the server wrote is stored: a fresh load has the same headings.
    await waitFor(async () => JSON.stringify(headingsOf(await loadDoc(meetingId))) === JSON.stringify(await live()));
  });

  it("never carry the title of an item above the minutes' audience: a TLP:RED item added or renamed gets the placeholder", async () => {
    const { proposeItem, updateItem } = await import("~/models/agenda/agenda.server");
    await client(cast.delegate.user.id);
    const live = async () => (await withDocument(meetingId, (d) => headingsOf(d))).join("\n");
    const red = await proposeItem({ actor: cast.delegate.actor, input: { ...proposal("Named source inside the Lazarus group"), marking: "TLP:RED" } });
    await updateItem({ actor: cast.delegate.actor, input: { ...edit(red, { title: "Named source, second cell" }), marking: "TLP:RED" } });
    const headings = await live();
    expect(headings).not.toContain("Named source");
    expect(headings).toContain("TLP:RED");
  });
});

// SQLITE_BUSY from another connection holding the write lock is the embedded file's failure
// (db-embedded.server.ts); a libSQL server queues writers itself (docs/scale-out.md).
describe.skipIf(process.env.TEST_DATABASE === "sqld")("a database that is busy during a compaction (embedded file)", () => {
  it("does not stop the server: the store is retried and the document compacted later, nothing deleted before", async () => {
    expectConsoleError(1); // the failed compaction, logged with its document
    const writer = await client(cast.delegate.user.id);
    writer.appendParagraph("before the lock");
    await writer.whenAcknowledged();
    const pending = async () => (await db().select({ n: sql<number>`count(*)` }).from(minutesUpdates).where(eq(minutesUpdates.meetingId, meetingId)))[0].n;

    // Another connection holds the write lock for longer than the driver waits (10 s), and the
    // document is stored meanwhile (as when the last editor leaves).
    const other = createClient({ url: env().DATABASE_URL });
    const lock = await other.transaction("write");
    await lock.execute({ sql: "UPDATE minutes SET text = text WHERE meeting_id = ?", args: [meetingId] });
    const storing = withDocument(meetingId, () => undefined);
    await new Promise((r) => setTimeout(r, 11_000));
    expect(logged()).toMatch(/storing \(database busy, will retry\) of minutes:/);
    expect(await pending()).toBeGreaterThan(0); // nothing deleted: the snapshot was not written
    await lock.commit();
    other.close();
    await storing;

    // Still serving, and compacted by the retry once the lock is gone.
    await waitFor(async () => (await pending()) === 0, 20_000);
    const [snapshot] = await db().select().from(minutesSnapshots).where(eq(minutesSnapshots.meetingId, meetingId));
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, new Uint8Array(snapshot.state));
    expect(paragraphsOf(doc)).toContain("before the lock");
    writer.appendParagraph("after the lock");
    await writer.whenAcknowledged();
    expect(paragraphsOf(await loadDoc(meetingId))).toEqual(expect.arrayContaining(["before the lock", "after the lock"]));
  }, 60_000);
});
