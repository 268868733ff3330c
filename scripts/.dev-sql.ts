import { readFileSync } from "node:fs";
process.env.DATABASE_URL = `file:/tmp/fts16b/bench.db`;
const { eq } = await import("drizzle-orm");
const { db, dbClient } = await import("../app/lib/db.server");
const { users } = await import("../db/schema");
const { email } = JSON.parse(readFileSync("/tmp/fts16b/bench.json", "utf8"));
const [user] = await db().select().from(users).where(eq(users.email, email));
const actor = { id: user.id, name: user.name, email: user.email };
const { search } = await import("../app/models/search/search.server");
const { createClient } = await import("@libsql/client");
const client = Object.getPrototypeOf(createClient({ url: ":memory:" })) as any;
void dbClient;
const log: Array<[number, string]> = [];
for (const m of ["execute", "batch"]) { const orig = client[m]; client[m] = async function (this: any, ...a: any[]) { const t = performance.now(); const r = await orig.apply(this, a); log.push([performance.now() - t, (typeof a[0] === "string" ? a[0] : a[0].sql ?? JSON.stringify(a[0])).slice(0, Number(process.env.W ?? 300))]); return r; }; }
const q = process.env.QQ ?? "indicators";
for (let i = 0; i < 3; i++) await search({ actor, input: { q } });
log.length = 0;
const t = performance.now();
for (let r = 0; r < 20; r++) for (const kind of ["agenda", "minutes", "decisions", "actions", "outcomes", "papers"]) await search({ actor, input: { q, kind } });
const sum = new Map<string, number>();
for (const [d, s] of log) { const k = s.slice(0, 60); sum.set(k, (sum.get(k) ?? 0) + d / 20); }
log.length = 0; for (const [k, v] of sum) log.push([v, k]);
console.log("total", (performance.now() - t).toFixed(1), "statements", log.length);
for (const [d, s] of log.sort((a, b) => b[0] - a[0]).slice(0, 12)) console.log(d.toFixed(2).padStart(7), s);
