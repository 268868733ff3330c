import { generateKeyBetween } from "fractional-indexing";
import { closeDatabase, db } from "../../app/lib/db.server";
import { agendaItems, agendas, meetings } from "../../db/schema";
import { generateBody, LONG_EVERY, longText } from "./generate-body";

/** A body (see generate-body) with one upcoming meeting whose agenda has `items` items (`longText`: some 10,000 characters long). */
export async function generateAgenda({ items, longText: long = false, body: existing }: { items: number; longText?: boolean; body?: { slug: string; email: string; password: string } }) {
  const body = existing ?? (await generateBody({ meetingCount: 4, itemCount: 40 }));
  const { bodies } = await import("../../db/schema");
  const { eq } = await import("drizzle-orm");
  const [row] = await db().select().from(bodies).where(eq(bodies.slug, body.slug));
  const startsAt = new Date(Date.now() + 30 * 86_400_000);
  const [meeting] = await db()
    .insert(meetings)
    .values({ bodyId: row.id, ordinal: 99, quarter: "2099-Q1", startsAt, timeZone: "Asia/Tokyo", durationMinutes: 600, format: "virtual", status: "scheduled" })
    .returning();
  await db().insert(agendas).values({ meetingId: meeting.id, bodyId: row.id });
  let position: string | null = null;
  await db()
    .insert(agendaItems)
    .values(
      Array.from({ length: items }, (_, i) => {
        position = generateKeyBetween(position, null);
        return {
          meetingId: meeting.id,
          bodyId: row.id,
          position,
          title: long && i % LONG_EVERY === 0 ? longText(i) : `Agenda item ${i + 1}: developments since the last meeting`,
          description: long && i % LONG_EVERY === 0 ? `<p>${longText(i)}</p>` : "<p>A short description of the item, with <strong>some</strong> formatting.</p>",
          kind: "discussion" as const,
          minutes: 10,
          marking: (["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER"] as const)[i % 3],
        };
      }),
    );
  if (!existing) closeDatabase();
  return { meetingId: meeting.id, email: body.email, password: body.password };
}
