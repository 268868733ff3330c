import { and, eq } from "drizzle-orm";
import type { Database } from "~/lib/db.server";
import { hashPassword } from "~/lib/passwords.server";
import { auditEvents, bodies, delegations, memberships, users } from "#db/schema/index";
import { CET, DEMO_PASSWORD, delegationTemplates, demoPeople, TRILATERAL } from "~/server/demo/demo-people";

type BodySpec = typeof TRILATERAL | typeof CET;

async function ensureBody(db: Database, spec: BodySpec) {
  let [body] = await db.select().from(bodies).where(eq(bodies.slug, spec.slug));
  if (!body) {
    [body] = await db
      .insert(bodies)
      .values({ slug: spec.slug, nameEn: spec.nameEn, nameJa: spec.nameJa, nameKo: spec.nameKo })
      .returning();
    await db.insert(auditEvents).values({
      bodyId: body.id,
      actorId: null,
      action: "body.create",
      entityType: "body",
      entityId: body.id,
      after: { slug: body.slug, nameEn: body.nameEn },
      at: new Date(),
    });
  }
  const byCode: Record<string, string> = {};
  for (const [position, code] of spec.delegations.entries()) {
    let [row] = await db
      .select()
      .from(delegations)
      .where(and(eq(delegations.bodyId, body.id), eq(delegations.code, code)));
    if (!row) {
      [row] = await db
        .insert(delegations)
        .values({ bodyId: body.id, position, ...delegationTemplates[code] })
        .returning();
    }
    byCode[code] = row.id;
  }
  if (body.rotation.length === 0) {
    const rotation = spec.delegations.map((c) => byCode[c]);
    await db.update(bodies).set({ rotation }).where(eq(bodies.id, body.id));
    body = { ...body, rotation };
  }
  return { body, delegationIds: byCode };
}

async function ensureMembership(
  db: Database,
  userId: string,
  bodyId: string,
  role: (typeof demoPeople)[number]["role"],
  delegationId: string | null,
) {
  const [existing] = await db
    .select({ id: memberships.id })
    .from(memberships)
    .where(and(eq(memberships.userId, userId), eq(memberships.bodyId, bodyId)));
  if (!existing) await db.insert(memberships).values({ userId, bodyId, role, delegationId });
}

/** Bodies, delegations and the ten demo accounts; creates only what is missing. */
export async function seedAccounts(db: Database) {
  const trilateral = await ensureBody(db, TRILATERAL);
  const cet = await ensureBody(db, CET);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const userIds: Record<string, string> = {};
  for (const person of demoPeople) {
    let [user] = await db.select().from(users).where(eq(users.email, person.email));
    if (!user) {
      [user] = await db
        .insert(users)
        .values({ email: person.email, name: person.name, passwordHash, timeZone: person.timeZone ?? null })
        .returning();
    }
    userIds[person.email] = user.id;
    const code = person.delegation;
    await ensureMembership(db, user.id, trilateral.body.id, person.role, code ? trilateral.delegationIds[code] : null);
    // The CET Dialogue has no Japanese delegation: the jp.* accounts are not members of it.
    if (code !== "JP") {
      await ensureMembership(db, user.id, cet.body.id, person.role, code ? cet.delegationIds[code] : null);
    }
  }
  return { trilateral, cet, userIds };
}
