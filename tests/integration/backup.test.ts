import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";
import { users } from "#db/schema";
import { ROOT } from "#tests/support/server";
import { checkDatabaseFile, claimDatabase, releaseDatabase } from "~/lib/backup.server";
import { withTransaction } from "~/lib/transaction.server";
import { recordAudit } from "~/models/core/audit.server";

/**
 * `npm run backup` and `npm run restore` as an operator runs them, against this file's live
 * database while it is being written to.
 */

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "concord-backup-"));
const url = process.env.DATABASE_URL!;

afterAll(() => {
  releaseDatabase(url);
  rmSync(dir, { recursive: true, force: true });
});

async function npm(script: "backup" | "restore", args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run("npx", ["tsx", `scripts/${script}.ts`, ...args], { cwd: ROOT, env: { ...process.env, ...env } });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

/** One transaction writes a person and the audit entry naming them: a copy must hold both or neither. */
async function writePair(i: number) {
  await withTransaction(async (tx) => {
    const [user] = await tx.insert(users).values({ email: `load-${i}@example.org`, name: `Load ${i}` }).returning();
    await recordAudit(tx, { bodyId: null, actorId: user.id, action: "load.test", entityType: "user", entityId: user.id });
  });
}

async function countsIn(file: string) {
  const client = createClient({ url: `file:${file}` });
  const users = Number((await client.execute("select count(*) from users where email like 'load-%'")).rows[0][0]);
  const audits = Number((await client.execute("select count(*) from audit_events where action = 'load.test'")).rows[0][0]);
  client.close();
  return { users, audits };
}

// Backup and restore work on the embedded file; a libSQL server keeps its own (docs/operations.md).
const embeddedOnly = describe.skipIf(process.env.TEST_DATABASE === "sqld");

embeddedOnly("npm run backup", () => {
  it("takes a consistent, checked copy while the database is being written", { timeout: 120_000 }, async () => {
    for (let i = 0; i < 50; i++) await writePair(i);
    let writing = true;
    let written = 50;
    const load = (async () => {
      // The embedded driver answers without I/O: yield so the backup's exit can be noticed.
      while (writing) {
        await writePair(written++);
        await new Promise((r) => setImmediate(r));
      }
    })();
    const out = join(dir, "during-writes.db");
    const result = await npm("backup", [out]);
    writing = false;
    await load;
    expect(result.code, result.out).toBe(0);
    expect(result.out).toContain("Backup written and checked");
    const check = await checkDatabaseFile(out);
    expect(check.ok).toBe(true);
    const copy = await countsIn(out);
    // Every transaction is in the copy whole or not at all, and none committed before it started is missing.
    expect(copy.users).toBe(copy.audits);
    expect(copy.users).toBeGreaterThanOrEqual(50);
    expect(copy.users).toBeLessThanOrEqual(written);
    expect(written).toBeGreaterThan(50);
  });

  it("never overwrites an existing file", async () => {
    const out = join(dir, "exists.db");
    writeFileSync(out, "keep me");
    const result = await npm("backup", [out]);
    expect(result.code).toBe(1);
    expect(result.out).toContain("never overwrites");
  });
});

embeddedOnly("npm run restore", () => {
  it("refuses to replace a database a running server is using", async () => {
    const backup = join(dir, "for-running.db");
    expect((await npm("backup", [backup])).code).toBe(0);
    claimDatabase(url); // as the server does at start: this process is alive
    const result = await npm("restore", [backup]);
    releaseDatabase(url);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/is using .* Stop it first/);
  });

  it("refuses a file that is not a sound Concord database", async () => {
    const broken = join(dir, "broken.db");
    writeFileSync(broken, new Uint8Array(8192).fill(7));
    const target = join(dir, "target-broken.db");
    const result = await npm("restore", [broken], { DATABASE_URL: `file:${target}` });
    expect(result.code).toBe(1);
    expect(result.out).toContain("Refusing to restore");
    expect(existsSync(target)).toBe(false);
  });

  it("puts a backup in place of a stopped database, keeping the replaced one", async () => {
    const backup = join(dir, "to-restore.db");
    expect((await npm("backup", [backup])).code).toBe(0);
    const target = join(dir, "target.db");
    writeFileSync(target, "an older database");
    const result = await npm("restore", [backup], { DATABASE_URL: `file:${target}` });
    expect(result.code, result.out).toBe(0);
    expect(await countsIn(target)).toEqual(await countsIn(backup));
    expect(readdirSync(dir).some((f) => f.startsWith("target.db.before-restore-"))).toBe(true);
  });
});
