import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { createClient } from "@libsql/client";
import { integrityCheck } from "./database-integrity.server";

/**
 * Backup and restore of the embedded database (docs/operations.md).
 *
 * - A backup is `VACUUM INTO`: SQLite writes a consistent, compacted copy from one read
 *   transaction, so it runs while the server is up and writing (WAL readers never block
 *   writers), and the copy holds every transaction committed before it started.
 * - A running server claims its database with a pid file beside it (`concord.db.pid`);
 *   restore refuses while that process lives, so it never replaces a file under a server.
 * - Both check the copy with `PRAGMA integrity_check` and that it is a Concord database.
 */

export function databasePath(url: string): string {
  if (!url.startsWith("file:") || url.includes(":memory:")) {
    throw new Error(`Backups here cover the embedded database (DATABASE_URL=file:…). For ${url.split(":")[0]}: use the libSQL server's own backups.`);
  }
  return resolve(url.slice("file:".length).split("?")[0]);
}

const lockFile = (path: string) => `${path}.pid`;

/** Marks the database as in use by this process (the server calls this at start). */
export function claimDatabase(url: string): void {
  if (!url.startsWith("file:") || url.includes(":memory:")) return;
  const path = databasePath(url);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(lockFile(path), String(process.pid));
}

export function releaseDatabase(url: string): void {
  if (!url.startsWith("file:") || url.includes(":memory:")) return;
  const file = lockFile(databasePath(url));
  try {
    if (readFileSync(file, "utf8").trim() === String(process.pid)) unlinkSync(file);
  } catch {
    // already gone
  }
}

/** The pid of a live process using the database, or null (a stale pid file of a killed server is ignored). */
export function runningServerOf(path: string): number | null {
  const file = lockFile(path);
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM" ? pid : null;
  }
}

/** Integrity and shape of a database file: "ok", or what is wrong with it. */
export async function checkDatabaseFile(path: string): Promise<{ ok: true; users: number; migrations: number } | { ok: false; problem: string }> {
  if (!existsSync(path) || statSync(path).size === 0) return { ok: false, problem: `${path} does not exist or is empty` };
  const client = createClient({ url: `file:${path}` });
  try {
    const integrity = await integrityCheck(client);
    if (integrity.join("\n") !== "ok") return { ok: false, problem: `integrity check failed: ${integrity.join("; ")}` };
    const tables = new Set((await client.execute("select name from sqlite_master where type = 'table'")).rows.map((r) => String(r[0])));
    for (const needed of ["users", "bodies", "__drizzle_migrations"]) if (!tables.has(needed)) return { ok: false, problem: `not a Concord database (no ${needed} table)` };
    const users = Number((await client.execute("select count(*) from users")).rows[0][0]);
    const migrations = Number((await client.execute("select count(*) from __drizzle_migrations")).rows[0][0]);
    return { ok: true, users, migrations };
  } catch (error) {
    return { ok: false, problem: `cannot be read as a database: ${(error as Error).message}` };
  } finally {
    client.close();
  }
}

export function defaultBackupPath(dbPath: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  return join(dirname(dbPath), "backups", `${basename(dbPath, ".db")}-${stamp}.db`);
}

/** Writes a consistent copy of the live database to `out` and checks it. */
export async function backupDatabase(url: string, out?: string): Promise<{ file: string; bytes: number }> {
  const path = databasePath(url);
  if (!existsSync(path)) throw new Error(`No database at ${path}.`);
  const file = resolve(out ?? defaultBackupPath(path));
  if (existsSync(file)) throw new Error(`${file} exists already; a backup never overwrites a file.`);
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  rmSync(partial, { force: true });
  const client = createClient({ url: `file:${path}` });
  try {
    // A busy writer holds the lock only for its own short transaction; wait for it.
    await client.execute("pragma busy_timeout = 10000");
    await client.execute({ sql: "vacuum into ?", args: [partial] });
  } finally {
    client.close();
  }
  const check = await checkDatabaseFile(partial);
  if (!check.ok) {
    rmSync(partial, { force: true });
    throw new Error(`The backup failed its check: ${check.problem}`);
  }
  renameSync(partial, file);
  return { file, bytes: statSync(file).size };
}

/**
 * Replaces the database with a backup: refuses while a server uses it, checks the backup
 * first, keeps the replaced file (and its WAL) beside it, and checks the result.
 */
export async function restoreDatabase(url: string, backup: string, now = new Date()): Promise<{ restored: string; keptAs: string | null }> {
  const path = databasePath(url);
  const source = resolve(backup);
  const pid = runningServerOf(path);
  if (pid !== null) throw new Error(`A Concord server (pid ${pid}) is using ${path}. Stop it first; restore never replaces a database in use.`);
  const check = await checkDatabaseFile(source);
  if (!check.ok) throw new Error(`Refusing to restore ${source}: ${check.problem}`);
  mkdirSync(dirname(path), { recursive: true });
  const staged = `${path}.restoring`;
  copyFileSync(source, staged);
  let keptAs: string | null = null;
  if (existsSync(path)) {
    keptAs = `${path}.before-restore-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
    renameSync(path, keptAs);
    for (const suffix of ["-wal", "-shm"]) if (existsSync(path + suffix)) renameSync(path + suffix, keptAs + suffix);
  }
  renameSync(staged, path);
  const after = await checkDatabaseFile(path);
  if (!after.ok) throw new Error(`The restored database failed its check: ${after.problem}`);
  return { restored: path, keptAs };
}
