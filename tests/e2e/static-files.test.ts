import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";

/**
 * public/ is served before Remix, but only for paths whose last segment has an extension
 * (server.ts, ADR 046): a page's path goes straight on without a stat of a missing file. These
 * hold what that must not change: the files are still served with their caching, and pages,
 * resource routes with a dot (`actions.csv`) and 404s still come from Remix.
 */

let server: RunningServer;

beforeAll(async () => {
  server = await startServer({ env: { SEED_DEMO: "0" } });
});

afterAll(async () => {
  await server?.stop();
  if (server) removeServerFiles(server);
});

describe("files in public/", () => {
  it("are served with their cache lifetime; fingerprinted bundles as immutable", async () => {
    const icon = await fetch(`${server.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toContain("image/svg+xml");
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    expect(await icon.text()).toContain("<svg");

    const html = await (await fetch(`${server.url}/login`)).text();
    const stylesheet = /href="(\/build\/_assets\/[^"]+\.css)"/.exec(html)?.[1];
    expect(stylesheet).toBeDefined();
    const css = await fetch(`${server.url}${stylesheet}`);
    expect(css.status).toBe(200);
    expect(css.headers.get("cache-control")).toContain("immutable");
  });

  it("leave pages, dotted resource routes and unknown paths to Remix", async () => {
    const login = await fetch(`${server.url}/login`);
    expect(login.status).toBe(200);
    expect(login.headers.get("content-type")).toContain("text/html");
    await login.text();
    // A resource route with a dot asks the disk first, finds nothing and reaches its route (which wants a session).
    const csv = await fetch(`${server.url}/bodies/none/actions.csv`, { redirect: "manual" });
    expect([302, 303, 401, 404]).toContain(csv.status);
    await csv.text();
    for (const path of ["/no-such-page", "/no-such-file.txt"]) {
      const missing = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(missing.status, path).not.toBe(200);
      expect(missing.status, path).toBeLessThan(500);
      await missing.text();
    }
  });
});
