import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ROOT } from "#tests/support/server";
import { startSqld, type RunningSqld } from "#tests/support/sqld";
import { migrateDatabase } from "#db/migrate";
import { openDatabase } from "~/lib/db.server";

/** Several instances start at once against one libSQL server: the migrations run once (ADR 021). */
const journal = JSON.parse(readFileSync(`${ROOT}db/migrations/meta/_journal.json`, "utf8")) as { entries: unknown[] };

async function appliedMigrations(url: string) {
  const { client } = openDatabase(url);
  try {
    const rows = await client.execute("SELECT hash FROM __drizzle_migrations");
    const tables = await client.execute("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'outbox_messages'");
    return { hashes: rows.rows.map((r) => String(r.hash)), outboxTables: Number(tables.rows[0].n) };
  } finally {
    client.close();
  }
}

function migrateInAnotherProcess(url: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe("migrations on a shared libSQL server", () => {
  let sqld: RunningSqld | undefined;
  afterEach(async () => {
    await sqld?.remove();
    sqld = undefined;
  });

  it("run once when two instances migrate the same fresh database at the same moment", async () => {
    sqld = await startSqld();
    const a = openDatabase(sqld.url);
    const b = openDatabase(sqld.url);
    try {
      await Promise.all([migrateDatabase(a.db), migrateDatabase(b.db)]);
    } finally {
      a.client.close();
      b.client.close();
    }
    const applied = await appliedMigrations(sqld.url);
    expect(applied.hashes).toHaveLength(journal.entries.length);
    expect(new Set(applied.hashes).size).toBe(journal.entries.length);
  });

  it("run once when two processes start migrating together", async () => {
    sqld = await startSqld();
    const results = await Promise.all([migrateInAnotherProcess(sqld.url), migrateInAnotherProcess(sqld.url)]);
    for (const result of results) expect(result.code, result.output).toBe(0);
    const applied = await appliedMigrations(sqld.url);
    expect(applied.hashes).toHaveLength(journal.entries.length);
    expect(applied.outboxTables).toBe(1);
  }, 120_000);
});
