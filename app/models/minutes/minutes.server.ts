import { and, asc, desc, eq } from "drizzle-orm";
import { z } from "zod";
import * as Y from "yjs";
import {
  bodies,
  decisions,
  delegations,
  minutes,
  minutesApprovals,
  minutesComments,
  minutesRecords,
  minutesVersions,
  users,
} from "#db/schema";
import type { Actor } from "~/lib/actor";
import { announceChange, contributorsSince, forgetContributors, reconnectEditors, withDocument } from "~/models/minutes/live.server";
import { db, type DbOrTx, type Tx } from "~/lib/db.server";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "~/lib/errors";
import { sha256 } from "~/lib/hash";
import { contentHash, docToJSON, jsonToHTML, jsonToText } from "~/lib/minutes-doc.server";
import { highestMarking, MINUTES_MARKING } from "~/lib/markings";
import { getT } from "~/lib/i18n.server";
import { audienceFor } from "~/models/core/audience.server";
import { chipsAsSeen } from "~/models/minutes/chips.server";
import { freezeAnnex } from "~/models/annex/records.server";
import { minutesDocumentName } from "~/lib/minutes-schema";
import { serialised } from "~/lib/serial.server";
import { withTransaction, type AfterCommit } from "~/lib/transaction.server";
import { can } from "~/lib/permissions";
import { optionalText, parseInput, scopeId, formConstraints } from "~/lib/validation";
import { assertCan } from "~/models/core/access.server";
import { createAction } from "~/models/actions/actions.server";
import { recordAudit } from "~/models/core/audit.server";
import { assertMinutesAudience, ensureMinutesRow, mayWrite, type MinutesRow } from "~/models/minutes/access.server";
import { annexLink } from "~/models/annex/access.server";
import { replaceContent, saveVersion } from "~/models/minutes/content.server";
import { namesOf } from "~/models/core/names.server";
import { signOffStates, type SignOffState } from "~/models/core/sign-off.server";
import { queueMinutesMessages } from "~/models/minutes/mail.server";
import { followingMeeting, getMeetingForMember, previousMeeting, type Meeting } from "~/models/core/scope.server";

export type ApprovalState = SignOffState;

/** Each delegation's approval of the minutes as they are now (of the amendment under way, if any). */
async function approvalStates(tx: DbOrTx, meeting: Meeting, row: MinutesRow, hash: string | null): Promise<ApprovalState[]> {
  // Adopted minutes (-1): every approval that led to a record counts as current.
  const amendment = row.amending ?? (row.status === "adopted" ? -1 : 0);
  const rows = await tx
    .select({ delegationId: minutesApprovals.delegationId, hash: minutesApprovals.contentHash, at: minutesApprovals.at, by: users.name, amendment: minutesApprovals.amendment })
    .from(minutesApprovals)
    .leftJoin(users, eq(users.id, minutesApprovals.userId))
    .where(eq(minutesApprovals.meetingId, meeting.id));
  const relevant = rows.filter((r) => amendment < 0 || r.amendment === amendment);
  return signOffStates(tx, meeting.bodyId, relevant, (s) => amendment < 0 || s.hash === hash);
}

