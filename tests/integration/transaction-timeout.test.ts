import { createClient, type Transaction } from "@libsql/client";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bodies } from "#db/schema";
import { createBody } from "#tests/factories";
import { db } from "~/lib/db.server";
import { toErrorResponse } from "~/lib/http.server";
import { withTransaction } from "~/lib/transaction.server";

/**
 * sqld rolls back a write transaction that holds the write lock past its timeout (5 s) while
 * another waits for it (TRANSACTION_TIMEOUT). That happened to agenda writes from two
 * instances on a loaded machine (`npm run bench -- cluster`, 500s); nothing was written, so
 * withTransaction runs the transaction again. sqld only (npm run test:integration:sqld).
 *
 * The same bench (`npm run bench -- cluster`, which now keeps the instances' logs) showed the
 * other ways a loaded sqld ends or refuses work that wrote nothing: a transaction's stream
 * expired (sqld closes a stream 10 s after its last request, and a process that busy had not
 * sent the next statement in time), and SQLITE_BUSY, the write lock refused to BEGIN or to a
 * single statement — both 503s or 500s before. Here the lock is held from outside, by a
 * connection to sqld's own file, which makes sqld answer SQLITE_BUSY at once.
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

  it("runs a transaction again whose stream sqld expired while the process was too busy to send the next statement", async () => {
    const { body } = await createBody();
    let attempts = 0;
    await withTransaction(async (tx) => {
      attempts++;
      await tx.update(bodies).set({ nameEn: `idle ${attempts}` }).where(eq(bodies.id, body.id));
      // sqld expires a stream 10 s after its last request.
      if (attempts === 1) await new Promise((r) => setTimeout(r, 11_500));
      await tx.update(bodies).set({ nameJa: `idle ${attempts}` }).where(eq(bodies.id, body.id));
    });
    expect(attempts).toBe(2);
    const [row] = await db().select({ en: bodies.nameEn, ja: bodies.nameJa }).from(bodies).where(eq(bodies.id, body.id));
    expect(row).toEqual({ en: "idle 2", ja: "idle 2" });
  }, 60_000);

  /** Holds sqld's write lock from outside (an open write transaction on its file) for `ms`. */
  async function holdLock(ms: number) {
    const file = createClient({ url: `file:${process.env.TEST_SQLD_FILE}` });
    const tx: Transaction = await file.transaction("write");
    await tx.execute("update bodies set name_en = name_en where 0");
    await tx.execute("insert into bodies (id) select id from bodies where 0");
    return new Promise<void>((resolve) =>
      setTimeout(async () => {
        await tx.rollback();
        file.close();
        resolve();
      }, ms),
    );
  }

  it("waits out a write lock held elsewhere: a transaction and a single statement both go through once it is free", async () => {
    const { body } = await createBody();
    const held = holdLock(2_000);
    const transaction = withTransaction(async (tx) => {
      await tx.update(bodies).set({ nameEn: "after the lock" }).where(eq(bodies.id, body.id));
    });
    const single = db().update(bodies).set({ nameJa: "after the lock" }).where(eq(bodies.id, body.id));
    await Promise.all([transaction, single, held]);
    const [row] = await db().select({ en: bodies.nameEn, ja: bodies.nameJa }).from(bodies).where(eq(bodies.id, body.id));
    expect(row).toEqual({ en: "after the lock", ja: "after the lock" });
  }, 60_000);

  it("answers 503 with Retry-After, never 500, when the lock stays held past the wait", async () => {
    const { body } = await createBody();
    const held = holdLock(12_000);
    const error = await withTransaction(async (tx) => {
      await tx.update(bodies).set({ nameEn: "never" }).where(eq(bodies.id, body.id));
    }).catch((e: unknown) => e);
    await held;
    const request = new Request("http://localhost/meetings/x/agenda", { method: "POST" });
    const response = toErrorResponse(error, { request, params: {}, context: { requestId: "test" } } as never) as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("5");
    const [row] = await db().select({ en: bodies.nameEn }).from(bodies).where(eq(bodies.id, body.id));
    expect(row!.en).not.toBe("never");
  }, 60_000);
});
