import { configureDatabase, closeDatabase, db, dbClient } from "../../app/lib/db.server";
import { migrateDatabase } from "../../db/migrate";
import { bodies, delegations, invitations, meetings, memberships, users } from "../../db/schema";
import { createFeedToken } from "~/models/meetings/calendar.server";

/** Bodies with US/JP/KR delegations, a member of all of them, and announced meetings with ten invitees each. */
export async function generateFeedData({ bodies: bodyCount, meetingsPerBody }: { bodies: number; meetingsPerBody: number }) {
  await configureDatabase(dbClient());
  await migrateDatabase(db());
  const [person] = await db().insert(users).values({ email: "bench@example.org", name: "Bench Person" }).returning();
  const others = await db()
    .insert(users)
    .values(Array.from({ length: 9 }, (_, i) => ({ email: `invitee${i}@example.org`, name: `Invitee ${i}` })))
    .returning();
  for (let b = 0; b < bodyCount; b++) {
    const [body] = await db().insert(bodies).values({ slug: `bench-${b}`, nameEn: `Bench body ${b}`, nameJa: `ベンチ ${b}`, nameKo: `벤치 ${b}` }).returning();
    const ds = await db()
      .insert(delegations)
      .values([
        { bodyId: body.id, code: "US", nameEn: "United States", nameJa: "米国", nameKo: "미국", timeZone: "America/New_York", language: "en", position: 0 },
        { bodyId: body.id, code: "JP", nameEn: "Japan", nameJa: "日本", nameKo: "일본", timeZone: "Asia/Tokyo", language: "ja", position: 1 },
        { bodyId: body.id, code: "KR", nameEn: "Republic of Korea", nameJa: "韓国", nameKo: "대한민국", timeZone: "Asia/Seoul", language: "ko", position: 2 },
      ])
      .returning();
    await db().insert(memberships).values([person, ...others].map((u, i) => ({ userId: u.id, bodyId: body.id, role: "delegate" as const, delegationId: ds[i % 3].id })));
    for (let m = 0; m < meetingsPerBody; m++) {
      const startsAt = new Date(Date.UTC(2020 + Math.floor(m / 4), (m % 4) * 3, 10, 14));
      const [meeting] = await db()
        .insert(meetings)
        .values({
          bodyId: body.id,
          ordinal: m + 1,
          quarter: `${startsAt.getUTCFullYear()}-Q${(m % 4) + 1}`,
          startsAt,
          timeZone: "America/New_York",
          durationMinutes: 120,
          format: "virtual",
          link: "https://meet.example.org/x",
          status: m % 10 === 9 ? "cancelled" : "held",
          sequence: m % 3,
          publishedAt: startsAt,
          organizerName: "Secretariat",
          organizerEmail: "secretariat@example.org",
        })
        .returning();
      await db().insert(invitations).values([person, ...others].map((u) => ({ meetingId: meeting.id, userId: u.id, invitedAt: startsAt })));
    }
  }
  const url = await createFeedToken({ actor: { id: person.id, name: person.name, email: person.email } });
  closeDatabase();
  return { token: /\/feeds\/([^/]+)\.ics$/.exec(url)![1] };
}
