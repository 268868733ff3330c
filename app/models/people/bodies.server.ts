import { eq } from "drizzle-orm";
import { z } from "zod";
import { bodies, delegations } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { delegationsOfBody } from "~/models/core/scope.server";
import { NotFoundError } from "~/lib/errors";
import { defaultLocale, locales, type Locale } from "~/lib/i18n";
import { can } from "~/lib/permissions";
import { withTransaction } from "~/lib/transaction.server";
import { parseInput, scopeId } from "~/lib/validation";
import { activeMemberships, authorize, memberBody, type Membership } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";

export type Body = typeof bodies.$inferSelect;
export type Delegation = typeof delegations.$inferSelect;

export interface BodySummary {
  id: string;
  slug: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
  role: Membership["role"];
  delegationId: string | null;
  /** Whether the body's audit trail is theirs to read: the app shell's menu shows it then (the
   * rules stay on the server, out of every page's JavaScript, ADR 047). */
  readsAudit: boolean;
}

/** The bodies the user is an active member of, by English name. */
export async function listBodiesForUser(userId: string): Promise<BodySummary[]> {
  const mine = await activeMemberships(userId);
  return mine
    .map(({ body, membership }) => ({ id: body.id, slug: body.slug, nameEn: body.nameEn, nameJa: body.nameJa, nameKo: body.nameKo, role: membership.role, delegationId: membership.delegationId, readsAudit: can(membership, "audit.read") }))
    .sort((a, b) => (a.nameEn < b.nameEn ? -1 : a.nameEn > b.nameEn ? 1 : 0));
}

/** A body's delegations in their order (once per request outside a transaction: `delegationsOfBody`). */
export async function listDelegations(tx: DbOrTx, bodyId: string): Promise<Delegation[]> {
  return delegationsOfBody(tx, bodyId);
}

export interface BodyContext {
  body: Body;
  delegations: Delegation[];
  member: Membership;
}

/** A body seen by one of its members; anyone else gets NotFound. */
export async function getBodyContext({ actor, slug }: { actor: Actor; slug: string }): Promise<BodyContext> {
  // The actor's memberships name the body: one that is not among them does not exist for them.
  const found = await memberBody(actor, { slug });
  if (!found) throw new NotFoundError("body");
  return { body: found.body, delegations: await listDelegations(db(), found.body.id), member: found.membership };
}

/** The same context reached from a record of the body (a meeting, an action item). */
export async function getBodyContextById({ actor, bodyId }: { actor: Actor; bodyId: string }): Promise<BodyContext> {
  const found = await memberBody(actor, { id: bodyId });
  if (!found) throw new NotFoundError("body");
  return { body: found.body, delegations: await listDelegations(db(), found.body.id), member: found.membership };
}

const symbolPrefixSchema = z.object({ symbolPrefix: z.string().trim().toUpperCase().min(1).max(20).regex(/^[A-Z0-9][A-Z0-9-]*$/, "errors:validation.format") });

/** The secretariat names the body's document series: the prefix of symbols such as TCCB/5/OD.1. */
export async function setSymbolPrefix({ actor, input }: { actor: Actor; input: unknown }) {
  const bodyId = scopeId(input, "bodyId");
  await authorize(db(), actor, bodyId, "body.configure");
  const { symbolPrefix } = parseInput(symbolPrefixSchema, input);
  await withTransaction(async (tx) => {
    const [before] = await tx.select({ symbolPrefix: bodies.symbolPrefix }).from(bodies).where(eq(bodies.id, bodyId));
    await tx.update(bodies).set({ symbolPrefix }).where(eq(bodies.id, bodyId));
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "body.symbolPrefix", entityType: "body", entityId: bodyId, before: { symbolPrefix: before?.symbolPrefix ?? null }, after: { symbolPrefix } });
  });
}

const workingLanguageSchema = z.object({ workingLanguage: z.enum(locales, { message: "errors:validation.choice" }) });

/**
 * The secretariat sets the language the body works in. Scaffolds Concord writes into the
 * body's records (the minutes' attendance heading and lines, the agenda's standing items) are
 * written in it; every reader's pages stay in their own language.
 */
export async function setWorkingLanguage({ actor, input }: { actor: Actor; input: unknown }) {
  const bodyId = scopeId(input, "bodyId");
  await authorize(db(), actor, bodyId, "body.configure");
  const { workingLanguage } = parseInput(workingLanguageSchema, input);
  await withTransaction(async (tx) => {
    const [before] = await tx.select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, bodyId));
    if (!before) throw new NotFoundError("body");
    if (before.workingLanguage === workingLanguage) return;
    await tx.update(bodies).set({ workingLanguage }).where(eq(bodies.id, bodyId));
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "body.workingLanguage", entityType: "body", entityId: bodyId, before, after: { workingLanguage } });
  });
}

/** The language a body's generated scaffolds are written in. */
export async function workingLanguageOf(tx: DbOrTx, bodyId: string): Promise<Locale> {
  const [row] = await tx.select({ workingLanguage: bodies.workingLanguage }).from(bodies).where(eq(bodies.id, bodyId));
  return row?.workingLanguage ?? defaultLocale;
}
