import { Buffer } from "node:buffer";
import { fileURLToPath } from "node:url";
import { LibsqlBatchError, LibsqlError, type Client, type InArgs, type InStatement, type ResultSet, type Row, type Transaction, type TransactionMode, type Value } from "@libsql/client";
import Database from "libsql";

/**
 * The embedded file through the `libsql` binding itself (ADR 044), behind the same `Client`
 * interface drizzle and our code use, answering exactly as @libsql/client's file client does
 * (rows readable by index and by column name, integers as numbers and a RangeError past 2^53,
 * blobs as ArrayBuffer, errors as LibsqlError with the same codes).
 *
 * @libsql/client wraps this same binding but prepares every statement again on every call and
 * builds each row with two `defineProperty` calls per column. Here every connection keeps its
 * prepared statements (an LRU of CACHE_SIZE by SQL text) and a row is one object of a shape
 * made once per column list.
 *
 * Connections: every call but a transaction borrows an idle connection for one synchronous
 * run and returns it before anything else can run, so autocommit work shares one; each open
 * transaction holds its own until it settles. Every connection is opened with
 * synchronous = FULL and foreign keys on (they are per connection in SQLite).
 */

const CACHE_SIZE = 256;

type Native = InstanceType<typeof Database>;
type Prepared = ReturnType<Native["prepare"]>;

interface Cached {
  statement: Prepared;
  /** For statements that return rows: their columns and the row shape. */
  reader?: { columns: string[]; columnTypes: string[]; Row: RowConstructor };
}

type RowConstructor = new (values: unknown[]) => Row;

const VALUES = Symbol("values");

/**
 * A row class for one column list: each column name (its first occurrence) an own enumerable
 * property, as @libsql/client gives; indices and `length` on the prototype, not enumerable.
 */
