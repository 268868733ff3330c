import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { catalogues } from "~/locales";

/**
 * Every audit action an outcome document records reads as a sentence in every language
 * (ADR 016): the codes are collected from the source, so a new verb without its sentence fails.
 */
const dir = join(process.cwd(), "app/models/outcomes");
const source = readdirSync(dir)
  .map((f) => readFileSync(join(dir, f), "utf8"))
  .join("\n");
const codes = [...new Set([...source.matchAll(/"(outcome\.[a-zA-Z.]+)"/g)].map((m) => m[1]))].filter((c) => !c.startsWith("outcome.step"));

const lookup = (tree: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), tree);

describe.each(["en", "ja", "ko"] as const)("outcome audit sentences in %s", (lang) => {
  it("exist for every action code the outcome models record", () => {
    expect(codes.length).toBeGreaterThan(15);
    const missing = codes.filter((code) => typeof lookup(catalogues[lang].audit, `actions.${code}`) !== "string");
    expect(missing).toEqual([]);
    expect(lookup(catalogues[lang].audit, "types.outcome_document")).toBeTypeOf("string");
  });
});
