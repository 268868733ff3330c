import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { createClient, type Client } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "#db/schema";
import { serverRefusal } from "./database-errors";
import { embeddedClient } from "./db-embedded.server";
import { env } from "./env.server";
import { noteStatement } from "./request-scope.server";
import { replicaReached, replicaUsable, replicationIndex, startReplicaMonitor, stopReplicaMonitor } from "./replica-lag.server";

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

// Marks the async context of every open write transaction, however it was started, so heavy
// work can refuse to run while the write lock is held (see assertNoTransaction).
const openTransaction = new AsyncLocalStorage<true>();

/** True while the current async context is inside a database transaction. */
export function inTransaction(): boolean {
  return openTransaction.getStore() === true;
}

function trackTransactions(database: Database): Database {
  const transaction = database.transaction.bind(database);
  database.transaction = (async (fn, config) => {
    // A request that writes reads its own writes for the rest of it: from the primary.
    markFresh();
    // drizzle rolls back when the function throws and rethrows the rollback's error if that
    // fails too (sqld answers "no transaction is active" once it has ended the transaction
    // itself), hiding why the transaction failed. Keep the function's own error.
    let failure: { error: unknown } | undefined;
    const result = await openTransaction
      .run(true, () =>
        transaction(async (tx) => {
          try {
            return await fn(tx);
          } catch (error) {
            failure = { error };
            throw error;
          }
        }, config),
      )
      .catch((error: unknown) => {
        throw failure && failure.error !== error ? failure.error : error;
      });
    await noteWrite();
    return result;
  }) as Database["transaction"];
  return database;
}

const READ_ONLY = /^\s*(select|pragma|explain)\b/i;

const BUSY_WAIT_MS = 10_000;

/**
 * A statement or batch outside a transaction that sqld refuses the write lock (SQLITE_BUSY:
 * another process or a checkpoint holds it) did not run — a batch is its own transaction — so
 * it is sent again for up to 10 s: the server-side equivalent of the embedded driver's
 * busy-retry (db-embedded.server.ts). Transactions are retried whole (withTransaction).
 */
async function busyRetry<R>(run: () => Promise<R>): Promise<R> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      // A refusal after sqld waited long for the lock itself still gets one more attempt.
      if (serverRefusal(error) !== "busy" || (attempt > 1 && Date.now() - started > BUSY_WAIT_MS)) throw error;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
}

/** Statements executed outside a transaction (a few single-row updates) are noted as writes too. */
function trackWrites(client: Client): Client {
  const execute = client.execute.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { execute: unknown }).execute = async (...args: unknown[]) => {
    const result = await busyRetry(() => execute(...args));
    const stmt = args[0] as string | { sql: string };
    if (readRoute.getStore() && !READ_ONLY.test(typeof stmt === "string" ? stmt : stmt.sql)) {
      markFresh();
      await noteWrite();
    }
    return result;
  };
  const batch = client.batch.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as { batch: unknown }).batch = async (...args: unknown[]) => {
    const result = await busyRetry(() => batch(...args));
    if (readRoute.getStore()) {
      markFresh();
      await noteWrite();
    }
    return result;
  };
  return client;
}

/**
 * Which node a request's reads go to (ADR 030). Outside a routed context (jobs, WebSockets, a
 * process without a replica) everything goes to the primary. A GET or HEAD request routed
 * with `fresh: false` reads from the replica while the replica is within
 * DATABASE_REPLICA_MAX_LAG_MS of the primary and, when the browser has written (`after`), has
 * applied the primary's replication index its last write reached; once the request writes,
 * the rest of it goes to the primary. A routed request that writes learns the primary's
 * replication index after its commit (`written`), which the caller hands to the browser.
 */
export interface ReadRoute {
  fresh: boolean;
  /** The replica must have reached this replication index to serve this request. */
  after?: number;
  /** The primary's replication index after this request's last write; "unknown" when it could not be read. */
  written?: number | "unknown";
  /** Which nodes this request's routed reads (`db()`) went to, for the diagnostic X-Reads-From header. */
  readFrom?: Set<"primary" | "replica">;
}
const readRoute = new AsyncLocalStorage<ReadRoute>();

export function withReadRouting<T>(route: ReadRoute, fn: () => T): T {
  return readRoute.run(route, fn);
}

/**
 * After a commit in a routed request: the primary's replication index now, which covers the
 * commit (indexes only grow). One `SELECT 1` over Hrana — @libsql/client does not expose the
 * index of the commit's own response.
 */
async function noteWrite(): Promise<void> {
  const route = readRoute.getStore();
  const e = env();
  if (!route || !e.DATABASE_REPLICA_URL) return;
  try {
    const index = await replicationIndex(e.DATABASE_URL, e.DATABASE_AUTH_TOKEN);
    if (route.written !== "unknown") route.written = Math.max(route.written ?? 0, index);
  } catch (error) {
    console.warn("could not read the primary's replication index after a write", (error as Error)?.message ?? error);
    route.written = "unknown";
  }
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
  // The embedded driver needs care with SQLite's write lock (see db-embedded.server.ts).
  const client = embedded ? embeddedClient(url, authToken) : trackWrites(createClient({ url, authToken }));
  return { client, db: trackTransactions(drizzle({ client, schema, casing: "snake_case", logger: { logQuery: noteStatement } })) };
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
    if (r && replicaUsable(env().DATABASE_REPLICA_MAX_LAG_MS) && (route.after === undefined || replicaReached(route.after))) {
      route.readFrom?.add("replica");
      return r.db;
    }
  }
  if (route && !inTransaction()) route.readFrom?.add("primary");
  return handle().db;
}

/**
 * The primary's replication index covering everything this context has committed, for a live
 * notice to carry (ADR 030 addendum): a reader who hears of the change reads the replica once
 * it has this index. In a request that wrote, the index read after its commit; elsewhere (a
 * job, a request whose index could not be read) the primary's index now, which covers any
 * commit before it. Undefined without a replica, or when the primary cannot say.
 */
export async function committedIndex(): Promise<number | undefined> {
  const e = env();
  if (!e.DATABASE_REPLICA_URL) return undefined;
  const written = readRoute.getStore()?.written;
  if (typeof written === "number") return written;
  try {
    return await replicationIndex(e.DATABASE_URL, e.DATABASE_AUTH_TOKEN);
  } catch (error) {
    console.warn("could not read the primary's replication index for a live notice", (error as Error)?.message ?? error);
    return undefined;
  }
}

/** Always the primary: for reads that decide access (sessions), which must never be stale. */
export function primaryDb(): Database {
  return handle().db;
}

/**
 * The handle for a read that decides access (membership, role, a meeting's TLP audience):
 * the open transaction when there is one, else the primary — never a replica that may not
 * have applied a removal yet (ADR 030).
 */
export function accessDb(tx: DbOrTx): DbOrTx {
  return inTransaction() ? tx : primaryDb();
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
