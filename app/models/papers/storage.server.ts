import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable } from "node:stream";
import { and, asc, eq, gt, isNull, lt, ne } from "drizzle-orm";
import { paperChunks, paperFiles } from "#db/schema";
import { db } from "~/lib/db.server";
import { env } from "~/lib/env.server";

/**
 * Where a paper's bytes live. By default in the database, in rows of CHUNK_BYTES, so one
 * backup holds everything and a libSQL server carries it; with PAPER_STORAGE_DIR set, as files
 * named by SHA-256 in that directory. Either way a file is written and read piece by piece:
 * a 50 MB paper never sits in memory whole on its way in or out.
 */
export const CHUNK_BYTES = 256 * 1024;

export type StoredFile = Pick<typeof paperFiles.$inferSelect, "id" | "storage" | "sha256" | "size">;

export function maxPaperBytes(): number {
  return env().PAPER_MAX_MB * 1024 * 1024;
}

const directory = () => (env().PAPER_STORAGE_DIR ? resolve(env().PAPER_STORAGE_DIR!) : null);

/** An upload under way: bytes go in as they arrive; `finish` or `discard` ends it. */
export class FileWriter {
  private hash: Hash = createHash("sha256");
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private seq = 0;
  private out: WriteStream | null = null;
  /** Set once every byte is in: from then on the file has its final name in a storage directory. */
  private finished: string | null = null;
  size = 0;

  private constructor(
    readonly id: string,
    private readonly dir: string | null,
  ) {}

  static async open(input: { bodyId: string; uploadedBy: string; filename: string; mediaType: string }): Promise<FileWriter> {
    const dir = directory();
    const [row] = await db()
      .insert(paperFiles)
      .values({ ...input, storage: dir ? "directory" : "database" })
      .returning({ id: paperFiles.id });
    const writer = new FileWriter(row.id, dir);
    if (dir) {
      await mkdir(join(dir, "incoming"), { recursive: true });
      writer.out = createWriteStream(join(dir, "incoming", row.id));
    }
    return writer;
  }

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.size += chunk.byteLength;
    if (this.out) {
      if (!this.out.write(chunk)) await new Promise((r) => this.out!.once("drain", r));
      return;
    }
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.byteLength;
    while (this.pendingBytes >= CHUNK_BYTES) await this.flush(CHUNK_BYTES);
  }

  private async flush(bytes: number): Promise<void> {
    const all = concat(this.pending, this.pendingBytes);
    const rest = all.slice(bytes);
    this.pending = rest.byteLength ? [rest] : [];
    this.pendingBytes = rest.byteLength;
    const piece = all.subarray(0, bytes);
    await db().insert(paperChunks).values({ fileId: this.id, seq: this.seq++, data: Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength) });
  }

  /** All bytes received: the file's size and SHA-256. */
  async finish(): Promise<{ size: number; sha256: string }> {
    const sha256 = this.hash.digest("hex");
    if (this.out) {
      await new Promise<void>((ok, fail) => this.out!.end((error?: Error | null) => (error ? fail(error) : ok())));
      await rename(join(this.dir!, "incoming", this.id), join(this.dir!, sha256));
    } else if (this.pendingBytes > 0) {
      await this.flush(this.pendingBytes);
    }
    this.finished = sha256;
    await db().update(paperFiles).set({ size: this.size, sha256 }).where(eq(paperFiles.id, this.id));
    return { size: this.size, sha256 };
  }

  /** The upload failed or was refused: nothing of it stays. */
  async discard(): Promise<void> {
    this.out?.destroy();
    if (this.dir) await rm(join(this.dir, "incoming", this.id), { force: true });
    // A file refused after it was received (wrong content, a field error) already has its final name.
    await deleteStoredFile({ id: this.id, storage: this.dir ? "directory" : "database", sha256: this.finished, size: 0 });
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** The file's bytes as a stream, one chunk row (or file block) at a time. */
export function readStoredFile(file: StoredFile): ReadableStream<Uint8Array> {
  if (file.storage === "directory") {
    const dir = directory();
    if (!dir || !file.sha256) throw new Error("paper storage directory is not configured");
    return Readable.toWeb(createReadStream(join(dir, file.sha256))) as ReadableStream<Uint8Array>;
  }
  let seq = -1;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const [row] = await db()
        .select({ seq: paperChunks.seq, data: paperChunks.data })
        .from(paperChunks)
        .where(and(eq(paperChunks.fileId, file.id), gt(paperChunks.seq, seq)))
        .orderBy(asc(paperChunks.seq))
        .limit(1);
      if (!row) return controller.close();
      seq = row.seq;
      controller.enqueue(new Uint8Array(row.data));
    },
  });
}

/** The whole file in memory: only for stamping, text extraction and the meeting book. */
export async function readStoredBytes(file: StoredFile): Promise<Uint8Array> {
  const out = new Uint8Array(file.size);
  let at = 0;
  const reader = readStoredFile(file).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, at);
    at += value.byteLength;
  }
  return at === out.byteLength ? out : out.subarray(0, at);
}

export async function deleteStoredFile(file: StoredFile): Promise<void> {
  await db().delete(paperFiles).where(eq(paperFiles.id, file.id)); // chunks cascade
  const dir = directory();
  if (file.storage === "directory" && dir && file.sha256) {
    const shared = await db()
      .select({ id: paperFiles.id })
      .from(paperFiles)
      .where(and(eq(paperFiles.sha256, file.sha256), ne(paperFiles.id, file.id)))
      .limit(1);
    if (shared.length === 0) await rm(join(dir, file.sha256), { force: true });
  }
}

/**
 * Uploads that never finished (the process died during one): a file row that never became a
 * paper's version. Run at start-up, when no upload can be under way, and removes them whole.
 */
export async function sweepAbandonedUploads(olderThan: Date = new Date()): Promise<number> {
  const rows = await db()
    .select({ id: paperFiles.id, storage: paperFiles.storage, sha256: paperFiles.sha256, size: paperFiles.size })
    .from(paperFiles)
    .where(and(isNull(paperFiles.paperId), lt(paperFiles.createdAt, olderThan)));
  for (const row of rows) await deleteStoredFile({ ...row, sha256: null });
  const dir = directory();
  if (dir) {
    const incoming = join(dir, "incoming");
    if (await stat(incoming).catch(() => null)) await rm(incoming, { recursive: true, force: true });
  }
  return rows.length;
}
