import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { and, asc, eq, inArray } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql";
import Database from "libsql";
import * as schema from "../../db/schema";
import { embeddedClient } from "../../app/lib/db-embedded.server";
import { row } from "./anchors";
import { ms } from "./support";

/**
 * The embedded driver's cost (ADR 044), for the dashboard's page query (100 of 2,500 rows) and
 * 1,000 primary-key reads of whole action items, against the floor: the `libsql` binding itself
 * with one prepared statement in raw mode (the better-sqlite3-like API; what a driver cannot
 * beat). Measured: drizzle over the embedded client the app uses (`db()`: the prepared-statement
 * client, or @libsql/client with DATABASE_EMBEDDED_DRIVER=client), and both clients raw.
 * Rounds interleave the variants so a change in load falls on all of them.
 */

export async function benchDriverGroup() {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-driver-"));
  const file = join(dir, "driver.db");
  process.env.DATABASE_URL = `file:${file}`;
  const { generateBody } = await import("./generate-body");
  const { closeDatabase } = await import("../../app/lib/db.server");
  const body = await generateBody({ meetingCount: 40, itemCount: 5000, longText: true });
  closeDatabase();
  await benchDriver(file, body.slug);
  rmSync(dir, { recursive: true, force: true });
}

export async function benchDriver(file: string, slug: string) {
  const url = `file:${file}`;
  const clients: Record<string, Client> = {
    prepared: embeddedClient(url, undefined, "prepared"),
    "@libsql/client": embeddedClient(url, undefined, "client"),
  };
  const plain = createClient({ url });
  const { actionItems } = schema;
  const [b] = (await plain.execute({ sql: "select id from bodies where slug = ?", args: [slug] })).rows;
  const ids = (await plain.execute("select id from action_items order by ref limit 1000")).rows.map((r) => String(r.id));
  plain.close();

  const orm = Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, drizzle({ client, schema, casing: "snake_case" })]));
  const pageQuery = (name: string) =>
    orm[name]
      .select({ id: actionItems.id, ref: actionItems.ref, title: actionItems.title, status: actionItems.status, dueOn: actionItems.dueOn, createdAt: actionItems.createdAt })
      .from(actionItems)
      .where(and(eq(actionItems.bodyId, String(b.id)), inArray(actionItems.status, ["open", "in_progress"])))
      .orderBy(asc(actionItems.dueOn), asc(actionItems.ref))
      .limit(100);
  const byId = (name: string, id: string) => orm[name].select().from(actionItems).where(eq(actionItems.id, id));
  const page = pageQuery("prepared").toSQL();
  const pk = byId("prepared", ids[0]).toSQL().sql;

  // The floor: the binding with one prepared statement each, rows as arrays.
  const native = new Database(file);
  const pageStatement = native.prepare(page.sql).raw(true);
  const pkStatement = native.prepare(pk).raw(true);

  let i = 0;
  const next = () => ids[i++ % ids.length];
  const measures: Record<string, { page: () => unknown; pk: () => unknown }> = {
    "libsql binding, one prepared statement (floor)": { page: () => pageStatement.all(page.params), pk: () => pkStatement.all([next()]) },
    "raw prepared-statement client": { page: () => clients.prepared.execute({ sql: page.sql, args: page.params as never[] }), pk: () => clients.prepared.execute({ sql: pk, args: [next()] }) },
    "raw @libsql/client": { page: () => clients["@libsql/client"].execute({ sql: page.sql, args: page.params as never[] }), pk: () => clients["@libsql/client"].execute({ sql: pk, args: [next()] }) },
    "drizzle over the prepared-statement client": { page: () => pageQuery("prepared"), pk: () => byId("prepared", next()) },
    "drizzle over @libsql/client": { page: () => pageQuery("@libsql/client"), pk: () => byId("@libsql/client", next()) },
  };

  const time = async (fn: () => unknown, n: number) => {
    for (let k = 0; k < 20; k++) await fn();
    const t = performance.now();
    for (let k = 0; k < n; k++) await fn();
    return performance.now() - t;
  };
  const ROUNDS = 5;
  const pages: Record<string, number[]> = {};
  const pks: Record<string, number[]> = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, m] of Object.entries(measures)) {
      (pages[name] ??= []).push((await time(m.page, 50)) / 50);
      (pks[name] ??= []).push(await time(m.pk, 1000));
    }
  }
  native.close();
  for (const client of Object.values(clients)) client.close();

  const median = (v: number[]) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];
  const [floor] = Object.keys(measures);
  for (const [label, figures, what] of [
    ["dashboard page query (100 of 2,500 rows)", pages, "per query"],
    ["1,000 primary-key reads", pks, "for 1,000"],
  ] as const) {
    const anchor = median(figures[floor]);
    for (const name of Object.keys(measures).slice(1)) {
      row(`${label}, ${name} (median of ${ROUNDS} rounds)`, `${ms(median(figures[name]))} ${what}`, `libsql binding ${ms(anchor)}`, median(figures[name]) / anchor, "× the floor");
    }
  }
}
