import type { JSONContent } from "@tiptap/core";
import { and, asc, eq } from "drizzle-orm";
import * as Y from "yjs";
import { annexRecords, annexVersions, minutesAnnexes } from "#db/schema";
import type { DbOrTx } from "~/lib/db.server";
import { sha256 } from "~/lib/hash";
import { ANNEX_MARKING } from "~/lib/markings";
import { chipReferences, contentHash, docToJSON, jsonToHTML } from "~/lib/minutes-doc.server";
import { recordAudit } from "~/models/core/audit.server";
import { loadAnnexInto } from "./store.server";

/**
 * The annex's versions and adopted records (ADR 042 addendum). The annex is frozen when the
 * minutes are circulated (ADR 037). Circulation therefore keeps a version of it, and each
 * adoption of the minutes (the original record, then each amendment) adopts the annex with
 * them, as its own record. That record holds JSON, HTML and the SHA-256 of that HTML, with
 * chips as references (ADR 042).
 *
 * Both are written in the caller's transaction, beside the minutes' own step, and audited.
 * Both live in the annex's own tables, which no search index, mail, calendar file or meeting
 * book reads. Pages and exports of them go through `getAnnexForMember`: the TLP:RED audience only.
 */
export async function freezeAnnex(
  tx: DbOrTx,
  { meetingId, bodyId, step, amendment, actorId, at }: { meetingId: string; bodyId: string; step: "circulated" | "adopted"; amendment: number; actorId: string; at: Date },
): Promise<void> {
  const [annex] = await tx.select({ meetingId: minutesAnnexes.meetingId }).from(minutesAnnexes).where(eq(minutesAnnexes.meetingId, meetingId));
  if (!annex) return;
  const doc = new Y.Doc();
  try {
    await loadAnnexInto(meetingId, doc, tx);
    const json = docToJSON(doc);
    const hash = contentHash(json);
    await tx.insert(annexVersions).values({ meetingId, kind: step, amendment, state: Buffer.from(Y.encodeStateAsUpdateV2(doc)), contentHash: hash, createdBy: actorId, at });
    if (step === "circulated") {
      await recordAudit(tx, { bodyId, actorId, action: "minutes.annex.circulate", entityType: "minutes", entityId: meetingId, after: { marking: ANNEX_MARKING, contentHash: hash } });
      return;
    }
    const html = await jsonToHTML(json);
    const digest = sha256(html);
    await tx.insert(annexRecords).values({ meetingId, amendment, json: JSON.stringify(json), html, sha256: digest, adoptedBy: actorId, adoptedAt: at });
    await recordAudit(tx, { bodyId, actorId, action: "minutes.annex.adopt", entityType: "minutes", entityId: meetingId, after: { marking: ANNEX_MARKING, amendment, sha256: digest } });
  } finally {
    doc.destroy();
  }
}

/** The annex's versions and records, newest last, for its page (the caller has checked the audience). */
export async function annexHistory(tx: DbOrTx, meetingId: string) {
  const versions = await tx
    .select({ id: annexVersions.id, kind: annexVersions.kind, amendment: annexVersions.amendment, at: annexVersions.at, contentHash: annexVersions.contentHash })
    .from(annexVersions)
    .where(eq(annexVersions.meetingId, meetingId))
    .orderBy(asc(annexVersions.at));
  const records = await tx
    .select({ id: annexRecords.id, amendment: annexRecords.amendment, sha256: annexRecords.sha256, adoptedAt: annexRecords.adoptedAt })
    .from(annexRecords)
    .where(eq(annexRecords.meetingId, meetingId))
    .orderBy(asc(annexRecords.amendment));
  return { versions, records };
}

/** A version's or a record's content, or null when there is no such one for this meeting. */
export async function annexSourceContent(tx: DbOrTx, meetingId: string, source: { kind: "version"; id: string } | { kind: "record"; amendment: number }) {
  if (source.kind === "version") {
    const [version] = await tx.select().from(annexVersions).where(and(eq(annexVersions.meetingId, meetingId), eq(annexVersions.id, source.id)));
    if (!version) return null;
    const doc = new Y.Doc();
    Y.applyUpdateV2(doc, new Uint8Array(version.state));
    const json = docToJSON(doc);
    doc.destroy();
    return { json, record: null };
  }
  const [record] = await tx.select().from(annexRecords).where(and(eq(annexRecords.meetingId, meetingId), eq(annexRecords.amendment, source.amendment)));
  if (!record) return null;
  return { json: chipReferences(JSON.parse(record.json) as JSONContent), record };
}
