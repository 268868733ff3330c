import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bodies } from "#db/schema";
import { createBody } from "#tests/factories";
import { db } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";

/**
 * Many writers at once, each a read-then-write transaction, as request handlers on several
 * instances do. On the embedded file the busy-retry serialises them; on sqld the server does
 * (ADR 021). None may fail and none may lose another's increment.
 *
 * On the embedded file the write gate queues them (db-embedded.server.ts); each open transaction
 * holds its own connection of the prepared-statement client (ADR 044), without a limit.
 */
describe("concurrent write transactions", () => {
  it("all commit, in some order, when 50 run at once", async () => {
    const { body } = await createBody();
    await db().update(bodies).set({ nameEn: "0" }).where(eq(bodies.id, body.id));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        withTransaction(async (tx) => {
          const [row] = await tx.select({ n: bodies.nameEn }).from(bodies).where(eq(bodies.id, body.id));
          await tx.update(bodies).set({ nameEn: String(Number(row.n) + 1) }).where(eq(bodies.id, body.id));
        }),
      ),
    );
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const [row] = await db().select({ n: sql<string>`${bodies.nameEn}` }).from(bodies).where(eq(bodies.id, body.id));
    expect(row.n).toBe("50");
  }, 120_000);
});
