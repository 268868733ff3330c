import { existsSync, readFileSync, writeFileSync } from "node:fs";
const databaseFile = "/tmp/fts16b/bench.db";
process.env.DATABASE_URL = `file:${databaseFile}`;
const { SCALE_QUERIES, paragraphs } = await import("./bench/search-scale");
const { stats, ms } = await import("./bench/support");
const { eq } = await import("drizzle-orm");
const { db, configureDatabase, dbClient } = await import("../app/lib/db.server");
const { agendaItems, bodies, meetings, minutes, users } = await import("../db/schema");
const meta = "/tmp/fts16b/bench.json";
if (!existsSync(meta)) {
  const { migrateDatabase } = await import("../db/migrate");
  await configureDatabase(dbClient()); await migrateDatabase(db());
  const { generateBody } = await import("./bench/generate-body");
  const { generateKeyBetween } = await import("fractional-indexing");
  const generated = await generateBody({ meetingCount: 1000, itemCount: 5000 });
  const [body] = await db().select().from(bodies).where(eq(bodies.slug, generated.slug));
  const meetingRows = await db().select({ id: meetings.id }).from(meetings).where(eq(meetings.bodyId, body.id));
  const texts = paragraphs(100_000);
  for (let m = 0; m < meetingRows.length; m += 50) await db().insert(minutes).values(meetingRows.slice(m, m + 50).map((row, k) => ({ meetingId: row.id, bodyId: body.id, status: "adopted" as const, text: texts.slice((m + k) * 100, (m + k + 1) * 100).join("\n") })));
  let position: string | null = null;
  const long = "joint advisory 注意喚起 해킹 ".repeat(400).slice(0, 10_000);
  await db().insert(agendaItems).values(Array.from({ length: 60 }, (_, i) => { position = generateKeyBetween(position, null); return { meetingId: meetingRows[meetingRows.length - 1].id, bodyId: body.id, position, title: i % 10 === 0 ? long : `Item ${i + 1}: indicators and sanctions`, description: i % 10 === 5 ? `<p>${long}</p>` : "<p>Briefing on <strong>indicators</strong>.</p>", kind: "discussion" as const, minutes: 10, marking: "TLP:AMBER" as const, status: "agreed" as const }; }));
  writeFileSync(meta, JSON.stringify({ email: generated.email, bodyId: body.id }));
}
const { email, bodyId } = JSON.parse(readFileSync(meta, "utf8"));
const [user] = await db().select().from(users).where(eq(users.email, email));
const actor = { id: user.id, name: user.name, email: user.email };
const { search, matchingRecordIds } = await import("../app/models/search/search.server");
const { containsAll, searchTerms } = await import("../app/lib/search");
const only = process.env.Q;
const check = process.env.RECALL === "1";
const rows = check ? await db().select({ meetingId: minutes.meetingId, text: minutes.text }).from(minutes).where(eq(minutes.bodyId, bodyId)) : [];
for (const [label, q] of SCALE_QUERIES) {
  if (only && !label.includes(only)) continue;
  await search({ actor, input: { q } });
  const times: number[] = [], cpu: number[] = [];
  for (let i = 0; i < Number(process.env.N ?? 10); i++) {
    const t = performance.now(); const b = process.cpuUsage();
    await search({ actor, input: { q } });
    const u = process.cpuUsage(b); times.push(performance.now() - t); cpu.push((u.user + u.system) / 1000);
  }
  let rec = "";
  if (check) { const terms = searchTerms(q); const scan = new Set(rows.filter((r) => terms.length && containsAll(r.text, terms)).map((r) => r.meetingId)); const found = await matchingRecordIds({ kind: "minutes", bodyIds: [bodyId], query: q }); rec = ` | ${found.filter((id) => scan.has(id)).length}/${scan.size} found ${found.length}`; }
  console.log(`${label.padEnd(28)} p95 ${ms(stats(times).p95).padStart(9)} med ${ms(stats(times).median).padStart(9)} cpu p95 ${ms(stats(cpu).p95).padStart(9)}${rec}`);
}
