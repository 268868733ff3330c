import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { bodies } from "#db/schema";
import { db } from "~/lib/db.server";
import { assertNoTransaction, inTransaction, withTransaction } from "~/lib/transaction.server";
import { createBody } from "#tests/factories";

describe("withTransaction", () => {
  it("runs after-commit steps only once the commit succeeded, outside the transaction", async () => {
    const { body } = await createBody();
    const seen: Array<{ name: string | undefined; inside: boolean }> = [];
    await withTransaction(async (tx, afterCommit) => {
      await tx.update(bodies).set({ nameEn: "Renamed" }).where(eq(bodies.id, body.id));
      afterCommit(async () => {
        const [row] = await db().select({ name: bodies.nameEn }).from(bodies).where(eq(bodies.id, body.id));
        seen.push({ name: row?.name, inside: inTransaction() });
      });
      expect(seen).toEqual([]);
    });
    expect(seen).toEqual([{ name: "Renamed", inside: false }]);
  });

  it("never runs after-commit steps of a transaction that failed, and leaves nothing written", async () => {
    const { body } = await createBody();
    let ran = false;
    await expect(
      withTransaction(async (tx, afterCommit) => {
        await tx.update(bodies).set({ nameEn: "Half" }).where(eq(bodies.id, body.id));
        afterCommit(() => (ran = true));
        throw new Error("injected failure");
      }),
    ).rejects.toThrow("injected failure");
    expect(ran).toBe(false);
    const [row] = await db().select({ name: bodies.nameEn }).from(bodies).where(eq(bodies.id, body.id));
    expect(row.name).toBe(body.nameEn);
  });

  it("lets heavy work refuse to run inside a transaction", async () => {
    expect(() => assertNoTransaction("rendering")).not.toThrow();
    await expect(withTransaction(async () => assertNoTransaction("rendering"))).rejects.toThrow("rendering must not run inside a database transaction");
  });
});
