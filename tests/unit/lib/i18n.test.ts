import { describe, expect, it } from "vitest";
import { createTranslator } from "~/lib/i18n";
import { catalogues } from "~/locales";

type Tree = Record<string, unknown>;
const flatten = (tree: Tree, prefix = ""): Record<string, string> =>
  Object.fromEntries(
    Object.entries(tree).flatMap(([k, v]) => (v && typeof v === "object" ? Object.entries(flatten(v as Tree, `${prefix}${k}.`)) : [[`${prefix}${k}`, String(v)]])),
  );

const en = flatten(catalogues.en as Tree);
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

// Strings that are the same in every language: codes, names and symbols.
const SAME_EVERYWHERE = new Set(["common.appName"]);

describe.each(["ja", "ko"] as const)("the %s catalogue", (lang) => {
  const other = flatten(catalogues[lang] as Tree);

  // Exactly English's keys, plural forms included: translation tools and reviewers compare
  // catalogues key by key. (Japanese and Korean only ever use `_other`; their `_one` says the same.)
  it("has every key English has, and no others", () => {
    expect(Object.keys(other).sort()).toEqual(Object.keys(en).sort());
  });

  it("is translated, not copied from English", () => {
    const copied = Object.keys(en).filter((k) => other[k] === en[k] && !SAME_EVERYWHERE.has(k) && /[a-z]{3}/.test(en[k]));
    expect(copied).toEqual([]);
  });

  it("keeps every placeholder", () => {
    for (const [key, text] of Object.entries(en)) {
      const base = key.replace(/_(one|other)$/, "");
      const theirs = other[key] ?? other[`${base}_other`] ?? other[base];
      expect(placeholders(theirs ?? "").filter((p) => p !== "count"), key).toEqual(placeholders(text).filter((p) => p !== "count"));
    }
  });
});

describe("the translator", () => {
  const t = createTranslator("en", { en: { common: { hi: "Hello {{name}}", n_one: "{{count}} item", n_other: "{{count}} items" }, x: { y: "Why" } } });
  it("interpolates, picks plurals and reads other namespaces", () => {
    expect(t("hi", { name: "Ana" })).toBe("Hello Ana");
    expect(t("n", { count: 1 })).toBe("1 item");
    expect(t("n", { count: 5 })).toBe("5 items");
    expect(t("x:y")).toBe("Why");
  });
  it("shows a missing key as itself", () => {
    expect(t("nope.nothing")).toBe("nope.nothing");
  });
  it("uses one form for Japanese and Korean counts", () => {
    const ja = createTranslator("ja", { ja: { common: { n_other: "{{count}}件" } } });
    expect(ja("n", { count: 1 })).toBe("1件");
  });
});
