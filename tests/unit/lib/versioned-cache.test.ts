import { describe, expect, it } from "vitest";
import { VersionedCache } from "~/lib/versioned-cache";

describe("VersionedCache", () => {
  const reader = (version: number | undefined, value: string) => {
    const calls = { n: 0 };
    return { calls, read: async () => (calls.n++, { version, value }) };
  };

  it("gives a kept answer only for the version it was read at", async () => {
    const cache = new VersionedCache<string>(10);
    const a = reader(1, "at 1");
    expect(await cache.get(["k"], 1, a.read)).toBe("at 1");
    expect(await cache.get(["k"], 1, a.read)).toBe("at 1");
    expect(a.calls.n).toBe(1);
    const b = reader(2, "at 2");
    expect(await cache.get(["k"], 2, b.read)).toBe("at 2");
    expect(b.calls.n).toBe(1);
    // Another key is another answer.
    const c = reader(2, "other");
    expect(await cache.get(["k", { reader: "x" }], 2, c.read)).toBe("other");
    expect(c.calls.n).toBe(1);
  });

  it("keeps a read under the version the read saw, not the one asked for (a lagging replica)", async () => {
    const cache = new VersionedCache<string>(10);
    const lagging = reader(4, "at 4");
    expect(await cache.get(["k"], 5, lagging.read)).toBe("at 4");
    // Asked at 5 again: what was kept is for 4, so it is read again.
    expect(await cache.get(["k"], 5, lagging.read)).toBe("at 4");
    expect(lagging.calls.n).toBe(2);
    // Asked at 4, the kept answer serves.
    expect(await cache.get(["k"], 4, lagging.read)).toBe("at 4");
    expect(lagging.calls.n).toBe(2);
  });

  it("does not keep a read that cannot say its version", async () => {
    const cache = new VersionedCache<string>(10);
    const unknown = reader(undefined, "none");
    await cache.get(["k"], 1, unknown.read);
    await cache.get(["k"], 1, unknown.read);
    expect(unknown.calls.n).toBe(2);
    expect(cache.size).toBe(0);
  });

  it("holds at most its capacity, the least recently used going first", async () => {
    const cache = new VersionedCache<string>(2);
    await cache.get(["a"], 1, reader(1, "a").read);
    await cache.get(["b"], 1, reader(1, "b").read);
    // "a" used again: "b" is now the least recently used.
    const a = reader(1, "a");
    await cache.get(["a"], 1, a.read);
    expect(a.calls.n).toBe(0);
    await cache.get(["c"], 1, reader(1, "c").read);
    expect(cache.size).toBe(2);
    const b = reader(1, "b");
    await cache.get(["b"], 1, b.read);
    expect(b.calls.n).toBe(1);
    const a2 = reader(1, "a");
    await cache.get(["a"], 1, a2.read);
    expect(a2.calls.n).toBe(1);
  });
});
