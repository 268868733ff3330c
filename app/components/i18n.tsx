import { createContext, useContext, useMemo, type ReactNode } from "react";
import { createTranslator, defaultLocale, type Locale, type Resources, type TFunction } from "~/lib/i18n";

interface I18n {
  locale: Locale;
  translate: TFunction;
}

const Context = createContext<I18n>({ locale: defaultLocale, translate: (key) => key });

export function I18nProvider({ locale, resources, children }: { locale: Locale; resources: Resources; children: ReactNode }) {
  const value = useMemo(() => ({ locale, translate: createTranslator(locale, resources) }), [locale, resources]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** `t` for a namespace (keys with their own "ns:" prefix still work), and the current locale. */
export function useTranslation(ns = "common"): { t: TFunction; locale: Locale } {
  const { locale, translate } = useContext(Context);
  return useMemo(
    () => ({ locale, t: (key, values) => translate(key.includes(":") ? key : `${ns}:${key}`, values) }),
    [locale, translate, ns],
  );
}
