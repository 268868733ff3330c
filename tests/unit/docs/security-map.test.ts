import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * docs/security.md maps ASVS requirements to the tests that prove them. Every test it names
 * must exist, so the map cannot promise a proof the suite no longer has.
 */

const map = readFileSync("docs/security.md", "utf8");
const proofs = [...map.matchAll(/`(tests\/[^`]+\.test\.ts)` › "([^"]+)"/g)].map((m) => ({ file: m[1], name: m[2] }));

/** The names of the tests and groups a file declares (it/test/describe, it.each included). */
function testNames(file: string): string[] {
  const source = readFileSync(file, "utf8");
  return [...source.matchAll(/\b(?:it|test|describe)(?:\.each\([\s\S]*?\))?\(\s*(["'`])((?:\\.|(?!\1).)*)\1/g)].map((m) => m[2].replace(/\\(.)/g, "$1"));
}

describe("docs/security.md", () => {
  it("names proofs", () => {
    expect(proofs.length).toBeGreaterThan(40);
  });

  it.each(proofs.map((p) => [`${p.file} › ${p.name}`, p] as const))("names a test that exists: %s", (_label, { file, name }) => {
    expect(existsSync(file), `${file} does not exist`).toBe(true);
    const names = testNames(file);
    expect(
      names.some((n) => n.includes(name)),
      `no test in ${file} is named like "${name}"`,
    ).toBe(true);
  });

  it("states counts that match its rows", () => {
    const rows = map.split("\n").filter((l) => /^\| [0-9].* \| (met|n\/a|open) \|/.test(l));
    const count = (status: string) => rows.filter((l) => l.includes(`| ${status} |`)).length;
    const stated = /\*\*(\d+) met\*\*, \*\*(\d+) not applicable\*\*, \*\*(\d+) open\*\*/.exec(map);
    expect(stated, "the Counts section").not.toBeNull();
    expect([Number(stated![1]), Number(stated![2]), Number(stated![3])]).toEqual([count("met"), count("n/a"), count("open")]);
  });
});
