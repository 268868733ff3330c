import { createClient, type Client, type InStatement, type Transaction, type TransactionMode } from "@libsql/client";
import { preparedClient } from "./db-prepared.server";

/**
 * The embedded libSQL driver, made safe for one process with many concurrent requests.
 *
 * Two facts about the embedded driver shape this:
 * - It runs each statement synchronously, so a `busy_timeout` would block the event loop
 *   while the writer ahead (in this same process) could never finish. The lock is met at
 *   once (busy_timeout 0) instead.
 * - A statement that fails with SQLITE_BUSY is left active on its pooled connection (the
 *   driver never resets it; only garbage collection does). Every later transaction on that
 *   connection then fails to commit ("cannot commit transaction - SQL statements in
 *   progress", the error that once ended the process mid-meeting), and an autocommit write
 *   on it would not be committed at all. Such a connection must never be used again.
 *
 * So writers of this process queue for one in-process write gate (they never meet each
 * other's lock in SQLite), and when another process holds the lock (a maintenance script,
 * a test) a statement that meets it is retried on a fresh client, never on the connection
 * it poisoned; the old client is closed once its open transactions have finished.
 */

const BUSY_WAIT_MS = 10_000;
/** Longer than any verb's transaction; past it, a writer stops queueing and meets the lock in SQLite (and is retried). */
const GATE_WAIT_MS = 5_000;

export function isBusy(error: unknown): boolean {
  const e = error as { code?: string; message?: string; cause?: { code?: string } } | null;
  return e?.code === "SQLITE_BUSY" || e?.cause?.code === "SQLITE_BUSY" || /SQLITE_BUSY|database is locked/.test(e?.message ?? "");
}

const sqlOf = (statement: InStatement) => (typeof statement === "string" ? statement : statement.sql);
/** Statements that never take the write lock (in WAL mode readers never wait for writers). */
const isRead = (statement: InStatement) => /^\s*(select|explain|pragma\s+[a-z_]+\s*;?\s*$|pragma\s+[a-z_]+\s*\([^)]*\)\s*;?\s*$)/i.test(sqlOf(statement));

/** A FIFO lock with a patience limit: a waiter that has waited `GATE_WAIT_MS` goes ahead anyway. */
export class WriteGate {
  private queue: Array<() => void> = [];
  private held = false;

  async acquire(): Promise<() => void> {
    if (this.held) {
      // Handed the gate by the writer before (it stays held), or out of patience (not ours to release).
      const handedOver = await new Promise<boolean>((resolve) => {
        const go = () => {
          clearTimeout(timer);
          resolve(true);
        };
        const timer = setTimeout(() => {
          // Waited too long (a writer inside a transaction writing outside it?): go on without the gate.
          this.queue = this.queue.filter((w) => w !== go);
          resolve(false);
        }, GATE_WAIT_MS);
        this.queue.push(go);
      });
      if (!handedOver) return () => undefined;
    }
    this.held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.queue.shift();
      if (next) next();
      else this.held = false;
    };
  }
}

interface Generation {
  client: Client;
  open: number;
  retired: boolean;
}

/**
 * Which binding opens the file (ADR 044): the `libsql` binding with cached prepared statements
 * (db-prepared.server.ts), or with DATABASE_EMBEDDED_DRIVER=client @libsql/client's own file
 * client, which prepares every statement again. Both sit behind the gate and retry below.
 */
export type EmbeddedDriver = "prepared" | "client";

export function embeddedDriver(): EmbeddedDriver {
  return process.env.DATABASE_EMBEDDED_DRIVER === "client" ? "client" : "prepared";
}

export function embeddedClient(url: string, authToken?: string, driver: EmbeddedDriver = embeddedDriver()): Client {
  const gate = new WriteGate();
  const open = () => (driver === "client" ? createClient({ url, authToken, timeout: 0 }) : preparedClient(url, { timeout: 0 }));
  const fresh = (): Generation => ({ client: open(), open: 0, retired: false });
  let current = fresh();

  const settle = (generation: Generation) => {
    if (generation.retired && generation.open === 0) generation.client.close();
  };
  /** The client a busy statement ran on may hold a poisoned connection: new work goes to a new one. */
  const retire = (generation: Generation) => {
    if (generation !== current) return;
    generation.retired = true;
    current = fresh();
    settle(generation);
  };

  async function withRetry<R>(run: (client: Client, generation: Generation) => Promise<R>): Promise<R> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const generation = current;
      try {
        return await run(generation.client, generation);
      } catch (error) {
        if (!isBusy(error)) throw error;
        retire(generation);
        if (Date.now() - started > BUSY_WAIT_MS) throw error;
        await new Promise((r) => setTimeout(r, Math.min(50, 1 + attempt * 5)));
      }
    }
  }

  async function gated<R>(write: boolean, run: () => Promise<R>): Promise<R> {
    if (!write) return run();
    const release = await gate.acquire();
    try {
      return await run();
    } finally {
      release();
    }
  }

  const transaction = async (mode: TransactionMode = "write"): Promise<Transaction> => {
    const release = mode === "read" ? () => undefined : await gate.acquire();
    let generation!: Generation;
    let tx: Transaction;
    try {
      tx = await withRetry(async (client, g) => {
        generation = g;
        return client.transaction(mode);
      });
    } catch (error) {
      release();
      throw error;
    }
    generation.open++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      release();
      generation.open--;
      settle(generation);
    };
    return new Proxy(tx, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property === "commit" || property === "rollback") {
          return async (...args: unknown[]) => {
            try {
              return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
            } catch (error) {
              // A commit that fails with BUSY leaves the connection as poisoned as any statement.
              if (isBusy(error)) retire(generation);
              throw error;
            } finally {
              finish();
            }
          };
        }
        if (property === "close") {
          return (...args: unknown[]) => {
            try {
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            } finally {
              finish();
            }
          };
        }
        return value.bind(target);
      },
    });
  };

  const facade = {
    execute: (statement: InStatement, args?: unknown) =>
      gated(!isRead(statement), () => withRetry((client) => (args === undefined ? client.execute(statement) : client.execute(statement as string, args as never)))),
    batch: (statements: InStatement[], mode?: TransactionMode) => gated(mode !== "read", () => withRetry((client) => client.batch(statements, mode))),
    migrate: (statements: InStatement[]) => gated(true, () => withRetry((client) => client.migrate(statements))),
    executeMultiple: (sql: string) => gated(true, () => withRetry((client) => client.executeMultiple(sql))),
    transaction,
  };

  return new Proxy({} as Client, {
    get(_target, property) {
      if (property in facade) return facade[property as keyof typeof facade];
      const value = Reflect.get(current.client, property, current.client);
      return typeof value === "function" ? value.bind(current.client) : value;
    },
  });
}
