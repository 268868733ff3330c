import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "#db/schema";
import { env } from "./env.server";
import { replicaUsable, startReplicaMonitor, stopReplicaMonitor } from "./replica-lag.server";

export type Database = LibSQLDatabase<typeof schema>;
/** The handle a model function writes through: the database or an open transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type DbOrTx = Database | Tx;

interface Handle {
  client: Client;
  db: Database;
}

// One client per process, kept on globalThis so that development rebuilds reuse it.
const g = globalThis as typeof globalThis & { __concordDb?: Handle; __concordReplica?: Handle };

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
  database.transaction = ((fn, config) => {
    // A request that writes reads its own writes for the rest of it: from the primary.
    markFresh();
    return openTransaction.run(true, () => transaction(fn, config));
  }) as Database["transaction"];
  return database;
}

/**
 * Which node a request's reads go to (ADR 030). Outside a routed context (writes, jobs,
 * WebSockets, a process without a replica) everything goes to the primary. A GET or HEAD
 * request routed with `fresh: false` reads from the replica while the replica is within
 * DATABASE_REPLICA_MAX_LAG_MS of the primary; once it opens a transaction, the rest of it
 * goes to the primary.
 */
interface ReadRoute {
  fresh: boolean;
}
const readRoute = new AsyncLocalStorage<ReadRoute>();

export function withReadRouting<T>(fresh: boolean, fn: () => T): T {
  return readRoute.run({ fresh }, fn);
}

/** The rest of the current request reads from the primary. */
export function markFresh(): void {
  const route = readRoute.getStore();
  if (route) route.fresh = true;
}

export function openDatabase(url: string, authToken?: string): Handle {
  const embedded = url.startsWith("file:");
  if (embedded && !url.includes(":memory:")) {
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  }
  const raw = createClient({ url, authToken, timeout: 0 });
  const client = embedded ? retryWhenBusy(raw) : raw;
  return { client, db: trackTransactions(drizzle(client, { schema, casing: "snake_case" })) };
}

function handle(): Handle {
  if (!g.__concordDb) {
    const e = env();
    g.__concordDb = openDatabase(e.DATABASE_URL, e.DATABASE_AUTH_TOKEN);
  }
  return g.__concordDb;
}

/** The replica's handle, or undefined without DATABASE_REPLICA_URL. Transactions and batches on it run on the primary. */
function replica(): Handle | undefined {
  const e = env();
  if (!e.DATABASE_REPLICA_URL) return undefined;
  if (!g.__concordReplica) {
    const primary = handle();
    const { client, db: replicaDb } = openDatabase(e.DATABASE_REPLICA_URL, e.DATABASE_AUTH_TOKEN);
    replicaDb.transaction = primary.db.transaction;
    replicaDb.batch = primary.db.batch.bind(primary.db);
    g.__concordReplica = { client, db: replicaDb };
    startReplicaMonitor({ primaryUrl: e.DATABASE_URL, replicaUrl: e.DATABASE_REPLICA_URL, authToken: e.DATABASE_AUTH_TOKEN });
  }
  return g.__concordReplica;
}

export function hasReplica(): boolean {
  return replica() !== undefined;
}

/**
 * The database for the current context: the primary, or the read replica inside a GET
 * request that may read from it (see withReadRouting). Writes through it reach the primary
 * either way (a transaction is always opened on the primary; sqld forwards a replica's
 * writes).
 */
export function db(): Database {
  const route = readRoute.getStore();
  if (route && !route.fresh && !inTransaction()) {
    const r = replica();
    if (r && replicaUsable(env().DATABASE_REPLICA_MAX_LAG_MS)) return r.db;
  }
  return handle().db;
}

/** Always the primary: for reads that decide access (sessions), which must never be stale. */
export function primaryDb(): Database {
  return handle().db;
}

export function dbClient(): Client {
  return handle().client;
}

export function closeDatabase(): void {
  stopReplicaMonitor();
  g.__concordReplica?.client.close();
  g.__concordReplica = undefined;
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
