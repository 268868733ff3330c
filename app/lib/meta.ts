import type { MetaDescriptor } from "@remix-run/node";
import { translatorFor } from "./catalogues";
import { defaultLocale, type Locale, type TFunction } from "./i18n";

interface MatchLike {
  id: string;
  data: unknown;
}

/** A page title in the reader's language, in the catalogues held (ADR 039): "Members · Concord". */
export function title(
  matches: MatchLike[],
  make: (t: TFunction, locale: Locale) => string | undefined | null,
): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale } | undefined;
  const locale = root?.locale ?? defaultLocale;
  const t = translatorFor(locale);
  const page = make(t, locale);
  const app = t("common:appName");
  return [{ title: page ? `${page} · ${app}` : app }];
}
