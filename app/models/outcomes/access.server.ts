import { asc, eq } from "drizzle-orm";
import { bodies, delegations, outcomeDocuments } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import type { MarkedRecord } from "~/lib/markings";
import { can, type Member } from "~/lib/permissions";
import { audienceFor } from "~/models/core/audience.server";
import { getMeetingForMember, type Meeting } from "~/models/core/scope.server";
import { findSession } from "~/models/people/sessions.server";

export type OutcomeDocument = typeof outcomeDocuments.$inferSelect;
export type Delegation = typeof delegations.$inferSelect;

/**
 * How an outcome document looks to the TLP audience rule (ADR 019, 027): its marking and its
 * creator. It is shared by every delegation, so it never names delegations (no AMBER+STRICT).
 */
export const outcomeRecord = (d: Pick<OutcomeDocument, "marking" | "createdBy">): MarkedRecord => ({ marking: d.marking, createdBy: d.createdBy });

/**
 * An outcome document with its meeting, the viewer's membership and the body's delegations;
 * 404 for outsiders and for members outside its TLP audience. Every channel (page, live
 * connection, events, exports, verbs) comes through here, so the marking decides who reads it.
 */
export async function getOutcomeForMember(tx: DbOrTx, actor: Actor, documentId: string) {
  const [document] = await tx.select().from(outcomeDocuments).where(eq(outcomeDocuments.id, documentId)).limit(1);
  if (!document) throw new NotFoundError("outcome document");
  const { meeting, member } = await getMeetingForMember(tx, actor, document.meetingId);
  if (!(await audienceFor(tx, member, meeting.id)).may(outcomeRecord(document))) throw new NotFoundError("outcome document");
  const list = await tx.select().from(delegations).where(eq(delegations.bodyId, meeting.bodyId)).orderBy(asc(delegations.position));
  const [body] = await tx.select().from(bodies).where(eq(bodies.id, meeting.bodyId));
  return { document, meeting, member, delegations: list, body };
}

/** `TCCB/5/OD.1`, and `TCCB/5/OD.1/Rev.1` from the first revision on. */
export function outcomeSymbol(body: { slug: string; symbolPrefix: string | null }, meeting: Pick<Meeting, "ordinal">, document: Pick<OutcomeDocument, "number" | "revision">): string {
  const prefix = body.symbolPrefix?.trim() || body.slug.toUpperCase();
  return `${prefix}/${meeting.ordinal}/OD.${document.number}${document.revision ? `/Rev.${document.revision}` : ""}`;
}

/**
 * Who may type into the live text: delegates, heads and the secretariat while it is being
 * negotiated; nobody while it is under silence, adopted or issued (the text is what the
 * capitals are clearing); officials never.
 */
export function mayWriteOutcome(member: Member, document: Pick<OutcomeDocument, "status">, meeting: Pick<Meeting, "status">): boolean {
  if (meeting.status === "cancelled" || !can(member, "outcomes.write")) return false;
  return document.status === "negotiating";
}

/** Brackets belong to delegations: only a delegation's delegates and heads put them in. */
export const mayBracket = (member: Member) => can(member, "outcomes.bracket") && member.delegationId !== null;

/** The collaboration server's door for `outcome:<id>` documents. */
export async function authorizeOutcomeConnection({ token, documentId }: { token: string | null; documentId: string }) {
  if (!token) throw new NotFoundError("session");
  const session = await findSession(token);
  if (!session) throw new NotFoundError("session");
  const actor: Actor = { id: session.user.id, name: session.user.name, email: session.user.email };
  const { document, meeting, member, delegations: list } = await getOutcomeForMember(db(), actor, documentId);
  const code = list.find((d) => d.id === member.delegationId)?.code ?? null;
  return { actor, member, document, meeting, code, readOnly: !mayWriteOutcome(member, document, meeting), mayBracket: mayBracket(member) };
}
