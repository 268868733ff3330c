import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { agendaItems, bodies, markings, paperFiles, papers } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { contentMatches, extensionOf, PAPER_FORMATS, STAMPABLE_TYPES, type PaperExtension } from "~/lib/documents/file-types.server";
import { isStampable } from "~/lib/documents/stamp.server";
import { extractText } from "~/lib/documents/text.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { agendaChannel, publish, type AgendaEvent } from "~/lib/events.server";
import { isStamped } from "~/lib/markings";
import { symbolOf } from "~/lib/symbols";
import { withTransaction } from "~/lib/transaction.server";
import { LIMITS, parseInput } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { audienceFor } from "~/models/core/audience.server";
import { recordAudit } from "~/models/core/audit.server";
import { getMeetingForMember } from "~/models/core/scope.server";
import { nextSymbolNumber } from "~/models/core/symbols.server";
import { paperRecord } from "./papers.server";
import { FileWriter, maxPaperBytes, readStoredBytes, readStoredFile } from "./storage.server";

/** Text is extracted for search from files up to this size; bigger ones are found by title. */
const TEXT_MAX_BYTES = 20 * 1024 * 1024;
/** A form field other than the file is never longer than this. */
const FIELD_MAX_BYTES = 16 * 1024;

const fieldsSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.title),
  marking: z.enum(markings),
  agendaItemId: z.string().min(1).max(64),
  /** A new version of this paper rather than a new paper. */
  paperId: z
    .string()
    .max(64)
    .optional()
    .transform((v) => v || undefined),
  delegationIds: z.array(z.string().min(1).max(64)).max(20).default([]),
});

type Received =
  | { ok: true; writer: FileWriter; ext: PaperExtension; filename: string }
  | { ok: false; reason: "tooLarge" | "type" | "missing" | "twoFiles"; writer?: FileWriter };

async function drain(data: AsyncIterable<Uint8Array>) {
  for await (const _ of data) void _;
}

/**
 * A paper arrives as multipart/form-data, streamed: the file part goes into storage chunk by
 * chunk as it is read, so memory holds a chunk, never the file. Membership and the right to
 * add papers are checked before a byte is read. A file over the limit is read to its end but
 * not kept (so the browser sees the answer rather than a broken connection); a file whose
 * content is not what its name says, a refused marking, invalid fields or a connection that
 * breaks half-way all end with the file removed: nothing of a failed upload stays.
 */
export async function addPaper({ actor, input, request }: { actor: Actor; input: { meetingId: string }; request: Request }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, input.meetingId);
  assertCan(member, "papers.add");
  if (meeting.status === "cancelled") throw new ForbiddenError({ key: "papers:errors.cancelled" });

  const limit = maxPaperBytes();
  let file: Received = { ok: false, reason: "missing" };
  const fields: Record<string, string[]> = {};
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (name !== "file" || filename === undefined) {
      let text = "";
      let bytes = 0;
      const decoder = new TextDecoder();
      for await (const chunk of data) {
        bytes += chunk.byteLength;
        if (bytes <= FIELD_MAX_BYTES) text += decoder.decode(chunk, { stream: true });
      }
      (fields[name] ??= []).push(bytes <= FIELD_MAX_BYTES ? text + decoder.decode() : "");
      return undefined;
    }
    if (file.ok || file.reason !== "missing" || filename === "") {
      if (file.ok || file.reason !== "missing") file = { ...file, ok: false, reason: file.ok ? "twoFiles" : file.reason } as Received;
      await drain(data);
      return undefined;
    }
    const ext = extensionOf(filename);
    if (!ext) {
      file = { ok: false, reason: "type" };
      await drain(data);
      return undefined;
    }
    const writer = await FileWriter.open({ bodyId: meeting.bodyId, uploadedBy: actor.id, filename: filename.slice(0, 255), mediaType: PAPER_FORMATS[ext].mediaType });
    file = { ok: true, writer, ext, filename };
    for await (const chunk of data) {
      if (!file.ok) continue; // over the limit: read to the end, keep nothing
      if (writer.size + chunk.byteLength > limit) {
        file = { ok: false, reason: "tooLarge", writer };
        await writer.discard();
        continue;
      }
      await writer.write(chunk);
    }
    return undefined;
  };

  try {
    await unstable_parseMultipartFormData(request, handler);
  } catch (error) {
    // The connection broke, or the body was not multipart: whatever arrived goes.
    const partial = file as Received;
    if (partial.writer) await partial.writer.discard();
    if (request.signal.aborted) throw error;
    throw ValidationError.field("file", "papers:errors.unreadable");
  }

  const got = file as Received;
  if (!got.ok) {
    if (got.writer && got.reason !== "tooLarge") await got.writer.discard();
    const values = got.reason === "tooLarge" ? { size: Math.round(limit / 1024 / 1024) } : undefined;
    throw ValidationError.field("file", `papers:errors.${got.reason}`, values);
  }
  const received = got;
  try {
    return await storePaper({ actor, meetingId: meeting.id, received, fields });
  } catch (error) {
    await received.writer.discard();
    throw error;
  }
}

