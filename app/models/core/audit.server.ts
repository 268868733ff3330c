import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import { auditEvents, users } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db, type DbOrTx } from "~/lib/db.server";
import { isTimeZone } from "~/lib/time-zones";
import { parseInput } from "~/lib/validation";
import { endOfDay, startOfDay } from "~/lib/zoned.server";
import { authorize } from "~/models/core/access.server";
import { describeAuditRecords } from "~/models/core/audit-records.server";

export interface AuditEntry {
  bodyId: string | null;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Written in the same transaction as the change it describes, so neither exists without the other. */
export async function recordAudit(tx: DbOrTx, entry: AuditEntry): Promise<void> {
  await tx.insert(auditEvents).values({
    ...entry,
    before: entry.before ?? null,
    after: entry.after ?? null,
    at: new Date(),
  });
}

const PAGE_SIZE = 50;

const filterSchema = z.object({
  bodyId: z.string().min(1),
  actorId: z.string().trim().max(64).optional().transform((v) => v || undefined),
  entityType: z.string().trim().max(64).optional().transform((v) => v || undefined),
  from: z.iso.date().optional().or(z.literal("").transform(() => undefined)),
  to: z.iso.date().optional().or(z.literal("").transform(() => undefined)),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  /** The zone the viewer's from/to days are in. */
  timeZone: z.string().refine(isTimeZone).default("UTC"),
});

/** A body's trail, newest first; `from`/`to` are calendar days in the viewer's zone, both included. */
export async function listAuditEvents({ actor, input }: { actor: Actor; input: z.input<typeof filterSchema> }) {
  const filters = parseInput(filterSchema, input);
  await authorize(db(), actor, filters.bodyId, "audit.read");
  const conditions: SQL[] = [eq(auditEvents.bodyId, filters.bodyId)];
  if (filters.actorId) conditions.push(eq(auditEvents.actorId, filters.actorId));
  if (filters.entityType) conditions.push(eq(auditEvents.entityType, filters.entityType));
  if (filters.from) conditions.push(gte(auditEvents.at, startOfDay(filters.from, filters.timeZone)));
  if (filters.to) conditions.push(lt(auditEvents.at, endOfDay(filters.to, filters.timeZone)));
  const where = and(...conditions);

  const rows = await db()
    .select({
      id: auditEvents.id,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      before: auditEvents.before,
      after: auditEvents.after,
      at: auditEvents.at,
      actorId: auditEvents.actorId,
      actorName: users.name,
    })
    .from(auditEvents)
    .leftJoin(users, eq(users.id, auditEvents.actorId))
    .where(where)
    .orderBy(desc(auditEvents.at), desc(auditEvents.id))
    .limit(PAGE_SIZE + 1)
    .offset((filters.page - 1) * PAGE_SIZE);

  const entityTypes = await db()
    .selectDistinct({ entityType: auditEvents.entityType })
    .from(auditEvents)
    .where(eq(auditEvents.bodyId, filters.bodyId))
    .orderBy(auditEvents.entityType);

  const events = rows.slice(0, PAGE_SIZE);
  const described = await describeAuditRecords(db(), filters.bodyId, events);
  return {
    filters,
    events: events.map((e, i) => ({ ...e, record: described.records[i] })),
    people: described.people,
    delegations: described.delegations,
    hasMore: rows.length > PAGE_SIZE,
    entityTypes: entityTypes.map((e) => e.entityType),
  };
}
