import { readFileSync } from "node:fs";
process.env.DATABASE_URL = `file:/tmp/fts16b/bench.db`;
const { eq } = await import("drizzle-orm");
const { db } = await import("../app/lib/db.server");
const { users } = await import("../db/schema");
const { stats } = await import("./bench/support");
const { email } = JSON.parse(readFileSync("/tmp/fts16b/bench.json", "utf8"));
const [user] = await db().select().from(users).where(eq(users.email, email));
const actor = { id: user.id, name: user.name, email: user.email };
const { search } = await import("../app/models/search/search.server");
for (const q of (process.env.QS ?? "indicators|の|%|the|ators").split("|")) {
  const line: string[] = [];
  for (const kind of ["all", "agenda", "minutes", "decisions", "actions", "outcomes", "papers"]) {
    await search({ actor, input: { q, kind } });
    const t: number[] = [];
    for (let i = 0; i < 8; i++) { const s = performance.now(); await search({ actor, input: { q, kind } }); t.push(performance.now() - s); }
    line.push(`${kind} ${stats(t).median.toFixed(1)}`);
  }
  console.log(q.padEnd(12), line.join(" | "));
}
