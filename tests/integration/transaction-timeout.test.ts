import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bodies } from "#db/schema";
import { createBody } from "#tests/factories";
import { db } from "~/lib/db.server";
import { withTransaction } from "~/lib/transaction.server";

/**
 * sqld rolls back a write transaction that holds the write lock past its timeout (5 s) while
 * another waits for it (TRANSACTION_TIMEOUT). That happened to agenda writes from two
 * instances on a loaded machine (`npm run bench -- cluster`, 500s); nothing was written, so
 * withTransaction runs the transaction again. sqld only (npm run test:integration:sqld).
 */
describe.runIf(process.env.TEST_DATABASE === "sqld")("a transaction sqld timed out", () => {
  it("runs again from the start and commits once, its after-commit steps once", async () => {
    const { body } = await createBody();
    let attempts = 0;
    let effects = 0;
    const slow = withTransaction(async (tx, afterCommit) => {
      attempts++;
      await tx.update(bodies).set({ nameEn: `slow ${attempts}` }).where(eq(bodies.id, body.id));
      // The first attempt holds the write lock past sqld's timeout while the other writer waits.
      if (attempts === 1) await new Promise((r) => setTimeout(r, 7_000));
      afterCommit(() => void effects++);
    });
    await new Promise((r) => setTimeout(r, 500));
    const other = withTransaction(async (tx) => {
      await tx.update(bodies).set({ nameJa: "other" }).where(eq(bodies.id, body.id));
    });
    await Promise.all([slow, other]);
    expect(attempts).toBe(2);
    expect(effects).toBe(1);
    const [row] = await db().select({ n: bodies.nameEn }).from(bodies).where(eq(bodies.id, body.id));
    expect(row!.n).toBe("slow 2");
  }, 60_000);
});
