import { describe, expect, it } from "vitest";
import { memberships } from "#db/schema";
import { createCast, createUser } from "#tests/factories";
import { db, dbClient } from "~/lib/db.server";
import { addMember } from "~/models/members.server";

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
});