/** Everything the minutes page shows a member of the body. */
export async function getMinutesPage({ actor, meetingId }: { actor: Actor; meetingId: string }) {
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  await assertMinutesAudience(db(), member, meeting);
  const row = await ensureMinutesRow(db(), meeting);
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const previous = await previousMeeting(db(), meeting);
  const next = await followingMeeting(db(), meeting);
  const versions = await db()
    .select({ id: minutesVersions.id, kind: minutesVersions.kind, label: minutesVersions.label, at: minutesVersions.at, contributors: minutesVersions.contributors, contentHash: minutesVersions.contentHash, by: users.name })
    .from(minutesVersions)
    .leftJoin(users, eq(users.id, minutesVersions.createdBy))
    .where(eq(minutesVersions.meetingId, meetingId))
    .orderBy(desc(minutesVersions.at));
  const records = await db()
    .select({ id: minutesRecords.id, amendment: minutesRecords.amendment, sha256: minutesRecords.sha256, reason: minutesRecords.reason, adoptedAt: minutesRecords.adoptedAt })
    .from(minutesRecords)
    .where(eq(minutesRecords.meetingId, meetingId))
    .orderBy(asc(minutesRecords.amendment));
  const register = await db().select().from(decisions).where(eq(decisions.meetingId, meetingId)).orderBy(asc(decisions.number));
  // The action items raised here as this reader may read them: placeholders outside their audience (ADR 037 addendum).
  const audience = await audienceFor(db(), member, meeting.id);
  const { chips, seen, readable } = await chipsAsSeen(db(), meetingId, audience, getT(body.workingLanguage)("minutes:chipRestricted"));
  const comments = await db()
    .select({ id: minutesComments.id, text: minutesComments.text, at: minutesComments.at, by: users.name })
    .from(minutesComments)
    .leftJoin(users, eq(users.id, minutesComments.userId))
    .where(eq(minutesComments.meetingId, meetingId))
    .orderBy(asc(minutesComments.at));
  const capitals = await db().select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const contributorIds = [...new Set(versions.flatMap((v) => v.contributors))];
  const names = await namesOf(db(), contributorIds);
  return {
    meeting,
    member,
    body,
    row,
    previous: previous ?? null,
    next: next ?? null,
    approvals: await approvalStates(db(), meeting, row, row.contentHash),
    versions: versions.map((v) => ({ ...v, contributors: v.contributors.map((id) => names.get(id) ?? "—") })),
    records,
    decisions: register,
    chips,
    /** The minutes' text as this reader may read it (chips outside their audience as placeholders). */
    seen,
    comments,
    delegations: capitals,
    // What this reader is shown: the minutes (MINUTES_MARKING, their banner) and the action items they may read.
    // Agenda items above it are placeholders in the minutes, so they do not raise it.
    marking: highestMarking([MINUTES_MARKING, ...readable.map((i) => i.marking)]),
    // The restricted annex (ADR 037): named only to those in its audience.
    annex: await annexLink(db(), member, meeting),
    can: {
      write: mayWrite(member, row, meeting),
      comment: can(member, "minutes.comment"),
      manage: can(member, "minutes.manage"),
      approve: can(member, "minutes.approve", { delegationId: member.delegationId }),
      createAction: can(member, "actions.create") && mayWrite(member, row, meeting),
      restore: row.status === "draft" && mayWrite(member, row, meeting),
    },
  };
}

// ---------- life cycle ----------
//
// Each step reads the live text first (that makes Hocuspocus store it, so it must not happen
// under the write lock or while holding the document), then checks, writes and audits in one
// transaction, as the document's one writer (`serialised`, shared with the collaboration
// server's hooks). Reconnecting editors and pushing the change to open pages are after-commit
// steps; a change to the live text (restore) follows once the document is released again.

/** The live document as it is now: a detached copy and its JSON. */
async function liveCopy(meetingId: string) {
  const update = await withDocument(meetingId, (doc) => Y.encodeStateAsUpdateV2(doc));
  const doc = new Y.Doc();
  Y.applyUpdateV2(doc, update);
  return { doc, json: docToJSON(doc) };
}

/** The meeting and minutes row as a manager sees them, read inside the step's transaction. */
async function forManagement(tx: DbOrTx, actor: Actor, meetingId: string) {
  const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
  assertCan(member, "minutes.manage");
  const row = await ensureMinutesRow(tx, meeting);
  return { meeting, member, row };
}

/**
 * The step's transaction, as the document's one writer. Its after-commit steps run once the
 * document is released: one that changes the live text makes Hocuspocus store it, and that
 * store waits for the document's writer.
 */
