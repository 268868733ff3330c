import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { bodies, delegations, memberships, users } from "#db/schema";
import { ValidationError } from "~/lib/errors";
import { isTimeZone } from "~/lib/time-zones";
import { email, LIMITS, parseInput } from "~/lib/validation";
import { withTransaction } from "~/lib/transaction.server";
import { issuePasswordToken } from "~/models/people/accounts.server";
import { recordAudit } from "~/models/core/audit.server";

const DEFAULT_DELEGATIONS = "US:America/New_York,JP:Asia/Tokyo,KR:Asia/Seoul";
const languageOf: Record<string, string> = { JP: "ja", KR: "ko" };

const schema = z.object({
  email: email(),
  name: z.string().trim().min(1).max(LIMITS.short),
  bodyName: z.string().trim().min(1).max(LIMITS.short),
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .max(60)
    .optional(),
  delegations: z
    .string()
    .default(DEFAULT_DELEGATIONS)
    .transform((v) =>
      v.split(",").map((pair) => {
        const [code, zone] = pair.split(":").map((s) => s.trim());
        return { code: code.toUpperCase(), timeZone: zone };
      }),
    )
    .refine((list) => list.every((d) => /^[A-Z]{2}$/.test(d.code) && isTimeZone(d.timeZone ?? "")), {
      message: "errors:validation.format",
    }),
});

function slugify(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "body"
  );
}

/**
 * The command-line path to a first secretariat: no signed-in actor exists yet, so this is
 * the one model function that acts as the system. Every change is audited as such.
 */
export async function bootstrapSecretariat({ input }: { input: unknown }) {
  const data = parseInput(schema, input);
  const slug = data.slug ?? slugify(data.bodyName);
  return withTransaction(async (tx) => {
    let [body] = await tx.select().from(bodies).where(eq(bodies.slug, slug));
    const createdBody = !body;
    if (!body) {
      [body] = await tx.insert(bodies).values({ slug, nameEn: data.bodyName, nameJa: data.bodyName, nameKo: data.bodyName }).returning();
      const ids: string[] = [];
      for (const [position, d] of data.delegations.entries()) {
        const [row] = await tx
          .insert(delegations)
          .values({ bodyId: body.id, code: d.code, nameEn: d.code, nameJa: d.code, nameKo: d.code, timeZone: d.timeZone, language: languageOf[d.code] ?? "en", position })
          .returning();
        ids.push(row.id);
      }
      await tx.update(bodies).set({ rotation: ids }).where(eq(bodies.id, body.id));
      await recordAudit(tx, { bodyId: body.id, actorId: null, action: "body.create", entityType: "body", entityId: body.id, after: { slug, nameEn: data.bodyName } });
    }
    let [user] = await tx.select().from(users).where(eq(users.email, data.email));
    if (!user) {
      [user] = await tx.insert(users).values({ email: data.email, name: data.name }).returning();
      await recordAudit(tx, { bodyId: body.id, actorId: null, action: "user.create", entityType: "user", entityId: user.id, after: { email: user.email, name: user.name } });
    }
    const [existing] = await tx
      .select()
      .from(memberships)
      .where(and(eq(memberships.userId, user.id), eq(memberships.bodyId, body.id)));
    if (existing && existing.role !== "secretariat") throw ValidationError.field("email", "members:errors.alreadyMember");
    if (!existing) {
      const [m] = await tx.insert(memberships).values({ userId: user.id, bodyId: body.id, role: "secretariat", delegationId: null }).returning();
      await recordAudit(tx, { bodyId: body.id, actorId: null, action: "membership.create", entityType: "membership", entityId: m.id, after: { userId: user.id, role: "secretariat" } });
    }
    const setPasswordToken = user.passwordHash ? null : await issuePasswordToken(tx, user.id);
    return { slug, createdBody, setPasswordToken };
  });
}
