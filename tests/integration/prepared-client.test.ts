import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, type Client, type ResultSet } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedClient } from "~/lib/db-prepared.server";

/**
 * The prepared-statement client (ADR 044) answers as @libsql/client's file client does, on the
 * same file: the same rows (by index and by name, names enumerable and indices not), values,
 * errors and transaction behaviour — so drizzle and our code cannot tell them apart.
 */

const file = join(tmpdir(), `concord-prepared-${process.pid}-${Date.now()}.db`);
let prepared: Client;
let reference: Client;

beforeAll(async () => {
  reference = createClient({ url: `file:${file}` });
  await reference.executeMultiple(`
    pragma journal_mode = wal;
    create table t (id text primary key, n integer, big integer, b blob, r real, note text);
    insert into t values ('a', 1, 9007199254740993, x'00ff10', 1.5, null), ('b', 2, 3, x'', -0.25, 'x');
  `);
  prepared = preparedClient(`file:${file}`);
});

afterAll(() => {
  prepared.close();
  reference.close();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
});

const shape = (rs: ResultSet) => ({
  columns: rs.columns,
  rows: rs.rows.map((row) => ({ keys: Object.keys(row), named: { ...row }, indexed: Array.prototype.slice.call(row), length: row.length })),
  rowsAffected: rs.rowsAffected,
});

async function both<T>(run: (client: Client) => Promise<T>): Promise<[T | { error: string }, T | { error: string }]> {
  const settle = (p: Promise<T>) => p.catch((e: Error & { code?: string; extendedCode?: string; rawCode?: number }) => ({ error: `${e.name} ${e.code} ${e.extendedCode} ${e.rawCode} ${e.message}` }));
  return [await settle(run(prepared)), await settle(run(reference))];
}

describe("the prepared-statement client", () => {
  it("gives the same rows as @libsql/client: by name and index, duplicate and numeric column names", async () => {
    for (const sql of ["select id, n, r, note from t order by id", "select 1 as a, 2 as a, 3 as \"0\", 4 as \"7\"", "select * from t where id = 'none'"]) {
      const [a, b] = await both((c) => c.execute(sql).then(shape));
      expect(a, sql).toEqual(b);
    }
  });

  it("converts values as @libsql/client does: blobs to ArrayBuffer, an integer past 2^53 to a RangeError", async () => {
    const [a, b] = await both(async (c) => (await c.execute("select b from t order by id")).rows.map((r) => [r.b instanceof ArrayBuffer, Buffer.from(r.b as ArrayBuffer).toString("hex")]));
    expect(a).toEqual(b);
    expect(a).toEqual([[true, "00ff10"], [true, ""]]);
    const [big, bigRef] = await both((c) => c.execute("select big from t where id = 'a'").then(shape));
    expect(big).toEqual(bigRef);
    expect(JSON.stringify(big)).toContain("RangeError");
    const [args, argsRef] = await both(async (c) => (await c.execute({ sql: "select ? as t, ? as d, ? as n", args: [true, new Date(5), 7n] })).rows[0]);
    expect({ ...args }).toEqual({ ...argsRef });
  });

  it("reports errors with the same codes, and a statement that failed works again next time", async () => {
    for (let i = 0; i < 2; i++) {
      const [a, b] = await both((c) => c.execute({ sql: "insert into t (id, n) values (?, ?)", args: ["a", 9] }));
      expect(a).toEqual(b);
      expect(JSON.stringify(a)).toContain("SQLITE_CONSTRAINT SQLITE_CONSTRAINT_PRIMARYKEY");
    }
    const [syntax, syntaxRef] = await both((c) => c.execute("selec 1"));
    expect(syntax).toEqual(syntaxRef);
    const inserted = await prepared.execute({ sql: "insert into t (id, n) values (?, ?)", args: ["c", 3] });
    expect(inserted.rowsAffected).toBe(1);
    expect(typeof inserted.lastInsertRowid).toBe("bigint");
  });

  it("commits, rolls back and keeps a transaction's reads apart from autocommit reads", async () => {
    const tx = await prepared.transaction("write");
    await tx.execute({ sql: "update t set n = ? where id = 'b'", args: [20] });
    // Another connection does not see the uncommitted change (WAL: readers never wait).
    expect((await prepared.execute("select n from t where id = 'b'")).rows[0].n).toBe(2);
    await tx.rollback();
    expect((await prepared.execute("select n from t where id = 'b'")).rows[0].n).toBe(2);
    const again = await prepared.transaction("write");
    await again.execute({ sql: "update t set n = ? where id = 'b'", args: [21] });
    await again.commit();
    expect(again.closed).toBe(true);
    expect((await reference.execute("select n from t where id = 'b'")).rows[0].n).toBe(21);
  });

  it("keeps answering correctly past its statement cache's size", async () => {
    for (let i = 0; i < 300; i++) expect((await prepared.execute(`select ${i} as v`)).rows[0].v).toBe(i);
    expect((await prepared.execute("select 5 as v")).rows[0].v).toBe(5);
  });

  it("runs a batch as one transaction: all or nothing", async () => {
    await expect(prepared.batch([{ sql: "insert into t (id) values ('d')", args: [] }, { sql: "insert into t (id) values ('a')", args: [] }], "write")).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    expect((await prepared.execute("select count(*) as n from t where id = 'd'")).rows[0].n).toBe(0);
  });
});
