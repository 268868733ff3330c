import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { bodies, delegations, memberships, users, type Role } from "#db/schema";
import type { Actor } from "~/lib/actor";
import { db } from "~/lib/db.server";
import { hashPassword } from "~/lib/passwords.server";
import { createSession } from "~/models/people/sessions.server";

/** Test data built straight into the database; every value unique so tests never collide. */

export const PASSWORD = "correct horse battery staple";
let hashed: Promise<string> | undefined;
const passwordHash = () => (hashed ??= hashPassword(PASSWORD));

const unique = () => randomUUID().slice(0, 8);

const capitals = {
  US: { nameEn: "United States", nameJa: "米国", nameKo: "미국", timeZone: "America/New_York", language: "en" },
  JP: { nameEn: "Japan", nameJa: "日本", nameKo: "일본", timeZone: "Asia/Tokyo", language: "ja" },
  KR: { nameEn: "Republic of Korea", nameJa: "韓国", nameKo: "대한민국", timeZone: "Asia/Seoul", language: "ko" },
} as const;
export type Code = keyof typeof capitals;

export async function createBody(options: { codes?: Code[]; name?: string } = {}) {
  const codes = options.codes ?? ["US", "JP", "KR"];
  const name = options.name ?? `Body ${unique()}`;
  const [body] = await db()
    .insert(bodies)
    .values({ slug: `body-${unique()}`, nameEn: name, nameJa: `${name}（日本語）`, nameKo: `${name} (한국어)` })
    .returning();
  const byCode = {} as Record<Code, typeof delegations.$inferSelect>;
  for (const [position, code] of codes.entries()) {
    const [d] = await db()
      .insert(delegations)
      .values({ bodyId: body.id, code, position, ...capitals[code] })
      .returning();
    byCode[code] = d;
  }
  const rotation = codes.map((c) => byCode[c].id);
  await db().update(bodies).set({ rotation }).where(eq(bodies.id, body.id));
  return { body: { ...body, rotation }, delegations: byCode };
}

export type TestBody = Awaited<ReturnType<typeof createBody>>;

export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}) {
  const [user] = await db()
    .insert(users)
    .values({ email: `user-${unique()}@example.org`, name: `Person ${unique()}`, passwordHash: await passwordHash(), ...overrides })
    .returning();
  return user;
}

export function actorOf(user: { id: string; name: string; email: string }): Actor {
  return { id: user.id, name: user.name, email: user.email };
}

/** A new person holding `role` in the body (for `code`'s delegation unless secretariat). */
export async function createMember(body: TestBody, role: Role, code: Code | null = role === "secretariat" ? null : "US") {
  const user = await createUser();
  const [membership] = await db()
    .insert(memberships)
    .values({ userId: user.id, bodyId: body.body.id, role, delegationId: code ? body.delegations[code].id : null })
    .returning();
  return { user, membership, actor: actorOf(user) };
}

/** One member of every role, US delegation unless said otherwise, and a member of another body. */
export async function createCast(codes: Code[] = ["US", "JP", "KR"]) {
  const body = await createBody({ codes });
  const other = await createBody({ codes: ["US", "KR"] });
  return {
    body,
    other,
    secretariat: await createMember(body, "secretariat"),
    head: await createMember(body, "head", codes[0]),
    delegate: await createMember(body, "delegate", codes[0]),
    official: await createMember(body, "official", codes[0]),
    outsider: await createMember(other, "secretariat"),
  };
}

/** A Cookie header for a fresh session of the user. */
export async function cookieFor(userId: string): Promise<string> {
  const { sessionCookieFor } = await import("~/lib/session.server");
  const token = await createSession(db(), userId, "vitest");
  const setCookie = await sessionCookieFor(token);
  return setCookie.split(";")[0];
}
