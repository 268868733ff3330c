import type { MetaDescriptor } from "@remix-run/node";
import { createTranslator, defaultLocale, type Locale, type Resources, type TFunction } from "./i18n";

interface MatchLike {
  id: string;
  data: unknown;
}

/** A page title in the reader's language, built from the root's catalogues: "Members · Concord". */
export function title(
  matches: MatchLike[],
  make: (t: TFunction, locale: Locale) => string | undefined | null,
): MetaDescriptor[] {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: Locale; resources?: Resources } | undefined;
  const locale = root?.locale ?? defaultLocale;
  const t = createTranslator(locale, root?.resources ?? {});
  const page = make(t, locale);
  const app = t("common:appName");
  return [{ title: page ? `${page} · ${app}` : app }];
}
