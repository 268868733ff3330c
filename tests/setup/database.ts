import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";

/**
 * Every test file gets its own migrated database, so files never see each other's rows and
 * can run in parallel: an embedded libSQL file by default, or, with TEST_DATABASE=sqld
 * (`npm run test:integration:sqld`), its own libSQL server on a free port with its own data
 * directory, reached over http:// exactly as instances behind a load balancer reach it.
 */
const useSqld = process.env.TEST_DATABASE === "sqld";
const file = join(tmpdir(), `concord-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
const sqld = useSqld ? await (await import("../support/sqld")).startSqld() : undefined;
process.env.DATABASE_URL = sqld ? sqld.url : `file:${file}`;
// sqld's own database file, for tests that hold its write lock from outside (transaction-timeout.test.ts).
if (sqld) process.env.TEST_SQLD_FILE = join(sqld.dir, "data.sqld", "dbs", "default", "data");
process.env.NODE_ENV = "test";
process.env.SEED_DEMO = "0";
process.env.LOG_LEVEL = "error";

beforeAll(async () => {
  const { configureDatabase, db, dbClient } = await import("~/lib/db.server");
  const { migrateDatabase } = await import("#db/migrate");
  await configureDatabase(dbClient());
  await migrateDatabase(db());
  // The live minutes, as the app's process provides them (models reach them through a port).
  await import("~/server/collab.server");
});

afterAll(async () => {
  const { closeDatabase } = await import("~/lib/db.server");
  closeDatabase();
  if (sqld) await sqld.remove();
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
});
