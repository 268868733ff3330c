import Negotiator from "negotiator";
import { catalogues } from "~/locales";
import { createTranslator, defaultLocale, isLocale, locales, type Locale, type Resources, type TFunction } from "./i18n";
import { languageCookie } from "./cookies.server";

const resources = catalogues as Resources;
const translators = new Map(locales.map((l) => [l, createTranslator(l, resources)]));

/** Server-side text (calendar files, e-mails, exports). */
export function getT(locale: Locale): TFunction {
  return translators.get(locale)!;
}

/** The user's choice, else the cookie set before sign-in, else the browser's languages. */
export async function resolveLocale(request: Request, userLocale?: string | null): Promise<Locale> {
  if (isLocale(userLocale)) return userLocale;
  const fromCookie = await languageCookie().parse(request.headers.get("cookie"));
  if (isLocale(fromCookie)) return fromCookie;
  const header = request.headers.get("accept-language");
  if (header) {
    const best = new Negotiator({ headers: { "accept-language": header } }).language([...locales]);
    if (isLocale(best)) return best;
  }
  return defaultLocale;
}
