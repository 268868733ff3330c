import { describe, expect, it } from "vitest";
import { memberships, users } from "#db/schema";
import { createCast, createUser } from "#tests/factories";
import { db, dbClient } from "~/lib/db.server";
import { addMember } from "~/models/people/members.server";

describe("the database", () => {
  it("runs in WAL mode with foreign keys enforced, inside transactions too", async () => {
    const mode = await dbClient().execute("PRAGMA journal_mode");
    expect(String(mode.rows[0][0])).toBe("wal");
    const user = await createUser();
    await expect(
      db().transaction(async (tx) => {
        await tx.insert(memberships).values({ userId: user.id, bodyId: "no-such-body", role: "official" });
      }),
    ).rejects.toSatisfy((e: Error) => /FOREIGN KEY/.test(`${e.message} ${(e.cause as Error | undefined)?.message}`));
  });

  it("releases the write lock when a transaction fails, so the next writer proceeds", async () => {
    const cast = await createCast();
    const input = { bodyId: cast.body.body.id, name: "Dup", email: cast.delegate.user.email, role: "delegate", delegationId: cast.body.delegations.US.id };
    for (let i = 0; i < 25; i++) {
      await expect(addMember({ actor: cast.secretariat.actor, input })).rejects.toThrow();
    }
    const started = Date.now();
    await createUser();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("lets a write wait for another request's open transaction without freezing the process", async () => {
    // The driver runs statements synchronously; a busy_timeout would block the event loop
    // for its whole length and the open transaction could never commit (ten seconds, then a failure).
    const started = Date.now();
    const slowTransaction = db().transaction(async (tx) => {
      await tx.insert(users).values({ email: `slow-${Date.now()}@example.org`, name: "Slow" });
      await new Promise((r) => setTimeout(r, 200));
    });
    await new Promise((r) => setTimeout(r, 20));
    const other = createUser();
    await Promise.all([slowTransaction, other]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
