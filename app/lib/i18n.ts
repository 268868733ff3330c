import rosetta from "rosetta";

export const locales = ["en", "ja", "ko"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "en";

/** The language names as their own speakers write them, for the switcher. */
export const localeNames: Record<Locale, string> = { en: "English", ja: "日本語", ko: "한국어" };

/** BCP 47 tags for Intl formatting. */
export const intlLocale: Record<Locale, string> = { en: "en-US", ja: "ja-JP", ko: "ko-KR" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** Catalogues by language, then namespace: `{ en: { common: {...}, auth: {...} } }`. */
export type Resources = Partial<Record<Locale, Record<string, unknown>>>;
export type Values = Record<string, string | number>;
export type TFunction = (key: string, values?: Values) => string;

/**
 * A translator for one language. Keys are "namespace:path.to.key" (namespace defaults to
 * `defaultNs`); `{{name}}` interpolates; a numeric `count` picks `key_one`/`key_other`
 * by the language's plural rules. A missing key shows itself, so gaps are visible.
 */
export function createTranslator(locale: Locale, resources: Resources, defaultNs = "common"): TFunction {
  const r = rosetta<Record<string, unknown>>({ [locale]: resources[locale] ?? {} });
  r.locale(locale);
  const plural = new Intl.PluralRules(intlLocale[locale]);
  // A text without values is the same every time it is asked for: a page asks for a few hundred
  // (ADR 051). Only texts found are kept, so a catalogue that arrives later is still read.
  const plain = new Map<string, string>();
  return (key, values) => {
    if (values === undefined) {
      const known = plain.get(key);
      if (known !== undefined) return known;
    }
    const colon = key.indexOf(":");
    const ns = colon > 0 ? key.slice(0, colon) : defaultNs;
    const path = [ns, ...(colon > 0 ? key.slice(colon + 1) : key).split(".")];
    const last = path.length - 1;
    const candidates =
      typeof values?.count === "number"
        ? [`${path[last]}_${plural.select(values.count)}`, `${path[last]}_other`, path[last]]
        : [path[last]];
    for (const leaf of candidates) {
      const text = r.t([...path.slice(0, last), leaf], values);
      if (typeof text === "string" && text !== "") {
        if (values === undefined) plain.set(key, text);
        return text;
      }
    }
    return key;
  };
}
