import type { JSONContent } from "@tiptap/core";
import { and, eq } from "drizzle-orm";
import * as Y from "yjs";
import { dataPasses, minutes, minutesAnnexes, minutesApprovals, minutesRecords, minutesVersions } from "#db/schema";
import { db } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import { chipReferences, contentHash, docToJSON, dropChipTitles, jsonToHTML, jsonToText } from "~/lib/minutes-doc.server";
import { withTransaction } from "~/lib/transaction.server";
import { recordAudit } from "~/models/core/audit.server";
import { appendAnnexUpdate, compactAnnex, loadAnnexInto } from "~/models/annex/store.server";
import { appendUpdate, compact, loadInto } from "~/models/minutes/store.server";

/**
 * The one-time pass of ADR 042: every stored text of the minutes (the live document's rows,
 * each version, each adopted record, the search text) and every annex made to hold its chips
 * as references only. Titles written by editors before that decision are removed; content
 * hashes are computed again over the references, and the approvals tied to the old hash
 * follow it, so nobody's approval goes stale for a change nobody made. An adopted record's
 * SHA-256 changes with its stored HTML: the old and the new are kept in an audit event
 * (`minutes.record.rehash`), so a hash written down before can still be traced.
 *
 * Idempotent: run again, it finds nothing to change. The server runs it at start-up, once per
 * database (`data_passes`).
 */
export const CHIP_REFERENCES_PASS = "042-chip-references";

export async function runChipReferencesPass(): Promise<{ documents: number; versions: number; records: number; annexes: number }> {
  const [done] = await db().select().from(dataPasses).where(eq(dataPasses.name, CHIP_REFERENCES_PASS));
  if (done) return { documents: 0, versions: 0, records: 0, annexes: 0 };
  const counts = { documents: 0, versions: 0, records: 0, annexes: 0 };
  for (const row of await db().select({ meetingId: minutes.meetingId, bodyId: minutes.bodyId }).from(minutes)) {
    const changed = await referenceMinutes(row.meetingId, row.bodyId);
    counts.documents += changed.document ? 1 : 0;
    counts.versions += changed.versions;
    counts.records += changed.records;
  }
  for (const { meetingId } of await db().select({ meetingId: minutesAnnexes.meetingId }).from(minutesAnnexes)) {
    if (await referenceAnnex(meetingId)) counts.annexes++;
  }
  await db().insert(dataPasses).values({ name: CHIP_REFERENCES_PASS, doneAt: new Date() }).onConflictDoNothing();
  return counts;
}

/** Removes the titles in `doc` as a stored change; the update that removes them, or null. */
function dropCaptured(doc: Y.Doc): Uint8Array | null {
  let removal: Uint8Array | null = null;
  const capture = (update: Uint8Array) => void (removal = update);
  doc.on("update", capture);
  try {
    dropChipTitles(doc, "storage");
  } finally {
    doc.off("update", capture);
  }
  return removal;
}

const hasChipTitles = (json: JSONContent): boolean =>
  json.type === "actionItem" ? Object.keys(json.attrs ?? {}).some((k) => k !== "id" && k !== "ref") : (json.content ?? []).some(hasChipTitles);

async function referenceMinutes(meetingId: string, bodyId: string) {
  const result = { document: false, versions: 0, records: 0 };
  const doc = new Y.Doc();
  try {
    const live = await loadInto(meetingId, doc);
    if (live) {
      const removal = dropCaptured(doc);
      if (removal) {
        await appendUpdate(meetingId, removal, null);
        await compact(meetingId, doc);
        result.document = true;
      }
    }
    // The new hash of each old one: approvals follow it.
    const rehashed = new Map<string, string>();
    await withTransaction(async (tx) => {
      const [row] = await tx.select({ contentHash: minutes.contentHash }).from(minutes).where(eq(minutes.meetingId, meetingId));
      const json = docToJSON(doc);
      const hash = contentHash(json);
      if (live && row?.contentHash && row.contentHash !== hash) rehashed.set(row.contentHash, hash);
      // The search text is the minutes' text column (the index follows it by trigger, ADR 035),
      // rewritten from the live document; minutes without one keep the text they have.
      if (live) await tx.update(minutes).set({ text: jsonToText(json), contentHash: row?.contentHash ? hash : null }).where(eq(minutes.meetingId, meetingId));

      for (const version of await tx.select({ id: minutesVersions.id, state: minutesVersions.state, contentHash: minutesVersions.contentHash }).from(minutesVersions).where(eq(minutesVersions.meetingId, meetingId))) {
        const copy = new Y.Doc();
        Y.applyUpdateV2(copy, new Uint8Array(version.state));
        if (dropChipTitles(copy, "storage")) {
          const newHash = contentHash(docToJSON(copy));
          if (newHash !== version.contentHash) rehashed.set(version.contentHash, newHash);
          await tx.update(minutesVersions).set({ state: Buffer.from(Y.encodeStateAsUpdateV2(copy)), contentHash: newHash }).where(eq(minutesVersions.id, version.id));
          result.versions++;
        }
        copy.destroy();
      }
      for (const [before, after] of rehashed) {
        await tx.update(minutesApprovals).set({ contentHash: after }).where(and(eq(minutesApprovals.meetingId, meetingId), eq(minutesApprovals.contentHash, before)));
      }

      for (const record of await tx.select().from(minutesRecords).where(eq(minutesRecords.meetingId, meetingId))) {
        const stored = JSON.parse(record.json) as JSONContent;
        if (!hasChipTitles(stored)) continue;
        const json = chipReferences(stored);
        const html = await jsonToHTML(json);
        const sha = sha256(html);
        await tx.update(minutesRecords).set({ json: JSON.stringify(json), html, text: jsonToText(json), sha256: sha }).where(eq(minutesRecords.id, record.id));
        await recordAudit(tx, {
          bodyId,
          actorId: null,
          action: "minutes.record.rehash",
          entityType: "minutes",
          entityId: meetingId,
          before: { amendment: record.amendment, sha256: record.sha256 },
          after: { amendment: record.amendment, sha256: sha },
        });
        result.records++;
      }
    });
  } finally {
    doc.destroy();
  }
  return result;
}

async function referenceAnnex(meetingId: string): Promise<boolean> {
  const doc = new Y.Doc();
  try {
    if (!(await loadAnnexInto(meetingId, doc))) return false;
    const removal = dropCaptured(doc);
    if (!removal) return false;
    await appendAnnexUpdate(meetingId, removal, null);
    await compactAnnex(meetingId, doc);
    return true;
  } finally {
    doc.destroy();
  }
}
