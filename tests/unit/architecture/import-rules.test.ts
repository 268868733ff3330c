import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const fixture = fileURLToPath(new URL("../../fixtures/import-rules/", import.meta.url));

function cruise(cwd: string, paths: string[]) {
  const bin = `${root}node_modules/.bin/depcruise`;
  const result = spawnSync(bin, [...paths, "--config", `${root}.dependency-cruiser.cjs`, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the import rules", () => {
  it("fail on a planted lib → models import and on a cycle through a dynamic import", () => {
    const { code, output } = cruise(fixture, ["app"]);
    expect(code).not.toBe(0);
    expect(output).toContain("lib-uses-packages-only: app/lib/planted.server.ts → app/models/concept/thing.server.ts");
    expect(output).toMatch(/no-cycles: app\/models\/concept\/(thing|other)\.server\.ts/);
    // depcruise starts a process of its own: seconds on a loaded two-core machine.
  }, 30_000);

  it("hold for the whole application", () => {
    const { code, output } = cruise(root, ["app", "db", "scripts", "server.ts"]);
    expect(output).toContain("no dependency violations found");
    expect(code).toBe(0);
  }, 30_000);
});
