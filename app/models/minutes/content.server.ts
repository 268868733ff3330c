import type { JSONContent } from "@tiptap/core";
import { and, eq, inArray, max, notInArray } from "drizzle-orm";
import * as Y from "yjs";
import { decisions, meetings, minutes, minutesVersions } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";
import { newId } from "~/lib/ids";
import { contentHash, decisionsIn, docToJSON, jsonToText, jsonToUpdate } from "~/lib/minutes-doc.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { minutesSections } from "~/models/minutes/headings.server";
import { contributorsSince, forgetContributors } from "~/models/minutes/live.server";
import { appendUpdate } from "~/models/minutes/store.server";
import { attendanceForMinutes } from "~/models/participants/participants.server";

const AUTOSAVE_EVERY_MS = 15 * 60_000;

const text = (value: string): JSONContent => ({ type: "text", text: value });
const heading = (level: 2 | 3, value: string, agendaItemId: string | null = null): JSONContent => ({
  type: "heading",
  attrs: { level, agendaItemId },
  content: value ? [text(value)] : [],
});
const paragraph = (value = ""): JSONContent => ({ type: "paragraph", content: value ? [text(value)] : [] });

/**
 * A new record: the attendance (from the roll the secretariat took, nothing until it is taken),
 * then one section per agenda item in order, each ready for notes; its words in the body's
 * working language, whatever the language of the person whose visit created it.
 */
export async function initialMinutesContent(meetingId: string): Promise<JSONContent> {
  const { t, sections } = await minutesSections(meetingId);
  const people = await attendanceForMinutes(meetingId);
  const person = (p: (typeof people)[number]) =>
    t(`participants:minutesLine.${p.attendance}`, { name: p.name, delegation: p.code ?? t("minutes:initial.secretariat"), role: t(`participants:role.${p.role}`) });
  const attendance: JSONContent = people.length ? { type: "bulletList", content: people.map((p) => ({ type: "listItem", content: [paragraph(person(p))] })) } : paragraph();
  return {
    type: "doc",
    content: [heading(2, t("minutes:initial.attendance")), attendance, ...sections.flatMap((s) => [heading(2, s.text, s.agendaItemId), paragraph()])],
  };
}


/** Decision nodes in the live document, as Yjs elements (to number them in place). */
function decisionElements(doc: Y.Doc): Y.XmlElement[] {
  const fragment = doc.getXmlFragment(MINUTES_FIELD);
  const found: Y.XmlElement[] = [];
  for (const node of fragment.createTreeWalker((n) => n instanceof Y.XmlElement && n.nodeName === "decision")) found.push(node as Y.XmlElement);
  return found;
}

/**
 * After each store: number new decisions in the body's register and keep the register in
 * step with the document, keep the search text and content hash current, and take an
 * autosave version now and then.
 *
 * The register, not the document, is the truth about numbers: any client can write any
 * attribute, and a decision copied from elsewhere (this document or another meeting's)
 * arrives with someone else's id. So a decision keeps its id and number only when the
 * register holds that id for this meeting and it is the id's first appearance; every other
 * one gets a fresh id and the body's next number. Numbers are taken inside one write
 * transaction, so two meetings' minutes stored at once cannot both take the same number.
 */
