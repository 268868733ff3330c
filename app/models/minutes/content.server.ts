import type { JSONContent } from "@tiptap/core";
import { and, eq, inArray, max, notInArray } from "drizzle-orm";
import * as Y from "yjs";
import { decisions, meetings, minutes, minutesVersions } from "#db/schema";
import { db, type DbOrTx } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";
import { getT } from "~/lib/i18n.server";
import { newId } from "~/lib/ids";
import { contentHash, decisionsIn, docToJSON, jsonToText } from "~/lib/minutes-doc.server";
import { MINUTES_FIELD } from "~/lib/minutes-schema";
import { listAgendaItems } from "~/models/agenda/agenda.server";
import { takeContributors } from "~/models/minutes/live.server";
import { attendanceForMinutes } from "~/models/participants/participants.server";
import { workingLanguageOf } from "~/models/people/bodies.server";

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
  const [meeting] = await db().select().from(meetings).where(eq(meetings.id, meetingId));
  const t = getT(meeting ? await workingLanguageOf(db(), meeting.bodyId) : "en");
  const people = await attendanceForMinutes(meetingId);
  const person = (p: (typeof people)[number]) =>
    t(`participants:minutesLine.${p.attendance}`, { name: p.name, delegation: p.code ?? t("minutes:initial.secretariat"), role: t(`participants:role.${p.role}`) });
  const attendance: JSONContent = people.length ? { type: "bulletList", content: people.map((p) => ({ type: "listItem", content: [paragraph(person(p))] })) } : paragraph();
  const items = meeting ? (await listAgendaItems(db(), meetingId)).filter((i) => i.status !== "withdrawn") : [];
  return {
    type: "doc",
    content: [heading(2, t("minutes:initial.attendance")), attendance, ...items.flatMap((i, n) => [heading(2, `${n + 1}. ${i.special ? t(`agenda:special.${i.special}`) : i.title}`, i.id), paragraph()])],
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

  const hash = await db().transaction(async (tx) => {
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
    if (changes.length) doc.transact(() => changes.forEach((change) => change()), "server");

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
    await saveVersion(meetingId, doc, "autosave", null, takeContributors(meetingId));
  }
}

/** A named version: the document's state as it is now, with its content hash and contributors. */
export async function saveVersion(
  meetingId: string,
  doc: Y.Doc,
  kind: (typeof minutesVersions.$inferInsert)["kind"],
  userId: string | null,
  contributors: string[],
  label?: string,
  tx?: DbOrTx,
): Promise<string> {
  // A life-cycle step passes its own transaction; alone, the version and its mark are one write.
  if (!tx) return withTransaction((own) => saveVersion(meetingId, doc, kind, userId, contributors, label, own));
  const json = docToJSON(doc);
  const at = new Date();
  const [version] = await tx
    .insert(minutesVersions)
    .values({ meetingId, kind, label: label ?? null, state: Buffer.from(Y.encodeStateAsUpdateV2(doc)), contentHash: contentHash(json), contributors, createdBy: userId, at })
    .returning({ id: minutesVersions.id });
  await tx.update(minutes).set({ lastVersionAt: at }).where(eq(minutes.meetingId, meetingId));
  return version.id;
}