function rowShape(columns: string[]): RowConstructor {
  const names: string[] = [];
  const at: number[] = [];
  columns.forEach((name, i) => {
    // An index of this row wins over a column named like one (as in @libsql/client).
    if (/^(0|[1-9]\d*)$/.test(name) && Number(name) < columns.length) return;
    if (names.includes(name)) return;
    names.push(name);
    at.push(i);
  });
  const Shape = function (this: Record<string | symbol, unknown>, values: unknown[]) {
    Object.defineProperty(this, VALUES, { value: values });
    for (let k = 0; k < names.length; k++) this[names[k]] = values[at[k]];
  } as unknown as RowConstructor;
  Object.defineProperty(Shape.prototype, "length", { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(Shape.prototype, i, {
      get(this: { [VALUES]: unknown[] }) {
        return this[VALUES][i];
      },
    });
  }
  return Shape;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_INT64 = -9223372036854775808n;
const MAX_INT64 = 9223372036854775807n;

function valueFromSql(value: unknown): Value {
  if (typeof value === "bigint") {
    if (value < MIN_SAFE || value > MAX_SAFE) throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    return Number(value);
  }
  if (value instanceof Buffer) return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
  return value as Value;
}

function valueToSql(value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers (not Infinity or NaN) can be passed as arguments");
    return value;
  }
  if (typeof value === "bigint") {
    if (value < MIN_INT64 || value > MAX_INT64) throw new RangeError("bigint is too large to be represented as a 64-bit integer and passed as argument");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function argsToSql(args: InArgs | undefined): unknown[] | Record<string, unknown> {
  if (args === undefined) return [];
  if (Array.isArray(args)) return args.map(valueToSql);
  const named: Record<string, unknown> = {};
  for (const name in args) {
    const key = name[0] === "@" || name[0] === "$" || name[0] === ":" ? name.substring(1) : name;
    named[key] = valueToSql((args as Record<string, unknown>)[name]);
  }
  return named;
}

const BASE_CODES = [
  "SQLITE_OK", "SQLITE_ERROR", "SQLITE_INTERNAL", "SQLITE_PERM", "SQLITE_ABORT", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_NOMEM",
  "SQLITE_READONLY", "SQLITE_INTERRUPT", "SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOTFOUND", "SQLITE_FULL", "SQLITE_CANTOPEN",
  "SQLITE_PROTOCOL", "SQLITE_EMPTY", "SQLITE_SCHEMA", "SQLITE_TOOBIG", "SQLITE_CONSTRAINT", "SQLITE_MISMATCH", "SQLITE_MISUSE",
  "SQLITE_NOLFS", "SQLITE_AUTH", "SQLITE_FORMAT", "SQLITE_RANGE", "SQLITE_NOTADB", "SQLITE_NOTICE", "SQLITE_WARNING",
];

/** The binding's SqliteError as @libsql/client reports it: base code, extended code, raw code. */
function mapError(error: unknown): unknown {
  if (error instanceof Database.SqliteError) {
    const e = error as Error & { code?: string; rawCode?: number };
    const base = e.rawCode === undefined ? "SQLITE_UNKNOWN" : (BASE_CODES[e.rawCode & 0xff] ?? `SQLITE_UNKNOWN_${e.rawCode & 0xff}`);
    return new LibsqlError(e.message, base, e.code, e.rawCode, e);
  }
  return error;
}

function resultSet(columns: string[], columnTypes: string[], rows: Row[], rowsAffected: number, lastInsertRowid: bigint | undefined): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON() {
      const json = (v: unknown) => (typeof v === "bigint" ? String(v) : v instanceof ArrayBuffer ? Buffer.from(v).toString("base64") : v);
      return { columns, columnTypes, rows: rows.map((r) => Array.prototype.map.call(r, json)), rowsAffected, lastInsertRowid: lastInsertRowid === undefined ? null : String(lastInsertRowid) };
    },
  };
}

/** One connection and its prepared statements. */
class Connection {
  readonly native: Native;
  private statements = new Map<string, Cached>();

  constructor(path: string, timeout: number) {
    this.native = new Database(path, { timeout });
    this.native.exec("PRAGMA synchronous = FULL");
    this.native.exec("PRAGMA foreign_keys = ON");
  }

  get open(): boolean {
    return this.native.open;
  }

  get inTransaction(): boolean {
    return this.native.inTransaction;
  }

  private prepared(sql: string): Cached {
    const hit = this.statements.get(sql);
    if (hit) {
      // Most recently used last: the first entry is the one to evict.
      this.statements.delete(sql);
      this.statements.set(sql, hit);
      return hit;
    }
    const statement = this.native.prepare(sql);
    statement.safeIntegers(true);
    const cached: Cached = { statement };
    if (statement.reader) {
      statement.raw(true);
      const described = statement.columns() as Array<{ name: string; type: string | null }>;
      const columns = described.map((c) => c.name);
      cached.reader = { columns, columnTypes: described.map((c) => c.type ?? ""), Row: rowShape(columns) };
    }
    this.statements.set(sql, cached);
    if (this.statements.size > CACHE_SIZE) this.statements.delete(this.statements.keys().next().value!);
    return cached;
  }

  execute(stmt: InStatement): ResultSet {
    const sql = typeof stmt === "string" ? stmt : stmt.sql;
    const args = typeof stmt === "string" ? [] : argsToSql(stmt.args);
    let cached: Cached | undefined;
    try {
      cached = this.prepared(sql);
      const { statement, reader } = cached;
      if (reader) {
        const raw = statement.all(args) as unknown[][];
        const rows = new Array<Row>(raw.length);
        for (let r = 0; r < raw.length; r++) {
          const values = raw[r];
          for (let c = 0; c < values.length; c++) {
            const v = values[c];
            if (typeof v === "bigint" || v instanceof Buffer) values[c] = valueFromSql(v);
          }
          rows[r] = new reader.Row(values);
        }
        return resultSet(reader.columns, reader.columnTypes, rows, 0, undefined);
      }
      const info = statement.run(args) as { changes: number; lastInsertRowid: number | bigint };
      return resultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (error) {
      // A statement that failed is never handed out again (its state after the error is the binding's business).
      this.statements.delete(sql);
      throw mapError(error);
    }
  }

  exec(sql: string): void {
    try {
      this.native.exec(sql);
    } catch (error) {
      throw mapError(error);
    }
  }

  close(): void {
    this.statements.clear();
    try {
      if (this.native.open) this.native.close();
    } catch {
      // nothing useful to do while tearing down
    }
  }
}

function beginFor(mode: TransactionMode): string {
  if (mode === "write") return "BEGIN IMMEDIATE";
  if (mode === "read") return "BEGIN TRANSACTION READONLY";
  if (mode === "deferred") return "BEGIN DEFERRED";
  throw new RangeError('Unknown transaction mode, supported values are "write", "read" and "deferred"');
}

function runAll(connection: Connection, stmts: InStatement[], check: () => void): ResultSet[] {
  const results: ResultSet[] = [];
  for (let i = 0; i < stmts.length; i++) {
    try {
      check();
      const stmt = stmts[i];
      results.push(connection.execute(Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] ?? [] } : stmt));
    } catch (error) {
      if (error instanceof LibsqlBatchError) throw error;
      if (error instanceof LibsqlError) throw new LibsqlBatchError(error.message, i, error.code, error.extendedCode, error.rawCode, error.cause instanceof Error ? error.cause : undefined);
      throw error;
    }
  }
  return results;
}