export async function afterMinutesStored(meetingId: string, doc: Y.Doc): Promise<void> {
  const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
  if (!meeting) return;
  const [row] = await db().select().from(minutes).where(eq(minutes.meetingId, meetingId));

  const hash = await withTransaction(async (tx) => {
    const elements = decisionElements(doc);
    const ids = [...new Set(elements.map((el) => el.getAttribute("id")).filter((id): id is string => !!id))];
    const registered = new Map(
      (ids.length ? await tx.select({ id: decisions.id, meetingId: decisions.meetingId, number: decisions.number }).from(decisions).where(inArray(decisions.id, ids)) : []).map((d) => [d.id, d]),
    );
    const [top] = await tx.select({ n: max(decisions.number) }).from(decisions).where(eq(decisions.bodyId, meeting.bodyId));
    let next = Number(top?.n ?? 0);
    const seen = new Set<string>();
    const changes: Array<() => void> = [];
    for (const el of elements) {
      const id = el.getAttribute("id");
      const known = id ? registered.get(id) : undefined;
      if (id && known?.meetingId === meetingId && !seen.has(id)) {
        seen.add(id);
        if (Number(el.getAttribute("number")) !== known.number) changes.push(() => el.setAttribute("number", known.number as unknown as string));
        continue;
      }
      const fresh = newId();
      const number = ++next;
      seen.add(fresh);
      changes.push(() => {
        el.setAttribute("id", fresh);
        el.setAttribute("number", number as unknown as string);
      });
    }
    // The numbering is stored as an update in this same transaction as the register (origin
    // "storage": the collaboration server does not store it a second time).
    if (changes.length) {
      let numbered: Uint8Array | null = null;
      const capture = (update: Uint8Array) => void (numbered = update);
      doc.on("update", capture);
      doc.transact(() => changes.forEach((change) => change()), "storage");
      doc.off("update", capture);
      if (numbered) await appendUpdate(meetingId, numbered, null, tx);
    }

    const json = docToJSON(doc);
    const found = decisionsIn(json).filter((d) => d.id && d.number);
    for (const d of found) {
      await tx
        .insert(decisions)
        .values({ id: d.id!, bodyId: meeting.bodyId, meetingId, number: d.number!, text: d.text, agendaItemId: d.agendaItemId })
        .onConflictDoUpdate({ target: decisions.id, set: { text: d.text, agendaItemId: d.agendaItemId, updatedAt: new Date() } });
    }
    // A decision deleted from a draft leaves the register; adopted records keep theirs.
    if (row?.status !== "adopted") {
      const keep = found.map((d) => d.id!);
      await tx.delete(decisions).where(and(eq(decisions.meetingId, meetingId), keep.length ? notInArray(decisions.id, keep) : undefined));
    }
    const contentHashNow = contentHash(json);
    await tx.insert(minutes).values({ meetingId, bodyId: meeting.bodyId }).onConflictDoNothing();
    await tx.update(minutes).set({ text: jsonToText(json), contentHash: contentHashNow }).where(eq(minutes.meetingId, meetingId));
    return contentHashNow;
  });

  const changed = row?.contentHash !== hash;
  const due = !row?.lastVersionAt || Date.now() - row.lastVersionAt.getTime() > AUTOSAVE_EVERY_MS;
  if (changed && due) {
    const contributors = contributorsSince(meetingId);
    await withTransaction((tx, afterCommit) => {
      afterCommit(() => forgetContributors(meetingId, contributors));
      return saveVersion(tx, { meetingId, doc, kind: "autosave", userId: null, contributors });
    });
  }
}

/**
 * A named version: the document's state as it is now, with its content hash and contributors,
 * and the minutes row's note of when the last one was taken; both writes in the caller's
 * transaction, so neither exists without the other.
 */
export async function saveVersion(
  tx: DbOrTx,
  { meetingId, doc, kind, userId, contributors, label, at = new Date() }: { meetingId: string; doc: Y.Doc; kind: (typeof minutesVersions.$inferInsert)["kind"]; userId: string | null; contributors: string[]; label?: string; at?: Date },
) {
  const json = docToJSON(doc);
  const [version] = await tx
    .insert(minutesVersions)
    .values({ meetingId, kind, label: label ?? null, state: Buffer.from(Y.encodeStateAsUpdateV2(doc)), contentHash: contentHash(json), contributors, createdBy: userId, at })
    .returning({ id: minutesVersions.id });
  await tx.update(minutes).set({ lastVersionAt: at }).where(eq(minutes.meetingId, meetingId));
  return version.id;
}

const sameNode = (a: JSONContent, b: JSONContent) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes the document's text `target` by replacing only the top-level blocks that differ (the
 * common head and tail stay the same Yjs items). Anyone's caret in an unchanged block stays
 * exactly where it was; a caret in a removed block falls back to the nearest surviving spot.
 */
export function replaceContent(doc: Y.Doc, target: JSONContent): void {
  const fragment = doc.getXmlFragment(MINUTES_FIELD);
  const current = docToJSON(doc).content ?? [];
  const wanted = target.content ?? [];
  // The JSON drops elements outside the schema; then blocks and children do not line up.
  const aligned = current.length === fragment.length;
  let head = 0;
  let tail = 0;
  if (aligned) {
    while (head < current.length && head < wanted.length && sameNode(current[head], wanted[head])) head++;
    while (tail < current.length - head && tail < wanted.length - head && sameNode(current[current.length - 1 - tail], wanted[wanted.length - 1 - tail])) tail++;
  }
  const scratch = new Y.Doc();
  Y.applyUpdate(scratch, jsonToUpdate({ type: "doc", content: wanted.slice(head, wanted.length - tail) }));
  const blocks = scratch.getXmlFragment(MINUTES_FIELD).toArray().map((node) => (node as Y.XmlElement | Y.XmlText).clone());
  doc.transact(() => {
    const removed = fragment.length - head - tail;
    if (removed > 0) fragment.delete(head, removed);
    if (blocks.length) fragment.insert(head, blocks);
  }, "server");
}
