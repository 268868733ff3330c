import { configureDatabase, db, dbClient } from "../../app/lib/db.server";
import { hashPassword } from "../../app/lib/passwords.server";
import { migrateDatabase } from "../../db/migrate";
import { actionItemAssignees, actionItemEvents, actionItems, bodies, delegations, meetings, memberships, users } from "../../db/schema";

export const BENCH_PASSWORD = "bench password 123";

/** Every LONG_EVERY-th record gets a 10,000-character title and description (`longText`): bad input the pages must survive. */
export const LONG_EVERY = 50;
export const longText = (seed: number) => `${seed} `.padEnd(10_000, " indicators 注意喚起 지표 %_\\'\"");

/**
 * A body with US/JP/KR delegations, nine members (one of them bench@example.org, a JP
 * delegate), `meetingCount` held quarterly meetings and `itemCount` action items spread
 * over them in every state, with assignees and a timeline each. `longText` makes every
 * LONG_EVERY-th item's title and detail 10,000 characters long.
 */
export async function generateBody({ meetingCount, itemCount, longText: long = false }: { meetingCount: number; itemCount: number; longText?: boolean }) {
  await configureDatabase(dbClient());
  await migrateDatabase(db());
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const [body] = await db().insert(bodies).values({ slug: "bench", nameEn: "Bench body", nameJa: "ベンチ", nameKo: "벤치" }).returning();
  const ds = await db()
    .insert(delegations)
    .values([
      { bodyId: body.id, code: "US", nameEn: "United States", nameJa: "米国", nameKo: "미국", timeZone: "America/New_York", language: "en", position: 0 },
      { bodyId: body.id, code: "JP", nameEn: "Japan", nameJa: "日本", nameKo: "일본", timeZone: "Asia/Tokyo", language: "ja", position: 1 },
      { bodyId: body.id, code: "KR", nameEn: "Republic of Korea", nameJa: "韓国", nameKo: "대한민국", timeZone: "Asia/Seoul", language: "ko", position: 2 },
    ])
    .returning();
  const people = await db()
    .insert(users)
    .values(Array.from({ length: 9 }, (_, i) => ({ email: i === 0 ? "bench@example.org" : `member${i}@example.org`, name: `Member ${i}`, passwordHash })))
    .returning();
  await db().insert(memberships).values(people.map((u, i) => ({ userId: u.id, bodyId: body.id, role: i === 8 ? ("secretariat" as const) : ("delegate" as const), delegationId: i === 8 ? null : ds[(i + 1) % 3].id })));
  const meetingRows = [];
  for (let m = 0; m < meetingCount; m++) {
    const startsAt = new Date(Date.UTC(2016 + Math.floor(m / 4), (m % 4) * 3, 10, 14));
    const [row] = await db()
      .insert(meetings)
      .values({ bodyId: body.id, ordinal: m + 1, quarter: `${startsAt.getUTCFullYear()}-Q${(m % 4) + 1}`, startsAt, timeZone: "America/New_York", durationMinutes: 120, format: "virtual", status: "held", publishedAt: startsAt })
      .returning();
    meetingRows.push(row);
  }
  const statuses = ["open", "in_progress", "done", "dropped"] as const;
  const markings = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED"] as const;
  const batch = 250;
  for (let start = 0; start < itemCount; start += batch) {
    const values = [];
    for (let i = start; i < Math.min(itemCount, start + batch); i++) {
      const origin = meetingRows[i % meetingRows.length];
      const status = statuses[i % 4];
      const due = new Date(origin.startsAt.getTime() + ((i % 200) + 30) * 86_400_000).toISOString().slice(0, 10);
      values.push({
        bodyId: body.id,
        ref: i + 1,
        title: long && i % LONG_EVERY === 0 ? longText(i) : `Action item ${i + 1}: follow up on the indicators shared at meeting ${origin.ordinal}`,
        detail: long && i % LONG_EVERY === 0 ? `<p>${longText(i)}</p>` : "<p>Details of the item, a paragraph or two.</p>",
        ownerDelegationId: ds[i % 3].id,
        dueKind: "date" as const,
        dueDate: due,
        dueOn: due,
        status,
        priority: (["low", "normal", "high"] as const)[i % 3],
        marking: markings[i % 5],
        originMeetingId: origin.id,
        createdAt: new Date(origin.startsAt.getTime() + 3600_000),
        closedAt: status === "done" || status === "dropped" ? new Date(origin.startsAt.getTime() + 100 * 86_400_000) : null,
      });
    }
    const rows = await db().insert(actionItems).values(values).returning({ id: actionItems.id, createdAt: actionItems.createdAt, status: actionItems.status });
    await db().insert(actionItemAssignees).values(rows.flatMap((r, k) => [{ itemId: r.id, userId: people[k % 8].id }, { itemId: r.id, userId: people[(k + 3) % 8].id }]));
    await db().insert(actionItemEvents).values(rows.map((r) => ({ itemId: r.id, kind: "created" as const, statusAfter: "open" as const, at: r.createdAt })));
  }
  return { slug: body.slug, email: "bench@example.org", password: BENCH_PASSWORD };
}
