import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "#db/schema";
import { env } from "./env.server";
import { noteStatement } from "./request-scope.server";

export type Database = LibSQLDatabase<typeof schema>;
/** The handle a model function writes through: the database or an open transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Tx;

interface Handle {
  client: Client;
  db: Database;
}

// One client per process, kept on globalThis so that development rebuilds reuse it.
const g = globalThis as typeof globalThis & { __concordDb?: Handle };

const BUSY_WAIT_MS = 10_000;

function isBusy(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } } | null;
  return e?.code === "SQLITE_BUSY" || e?.cause?.code === "SQLITE_BUSY" || /SQLITE_BUSY|database is locked/.test(e?.message ?? "");
}

/**
 * The embedded driver runs each statement synchronously: a busy_timeout would make a write
 * that meets another request's open transaction block the whole event loop, so that
 * transaction could never finish. Instead the lock is met at once (busy_timeout 0) and the
 * statement is retried after yielding, until the writer ahead of it has committed.
 */
function retryWhenBusy(client: Client): Client {
  const retried = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = Date.now();
      for (let attempt = 0; ; attempt++) {
        try {
          return await fn(...args);
        } catch (error) {
          if (!isBusy(error) || Date.now() - started > BUSY_WAIT_MS) throw error;
          await new Promise((r) => setTimeout(r, Math.min(50, 1 + attempt * 2)));
        }
      }
    };
  return new Proxy(client, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const bound = value.bind(target);
      return ["execute", "batch", "migrate", "executeMultiple", "transaction"].includes(String(property)) ? retried(bound) : bound;
    },
  });
}

// Marks the async context of every open write transaction, however it was started, so heavy
// work can refuse to run while the write lock is held (see assertNoTransaction).
const openTransaction = new AsyncLocalStorage<true>();

/** True while the current async context is inside a database transaction. */
export function inTransaction(): boolean {
  return openTransaction.getStore() === true;
}

function trackTransactions(database: Database): Database {
  const transaction = database.transaction.bind(database);
  database.transaction = ((fn, config) => openTransaction.run(true, () => transaction(fn, config))) as Database["transaction"];
  return database;
}

export function openDatabase(url: string, authToken?: string): Handle {
  const embedded = url.startsWith("file:");
  if (embedded && !url.includes(":memory:")) {
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  }
  const raw = createClient({ url, authToken, timeout: 0 });
  const client = embedded ? retryWhenBusy(raw) : raw;
  return { client, db: trackTransactions(drizzle(client, { schema, casing: "snake_case", logger: { logQuery: noteStatement } })) };
}

function handle(): Handle {
  if (!g.__concordDb) {
    const e = env();
    g.__concordDb = openDatabase(e.DATABASE_URL, e.DATABASE_AUTH_TOKEN);
  }
  return g.__concordDb;
}

export function db(): Database {
  return handle().db;
}

export function dbClient(): Client {
  return handle().client;
}

export function closeDatabase(): void {
  g.__concordDb?.client.close();
  g.__concordDb = undefined;
}

/**
 * Settings for an embedded database file. WAL and synchronous=FULL persist in the file;
 * foreign_keys is on by default in libSQL and asserted here so a change of driver is caught.
 */
export async function configureDatabase(client: Client): Promise<void> {
  if (!isEmbedded()) return;
  await client.execute("PRAGMA journal_mode = WAL");
  await client.execute("PRAGMA synchronous = FULL");
  await client.execute("PRAGMA foreign_keys = ON");
  const fk = await client.execute("PRAGMA foreign_keys");
  if (Number(fk.rows[0]?.[0]) !== 1) throw new Error("SQLite foreign keys could not be enabled");
}

export function isEmbedded(): boolean {
  return env().DATABASE_URL.startsWith("file:");
}