async function oneWriter<T>(meetingId: string, fn: (tx: Tx, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const effects: Array<() => unknown> = [];
  const result = await serialised(minutesDocumentName(meetingId), () => withTransaction((tx) => fn(tx, (effect) => void effects.push(effect))));
  for (const effect of effects) {
    try {
      await effect();
    } catch (error) {
      // The step is committed; a side effect that fails is reported, never undone.
      console.warn("a step after commit failed", error);
    }
  }
  return result;
}

/** The note the secretariat may give when it circulates or adopts (the confirmation asks for it). */
const noteSchema = z.object({ reason: optionalText(2000) });

/** Draft → circulated: from now on only the secretariat edits, everyone else comments; every member is told. */
export async function circulateMinutes({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  // Refuse before touching the live document: an outsider must not even load it.
  await forManagement(db(), actor, meetingId);
  const { reason } = parseInput(noteSchema, input);
  const live = await liveCopy(meetingId);
  const contributors = contributorsSince(meetingId);
  await oneWriter(meetingId, async (tx, afterCommit) => {
    const { meeting, row } = await forManagement(tx, actor, meetingId);
    if (row.status !== "draft") throw ValidationError.field("", "minutes:errors.notDraft");
    await saveVersion(tx, { meetingId, doc: live.doc, kind: "circulated", userId: actor.id, contributors, at: now });
    // The annex is frozen with the minutes (ADR 037): its circulated version is kept beside theirs.
    await freezeAnnex(tx, { meetingId, bodyId: meeting.bodyId, step: "circulated", amendment: 0, actorId: actor.id, at: now });
    await tx.update(minutes).set({ status: "circulated", circulatedAt: now, circulatedBy: actor.id, contentHash: contentHash(live.json) }).where(eq(minutes.meetingId, meetingId));
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.circulate", entityType: "minutes", entityId: meetingId, before: { status: "draft" }, after: { status: "circulated", ...(reason ? { reason } : {}) } });
    await queueMinutesMessages(tx, meeting, "circulated");
    afterCommit(() => forgetContributors(meetingId, contributors));
    afterCommit(() => announceChange(meetingId, "circulated"));
    afterCommit(() => reconnectEditors(meetingId));
  });
}

const approveSchema = z.object({ hash: z.string().min(1).max(128).optional() });

/** A head approves, for their delegation, the minutes exactly as they are now; any change voids it. */
export async function approveMinutes({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { hash: seen } = parseInput(approveSchema, input);
  const approver = async (tx: DbOrTx) => {
    const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
    assertCan(member, "minutes.approve", { delegationId: member.delegationId });
    const row = await ensureMinutesRow(tx, meeting);
    const amending = row.status === "adopted" && row.amending !== null;
    if (row.status !== "circulated" && !amending) throw ValidationError.field("", "minutes:errors.notCirculated");
    return { meeting, member, row };
  };
  await approver(db());
  const live = await liveCopy(meetingId);
  const hash = contentHash(live.json);
  if (seen && seen !== hash) throw new ConflictError({ hash }, null, null);
  await oneWriter(meetingId, async (tx, afterCommit) => {
    const { meeting, member, row } = await approver(tx);
    await tx.insert(minutesApprovals).values({ meetingId, delegationId: member.delegationId!, userId: actor.id, contentHash: hash, amendment: row.amending ?? 0, at: now });
    await tx.update(minutes).set({ contentHash: hash }).where(eq(minutes.meetingId, meetingId));
    await saveVersion(tx, { meetingId, doc: live.doc, kind: "approval", userId: actor.id, contributors: [], label: member.delegationId ?? undefined, at: now });
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.approve", entityType: "minutes", entityId: meetingId, after: { delegationId: member.delegationId, hash, amendment: row.amending ?? 0 } });
    afterCommit(() => announceChange(meetingId, "approved"));
  });
}

/**
 * The secretariat adopts minutes every delegation has approved as they are now: the record is
 * frozen (JSON, rendered HTML and its SHA-256) and nobody edits it any more. An amendment is
 * adopted the same way, as a new record with its number and reason.
 */
export async function adoptMinutes({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const adoptable = async (tx: DbOrTx) => {
    const found = await forManagement(tx, actor, meetingId);
    const amending = found.row.status === "adopted" && found.row.amending !== null;
    if (found.row.status !== "circulated" && !amending) throw ValidationError.field("", "minutes:errors.notCirculated");
    return { ...found, amending };
  };
  await adoptable(db());
  const { reason } = parseInput(noteSchema, input);
  const live = await liveCopy(meetingId);
  const hash = contentHash(live.json);
  const html = await jsonToHTML(live.json);
  const contributors = contributorsSince(meetingId);
  await oneWriter(meetingId, async (tx, afterCommit) => {
    const { meeting, row, amending } = await adoptable(tx);
    const states = await approvalStates(tx, meeting, row, hash);
    if (states.some((s) => s.state !== "current")) throw ValidationError.field("", "minutes:errors.notAllApproved");
    const amendment = row.amending ?? 0;
    await tx.insert(minutesRecords).values({
      meetingId,
      amendment,
      json: JSON.stringify(live.json),
      html,
      text: jsonToText(live.json),
      sha256: sha256(html),
      reason: amending ? await pendingReason(tx, meetingId) : null,
      adoptedBy: actor.id,
      adoptedAt: now,
    });
    await tx.update(minutes).set({ status: "adopted", amending: null, adoptedAt: now, adoptedBy: actor.id, contentHash: hash }).where(eq(minutes.meetingId, meetingId));
    await saveVersion(tx, { meetingId, doc: live.doc, kind: "adopted", userId: actor.id, contributors, label: amending ? `amendment ${amendment}` : undefined, at: now });
    // Adopted together: the annex's own record, with its own SHA-256, for its TLP:RED audience (ADR 042 addendum).
    await freezeAnnex(tx, { meetingId, bodyId: meeting.bodyId, step: "adopted", amendment, actorId: actor.id, at: now });
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: amending ? "minutes.amendment.adopt" : "minutes.adopt", entityType: "minutes", entityId: meetingId, after: { amendment, sha256: sha256(html), ...(reason ? { reason } : {}) } });
    await queueMinutesMessages(tx, meeting, "adopted");
    afterCommit(() => forgetContributors(meetingId, contributors));
    afterCommit(() => announceChange(meetingId, "adopted"));
    afterCommit(() => reconnectEditors(meetingId));
  });
}

async function pendingReason(tx: DbOrTx, meetingId: string) {
  const [version] = await tx
    .select({ label: minutesVersions.label })
    .from(minutesVersions)
    .where(and(eq(minutesVersions.meetingId, meetingId), eq(minutesVersions.kind, "amendment")))
    .orderBy(desc(minutesVersions.at))
    .limit(1);
  return version?.label ?? null;
}

const amendSchema = z.object({ reason: z.string().trim().min(1).max(2000) });
export const amendConstraints = formConstraints(amendSchema);

/** A correction to adopted minutes: the secretariat edits, the heads approve again, a new record is adopted. */
export async function startAmendment({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const amendable = async (tx: DbOrTx) => {
    const found = await forManagement(tx, actor, meetingId);
    if (found.row.status !== "adopted" || found.row.amending !== null) throw ValidationError.field("", "minutes:errors.notAdopted");
    return found;
  };
  await amendable(db());
  const { reason } = parseInput(amendSchema, input);
  const live = await liveCopy(meetingId);
  await oneWriter(meetingId, async (tx, afterCommit) => {
    const { meeting } = await amendable(tx);
    const [last] = await tx.select({ n: minutesRecords.amendment }).from(minutesRecords).where(eq(minutesRecords.meetingId, meetingId)).orderBy(desc(minutesRecords.amendment)).limit(1);
    const amending = (last?.n ?? 0) + 1;
    await saveVersion(tx, { meetingId, doc: live.doc, kind: "amendment", userId: actor.id, contributors: [], label: reason, at: now });
    await tx.update(minutes).set({ amending }).where(eq(minutes.meetingId, meetingId));
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.amendment.start", entityType: "minutes", entityId: meetingId, after: { amendment: amending, reason } });
    afterCommit(() => announceChange(meetingId, "amending"));
    afterCommit(() => reconnectEditors(meetingId));
  });
}

const restoreSchema = z.object({ versionId: z.string().min(1).max(64) });

/**
 * Puts an earlier version's content back into a draft. The change is worked out on a copy of
 * the live document and recorded (as a version, with its audit entry) in one transaction;
 * only after the commit is it applied to the live document, where everyone editing sees it.
 */
export async function restoreVersion({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  const { versionId } = parseInput(restoreSchema, input);
  const restorable = async (tx: DbOrTx) => {
    const { meeting, member } = await getMeetingForMember(tx, actor, meetingId);
    const row = await ensureMinutesRow(tx, meeting);
    if (!mayWrite(member, row, meeting)) throw new ForbiddenError({ key: "permissions:denied.minutes.write" });
    if (row.status !== "draft") throw ValidationError.field("", "minutes:errors.restoreDraftOnly");
    const [version] = await tx.select().from(minutesVersions).where(and(eq(minutesVersions.id, versionId), eq(minutesVersions.meetingId, meetingId)));
    if (!version) throw new NotFoundError("version");
    return { meeting, version };
  };
  const { version } = await restorable(db());
  const old = new Y.Doc();
  Y.applyUpdateV2(old, new Uint8Array(version.state));
  const target = docToJSON(old);
  const live = await liveCopy(meetingId);
  const before = Y.encodeStateVector(live.doc);
  replaceContent(live.doc, target);
  const change = Y.encodeStateAsUpdate(live.doc, before);
  await oneWriter(meetingId, async (tx, afterCommit) => {
    const { meeting } = await restorable(tx);
    await saveVersion(tx, { meetingId, doc: live.doc, kind: "restored", userId: actor.id, contributors: [], label: version.at.toISOString() });
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.restore", entityType: "minutes", entityId: meetingId, after: { versionId, kind: version.kind, at: version.at.toISOString() } });
    afterCommit(() => withDocument(meetingId, (doc) => Y.applyUpdate(doc, change, "server")));
    afterCommit(() => announceChange(meetingId, "restored"));
  });
}

const commentSchema = z.object({ text: z.string().trim().min(1).max(5000) });
export const commentConstraints = formConstraints(commentSchema);

export async function commentOnMinutes({ actor, input, now = new Date() }: { actor: Actor; input: unknown; now?: Date }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  assertCan(member, "minutes.comment");
  const { text } = parseInput(commentSchema, input);
  await withTransaction(async (tx) => {
    const [comment] = await tx.insert(minutesComments).values({ meetingId, userId: actor.id, text, at: now }).returning();
    await recordAudit(tx, { bodyId: meeting.bodyId, actorId: actor.id, action: "minutes.comment", entityType: "minutes_comment", entityId: comment.id, after: { text } });
  });
}

/**
 * "Action item" on a selection: creates the real item, raised at this meeting, owned by the
 * writer's delegation (the secretariat picks the host's), due by the next meeting. The editor
 * then shows it inline as a chip with its live status.
 */
export async function actionFromSelection({ actor, input }: { actor: Actor; input: unknown }) {
  const meetingId = scopeId(input, "meetingId");
  const { meeting, member } = await getMeetingForMember(db(), actor, meetingId);
  const row = await ensureMinutesRow(db(), meeting);
  if (!mayWrite(member, row, meeting)) throw new ForbiddenError({ key: "permissions:denied.minutes.write" });
  // The title is validated by createAction: too long is a field error, never cut short.
  const title = String((input as Record<string, unknown>).title ?? "").trim();
  const [body] = await db().select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  const owner = (input as Record<string, unknown>).ownerDelegationId || member.delegationId || meeting.hostDelegationId;
  return createAction({
    actor,
    input: {
      bodyId: meeting.bodyId,
      title,
      detail: "",
      ownerDelegationId: owner,
      dueKind: "next_meeting",
      marking: body.defaultMarking,
      originMeetingId: meetingId,
      originAgendaItemId: (input as Record<string, unknown>).agendaItemId || undefined,
    },
  });
}
