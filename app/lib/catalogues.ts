import { createTranslator, locales, type Locale, type Resources, type TFunction } from "./i18n";

/**
 * The translation catalogues this process holds, by language and namespace (ADR 039).
 *
 * The server provides every catalogue at start-up (entry.server.tsx). The browser starts
 * with none but the error pages' text in the page's language (inlined in the page's head by
 * the root, read by entry.client.tsx; ADR 043): before hydrating it
 * loads the namespaces the page was rendered with (the `<link rel=preload data-i18n>` tags
 * the root writes), and later the ones a navigation or a language switch needs, from the
 * fingerprinted files the root loader names. Translators read these objects live, so a
 * namespace that arrives later is visible to a translator made earlier.
 */
const held: Record<Locale, Record<string, unknown>> = { en: {}, ja: {}, ko: {} };
const files: Record<Locale, Record<string, string>> = { en: {}, ja: {}, ko: {} };
/** Namespaces whose file could not be read: shown as keys rather than waited for forever. */
const failed = new Set<string>();
const pending = new Map<string, Promise<void>>();
const translators = new Map<Locale, TFunction>();

/** A route's `handle.i18n`: the namespaces its page (and its components) translate with. */
export interface I18nHandle {
  i18n?: readonly string[];
}

export function provideCatalogues(resources: Resources): void {
  for (const locale of locales) Object.assign(held[locale], resources[locale] ?? {});
}

/** Where each namespace of a language is (the root loader's `catalogues`). */
export function setCatalogueFiles(locale: Locale, urls: Record<string, string>): void {
  Object.assign(files[locale], urls);
}

/** One translator per language over the catalogues held, whichever have arrived. */
export function translatorFor(locale: Locale): TFunction {
  let t = translators.get(locale);
  if (!t) {
    t = createTranslator(locale, held);
    translators.set(locale, t);
  }
  return t;
}

/** A namespace of a language as held here (the page inlines its language's `errors`). */
export function heldCatalogue(locale: Locale, ns: string): unknown {
  return held[locale][ns];
}

export function hasCatalogue(locale: Locale, ns: string): boolean {
  return ns in held[locale] || failed.has(`${locale}/${ns}`);
}

/** The namespaces of a key list ("papers:errors.failed" → papers; no prefix → `defaultNs`). */
export function namespacesOf(keys: readonly string[], defaultNs = "common"): string[] {
  return [...new Set(keys.map((key) => (key.indexOf(":") > 0 ? key.slice(0, key.indexOf(":")) : defaultNs)))];
}

/**
 * Loads the namespaces of `locale` not held yet; resolves when every one has arrived (or has
 * failed three times: then its keys show, which beats a page that never appears).
 */
export function loadCatalogues(locale: Locale, namespaces: readonly string[], urls: Record<string, string> = {}): Promise<void> {
  const wanted = namespaces.filter((ns) => !hasCatalogue(locale, ns));
  return Promise.all(wanted.map((ns) => loadOne(locale, ns, urls[ns] ?? files[locale][ns]))).then(() => undefined);
}

function loadOne(locale: Locale, ns: string, url: string | undefined): Promise<void> {
  const key = `${locale}/${ns}`;
  let promise = pending.get(key);
  if (promise) return promise;
  promise = (async () => {
    for (let attempt = 0; attempt < 3 && url; attempt++) {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (response.ok) {
          held[locale][ns] = await response.json();
          return;
        }
      } catch {
        // Offline for a moment, or the server restarting: try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, 300 * (attempt + 1)));
    }
    failed.add(key);
    console.error(`Translations for ${key} could not be loaded${url ? ` from ${url}` : " (no file named)"}.`);
  })().finally(() => pending.delete(key));
  pending.set(key, promise);
  return promise;
}

/**
 * For render: suspends (React Suspense) until `namespaces` of `locale` are held. In a
 * navigation or a language switch React keeps the previous page on screen meanwhile, so no
 * key is ever shown in place of its text; while hydrating it keeps the server's HTML.
 */
export function useCatalogues(locale: Locale, namespaces: readonly string[]): void {
  if (namespaces.every((ns) => hasCatalogue(locale, ns))) return;
  throw loadCatalogues(locale, namespaces);
}
