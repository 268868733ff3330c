import { and, asc, desc, eq } from "drizzle-orm";
import { generateKeyBetween } from "fractional-indexing";
import { z } from "zod";
import { agendaKinds, standingItems } from "#db/schema";
import { AGENDA_MARKINGS } from "~/lib/markings";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { NotFoundError } from "~/lib/errors";
import { LIMITS, parseInput, scopeId, formConstraints } from "~/lib/validation";
import { withTransaction } from "~/lib/transaction.server";
import { authorize } from "~/models/core/access.server";
import { recordAudit } from "~/models/core/audit.server";

/** The body's standing items, in order. Every member may read them; the secretariat edits. */
export async function listStandingItems({ actor, bodyId }: { actor: Actor; bodyId: string }) {
  await authorize(db(), actor, bodyId, "body.read");
  return db().select().from(standingItems).where(eq(standingItems.bodyId, bodyId)).orderBy(asc(standingItems.position));
}

const addSchema = z.object({
  title: z.string().trim().min(1).max(LIMITS.title),
  kind: z.enum(agendaKinds),
  minutes: z.coerce.number().int().min(0).max(600),
  // Standing items become agenda items: no AMBER+STRICT (019-tlp-audiences).
  marking: z.enum(AGENDA_MARKINGS as unknown as ["TLP:CLEAR", ...Array<(typeof AGENDA_MARKINGS)[number]>]),
});
export const standingItemConstraints = formConstraints(addSchema);

export async function addStandingItem({ actor, input }: { actor: Actor; input: unknown }) {
  const bodyId = scopeId(input, "bodyId");
  await authorize(db(), actor, bodyId, "body.configure");
  const data = parseInput(addSchema, input);
  await withTransaction(async (tx) => {
    const [last] = await tx.select({ position: standingItems.position }).from(standingItems).where(eq(standingItems.bodyId, bodyId)).orderBy(desc(standingItems.position)).limit(1);
    const [row] = await tx.insert(standingItems).values({ ...data, bodyId, position: generateKeyBetween(last?.position ?? null, null) }).returning();
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "standing_item.create", entityType: "standing_item", entityId: row.id, after: data });
  });
}

export async function removeStandingItem({ actor, input }: { actor: Actor; input: unknown }) {
  const bodyId = scopeId(input, "bodyId");
  const itemId = scopeId(input, "itemId");
  await authorize(db(), actor, bodyId, "body.configure");
  await withTransaction(async (tx) => {
    const [row] = await tx.select().from(standingItems).where(and(eq(standingItems.id, itemId), eq(standingItems.bodyId, bodyId)));
    if (!row) throw new NotFoundError("standing item");
    await tx.delete(standingItems).where(eq(standingItems.id, itemId));
    await recordAudit(tx, { bodyId, actorId: actor.id, action: "standing_item.delete", entityType: "standing_item", entityId: itemId, before: { title: row.title, kind: row.kind, minutes: row.minutes, marking: row.marking } });
  });
}