/** The path of a `file:` URL (`file:relative.db`, `file:/abs.db`, `file:///abs.db`). */
export function filePath(url: string): string {
  const bare = url.replace(/\?.*$/, "");
  if (bare.startsWith("file://")) return fileURLToPath(bare);
  return bare.slice("file:".length);
}

export function preparedClient(url: string, { timeout = 0 }: { timeout?: number } = {}): Client {
  const path = filePath(url);
  const idle: Connection[] = [];
  const borrowed = new Set<Connection>();
  let closed = false;

  const notClosed = () => {
    if (closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
  };
  const acquire = (): Connection => {
    notClosed();
    const connection = idle.pop() ?? new Connection(path, timeout);
    borrowed.add(connection);
    return connection;
  };
  const release = (connection: Connection) => {
    borrowed.delete(connection);
    // Never back into the pool mid-transaction, or the next borrower would inherit it.
    if (connection.open && connection.inTransaction) {
      try {
        connection.exec("ROLLBACK");
      } catch {
        connection.close();
        return;
      }
    }
    if (closed || !connection.open) connection.close();
    else idle.push(connection);
  };
  const borrow = <R>(run: (connection: Connection) => R): Promise<R> => {
    try {
      const connection = acquire();
      try {
        return Promise.resolve(run(connection));
      } finally {
        release(connection);
      }
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const client = {
    protocol: "file",
    get closed() {
      return closed;
    },
    execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
      const stmt = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      return borrow((connection) => connection.execute(stmt));
    },
    batch(stmts: InStatement[], mode: TransactionMode = "deferred"): Promise<ResultSet[]> {
      return borrow((connection) => {
        connection.execute(beginFor(mode));
        const results = runAll(connection, stmts, () => {
          if (!connection.inTransaction) throw new LibsqlBatchError("The transaction has been rolled back", 0, "TRANSACTION_CLOSED");
        });
        connection.execute("COMMIT");
        return results;
      });
    },
    migrate(stmts: InStatement[]): Promise<ResultSet[]> {
      return borrow((connection) => {
        connection.execute("PRAGMA foreign_keys=off");
        try {
          connection.execute("BEGIN DEFERRED");
          const results = runAll(connection, stmts, () => undefined);
          connection.execute("COMMIT");
          return results;
        } finally {
          if (connection.inTransaction) connection.exec("ROLLBACK");
          connection.execute("PRAGMA foreign_keys=on");
        }
      });
    },
    executeMultiple(sql: string): Promise<void> {
      return borrow((connection) => connection.exec(sql));
    },
    async transaction(mode: TransactionMode = "write"): Promise<Transaction> {
      const connection = acquire();
      try {
        connection.execute(beginFor(mode));
      } catch (error) {
        release(connection);
        throw error;
      }
      return openTransaction(connection, release);
    },
    async sync() {
      throw new LibsqlError("sync is not supported for an embedded file without a sync URL", "SYNC_NOT_SUPPORTED");
    },
    async reconnect() {
      for (const connection of idle) connection.close();
      idle.length = 0;
    },
    close() {
      closed = true;
      for (const connection of idle) connection.close();
      idle.length = 0;
      for (const connection of borrowed) connection.close();
      borrowed.clear();
    },
  };
  return client as unknown as Client;
}

function openTransaction(start: Connection, release: (connection: Connection) => void): Transaction {
  let connection: Connection | null = start;
  const settle = () => {
    if (!connection) return;
    const held = connection;
    connection = null;
    release(held);
  };
  const isClosed = () => !connection || !connection.open || !connection.inTransaction;
  const live = (): Connection => {
    if (isClosed()) throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return connection!;
  };
  const tx = {
    async execute(stmtOrSql: InStatement, args?: InArgs): Promise<ResultSet> {
      const stmt = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      return live().execute(stmt);
    },
    async batch(stmts: InStatement[]): Promise<ResultSet[]> {
      return runAll(live(), stmts, () => live());
    },
    async executeMultiple(sql: string): Promise<void> {
      live().exec(sql);
    },
    async rollback(): Promise<void> {
      if (!connection || !connection.open) return settle();
      try {
        live().execute("ROLLBACK");
      } finally {
        settle();
      }
    },
    async commit(): Promise<void> {
      try {
        live().execute("COMMIT");
      } finally {
        settle();
      }
    },
    close(): void {
      if (!connection) return;
      try {
        if (connection.open && connection.inTransaction) connection.execute("ROLLBACK");
      } finally {
        settle();
      }
    },
    get closed() {
      return isClosed();
    },
  };
  return tx as unknown as Transaction;
}