async function storePaper({ actor, meetingId, received, fields }: { actor: Actor; meetingId: string; received: Extract<Received, { ok: true }>; fields: Record<string, string[]> }) {
  const { writer, ext } = received;
  const { size, sha256 } = await writer.finish();
  if (size === 0) throw ValidationError.field("file", "papers:errors.empty");
  const stored = { id: writer.id, storage: (await db().select({ storage: paperFiles.storage }).from(paperFiles).where(eq(paperFiles.id, writer.id)))[0].storage, sha256, size };
  if (!(await contentMatches(ext, () => readStoredFile(stored)))) throw ValidationError.field("file", "papers:errors.mismatch", { type: ext.toUpperCase() });

  const data = parseInput(fieldsSchema, {
    title: fields.title?.[0] ?? "",
    marking: fields.marking?.[0] ?? "",
    agendaItemId: fields.agendaItemId?.[0] ?? "",
    paperId: fields.paperId?.[0],
    delegationIds: fields.delegationIds ?? [],
  });
  const mediaType = PAPER_FORMATS[ext].mediaType;
  if (isStamped(data.marking) && !STAMPABLE_TYPES.has(mediaType)) {
    throw ValidationError.field("marking", "papers:errors.notStampable", { type: ext.toUpperCase() });
  }
  const needsBytes = (isStamped(data.marking) && mediaType === "application/pdf") || ((ext === "pdf" || ext === "docx") && size <= TEXT_MAX_BYTES);
  const bytes = needsBytes ? await readStoredBytes(stored) : null;
  if (bytes && isStamped(data.marking) && mediaType === "application/pdf" && !(await isStampable(bytes))) {
    throw ValidationError.field("file", "papers:errors.unstampable");
  }
  const text = bytes && size <= TEXT_MAX_BYTES ? await extractText(mediaType, bytes) : "";

  const result = await withTransaction(async (tx, afterCommit) => {
    const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
    const [item] = await tx.select().from(agendaItems).where(and(eq(agendaItems.id, data.agendaItemId), eq(agendaItems.meetingId, meeting.id)));
    if (!item) throw ValidationError.field("agendaItemId", "errors:validation.choice");
    const delegationIds =
      data.marking === "TLP:AMBER+STRICT" ? [...new Set([...(member.delegationId ? [member.delegationId] : []), ...data.delegationIds])] : [];
    if (data.marking === "TLP:AMBER+STRICT" && delegationIds.length === 0) throw ValidationError.field("delegationIds", "papers:errors.noDelegation");
    const [body] = await tx.select({ nameEn: bodies.nameEn, symbolPrefix: bodies.symbolPrefix }).from(bodies).where(eq(bodies.id, meeting.bodyId));

    let paper: typeof papers.$inferSelect;
    if (data.paperId) {
      const [existing] = await tx.select().from(papers).where(and(eq(papers.id, data.paperId), eq(papers.meetingId, meeting.id)));
      // Outside the reader's audience a paper does not exist for them (404 before 403).
      if (!existing || !(await audienceFor(tx, member, meeting.id)).may(paperRecord(existing))) throw new NotFoundError("paper");
      if (existing.uploadedBy !== actor.id) assertCan(member, "papers.manage");
      [paper] = await tx
        .update(papers)
        .set({ revision: existing.revision + 1, title: data.title, marking: data.marking, delegationIds, agendaItemId: item.id })
        .where(eq(papers.id, existing.id))
        .returning();
    } else {
      const number = await nextSymbolNumber(tx, meeting.id, "INF");
      [paper] = await tx
        .insert(papers)
        .values({ bodyId: meeting.bodyId, meetingId: meeting.id, agendaItemId: item.id, number, title: data.title, marking: data.marking, delegationIds, delegationId: member.delegationId, uploadedBy: actor.id })
        .returning();
    }
    await tx.update(paperFiles).set({ paperId: paper.id, revision: paper.revision, text }).where(eq(paperFiles.id, writer.id));
    const symbol = symbolOf({ bodyNameEn: body.nameEn, prefix: body.symbolPrefix, ordinal: meeting.ordinal, series: "INF", number: paper.number, revision: paper.revision });
    await recordAudit(tx, {
      bodyId: meeting.bodyId,
      actorId: actor.id,
      action: paper.revision ? "paper.revised" : "paper.added",
      entityType: "paper",
      entityId: paper.id,
      after: { symbol, title: paper.title, marking: paper.marking, filename: received.filename, size, sha256 },
    });
    afterCommit(() => publish<AgendaEvent>(agendaChannel(meeting.id), { version: 0, by: { id: actor.id, name: actor.name }, what: "paper", record: paperRecord(paper) }));
    return { paperId: paper.id, fileId: writer.id, symbol };
  });
  return result;
}
