import { createHash } from "node:crypto";

/**
 * Answers kept with the data version they were read at, and given again only while the version
 * is unchanged (ADR 055). The version is a counter the database moves, in the writing
 * transaction, with every write the answer depends on; the key names everything else it
 * depends on (the reader's facts, filters, the day). So a kept answer is the one the statement
 * would give now, on every instance: nothing expires by time and nothing needs telling.
 *
 * At most `capacity` answers, the least recently used going first.
 */
export class VersionedCache<T> {
  private readonly entries = new Map<string, { version: number; value: T }>();

  constructor(private readonly capacity: number) {}

  /**
   * The answer kept under `key` if it was read at `version`; otherwise `read()`'s, kept under the
   * version the read itself saw (its own statement's, which may be older than `version` on a
   * replica that lags: then it is kept for that version and not given for this one). A read that
   * cannot say its version (`version: undefined`) is not kept.
   */
  async get(key: unknown[], version: number, read: () => Promise<{ version: number | undefined; value: T }>): Promise<T> {
    const id = keyOf(key);
    const kept = this.entries.get(id);
    if (kept && kept.version === version) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(id);
      this.entries.set(id, kept);
      return kept.value;
    }
    const fresh = await read();
    if (fresh.version !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, { version: fresh.version, value: fresh.value });
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return fresh.value;
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A key of a few KB (a reader's facts over 40 meetings) as a short digest. */
function keyOf(parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
}
