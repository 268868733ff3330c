import { describe, expect, it } from "vitest";
import { checkHealth, healthAnswer } from "~/models/core/health.server";

/**
 * /healthz's check (ADR 051): checks asked for at the same time share one probe of the
 * database and the bus, and no answer is kept once given, so a database that goes down shows
 * on the next check (tests/e2e/sqld.test.ts stops sqld and asks at once).
 */
describe("the health check", () => {
  it("shares one probe between checks asked for while it is under way", async () => {
    const [a, b, c] = await Promise.all([checkHealth(), checkHealth(), checkHealth()]);
    expect(a.ok).toBe(true);
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it("probes again for a check asked for after the last one answered", async () => {
    const first = await checkHealth();
    const second = await checkHealth();
    expect(second).not.toBe(first);
    expect(second).toMatchObject({ ok: true, database: { ok: true }, bus: { ok: true } });
  });

  it("answers 200 with the parts that were checked, never to be cached", async () => {
    const answer = await healthAnswer();
    expect(answer.status).toBe(200);
    expect(answer.headers).toEqual({ "Cache-Control": "no-store" });
    expect(answer.body).toMatchObject({ status: "ok", database: { ok: true }, bus: { ok: true } });
  });
});
