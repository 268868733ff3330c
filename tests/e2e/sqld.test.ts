import { createClient } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";
import { startSqld, type RunningSqld } from "../support/sqld";
import { DEMO_PASSWORD } from "./helpers";

/**
 * An instance on the libSQL server (ADR 021): it proves it uses sqld (an http:// DATABASE_URL,
 * /healthz says "server"), and when sqld stops, writes answer 503 with Retry-After and leave
 * nothing half-written; when sqld is back, the same instance serves again.
 */
describe("an instance on a libSQL server", () => {
  let sqld: RunningSqld;
  let server: RunningServer;

  beforeAll(async () => {
    sqld = await startSqld();
    server = await startServer({ env: { DATABASE_URL: sqld.url } });
  });
  afterAll(async () => {
    await server?.stop();
    if (server) removeServerFiles(server);
    await sqld?.remove();
  });

  const signIn = (email: string) =>
    fetch(`${server.url}/login?index`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
      body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "/" }),
    });
  const counts = async () => {
    const client = createClient({ url: sqld.url });
    try {
      const [sessions, failures] = await Promise.all([client.execute("SELECT count(*) AS n FROM sessions"), client.execute("SELECT count(*) AS n FROM sign_in_failures")]);
      return { sessions: Number(sessions.rows[0].n), failures: Number(failures.rows[0].n) };
    } finally {
      client.close();
    }
  };

  it("reports the libSQL server in /healthz and writes its data there", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", database: { kind: "server", ok: true } });
    const before = await counts();
    const response = await signIn("us.head@concord.test");
    expect(response.status).toBe(302);
    expect((await counts()).sessions).toBe(before.sessions + 1);
  });

  it("answers 503 with Retry-After while sqld is down, writes nothing, and serves again once it is back", async () => {
    const cookie = (await signIn("jp.head@concord.test")).headers.get("set-cookie")!.split(";")[0];
    const before = await counts();
    await sqld.stop();
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: "unavailable", database: { kind: "server", ok: false } });

      const write = await signIn("kr.head@concord.test");
      expect(write.status, server.output().slice(-3000)).toBe(503);
      expect(Number(write.headers.get("retry-after"))).toBeGreaterThan(0);

      const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
      expect(page.status).toBe(503);
      expect(page.headers.get("retry-after")).toBeTruthy();
    } finally {
      await sqld.restart();
    }
    // Nothing of the refused sign-in reached the database.
    expect(await counts()).toEqual(before);
    await expect.poll(async () => (await fetch(`${server.url}/healthz`)).status, { timeout: 20_000 }).toBe(200);
    expect((await signIn("kr.head@concord.test")).status).toBe(302);
    const page = await fetch(`${server.url}/`, { headers: { cookie }, redirect: "manual" });
    expect([200, 302]).toContain(page.status);
  });
});
