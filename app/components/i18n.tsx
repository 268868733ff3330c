import { createContext, Suspense, useContext, useMemo, type ReactNode } from "react";
import { namespacesOf, translatorFor, useCatalogues } from "~/lib/catalogues";
import { defaultLocale, type Locale, type TFunction } from "~/lib/i18n";

interface I18n {
  locale: Locale;
  translate: TFunction;
}

const Context = createContext<I18n>({ locale: defaultLocale, translate: (key) => key });

/**
 * The reader's language for everything below. The catalogues themselves are held by
 * `~/lib/catalogues` (all of them on the server; in the browser those the page needs, ADR 039).
 */
export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => ({ locale, translate: translatorFor(locale) }), [locale]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/**
 * Renders `children` once the namespaces are held in the current language: the routes'
 * `handle.i18n`, loaded before hydration and before a navigation or language switch shows.
 */
export function CataloguesReady({ namespaces, children }: { namespaces: readonly string[]; children: ReactNode }) {
  const { locale } = useContext(Context);
  useCatalogues(locale, namespaces);
  return <>{children}</>;
}

/**
 * `t` for a namespace (keys with their own "ns:" prefix still work), and the current locale.
 * A namespace no route declared is loaded on first use (the page waits for it rather than
 * showing keys); tests/unit/lib/i18n-namespaces.test.ts keeps the declarations complete.
 */
export function useTranslation(ns = "common"): { t: TFunction; locale: Locale } {
  const { locale, translate } = useContext(Context);
  useCatalogues(locale, [ns]);
  return useMemo(
    () => ({ locale, t: (key, values) => translate(key.includes(":") ? key : `${ns}:${key}`, values) }),
    [locale, translate, ns],
  );
}

function KeyText({ k, values }: { k: string; values?: Record<string, string | number> }) {
  const { locale, translate } = useContext(Context);
  useCatalogues(locale, namespacesOf([k]));
  return <>{translate(k.includes(":") ? k : `common:${k}`, values)}</>;
}

/**
 * The text of a key that arrived as data (a field error or a refusal from the server,
 * "papers:errors.withdrawn"). Its namespace may be one the page did not declare: then it is
 * loaded, and only this text waits for it.
 */
export function MessageText({ k, values }: { k: string; values?: Record<string, string | number> }) {
  return (
    <Suspense fallback={null}>
      <KeyText k={k} values={values} />
    </Suspense>
  );
}
