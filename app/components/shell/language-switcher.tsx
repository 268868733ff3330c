import { Form, useLocation } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { localeNames, locales } from "~/lib/i18n";

/** Three buttons, each named in its own language, so anyone can find theirs. */
export function LanguageSwitcher() {
  const { t, locale: current } = useTranslation();
  const location = useLocation();
  return (
    <Form method="post" action="/language" className="lang-switch" aria-label={t("language.label")}>
      <input type="hidden" name="redirectTo" value={location.pathname + location.search} />
      {locales.map((locale) => (
        <button
          key={locale}
          type="submit"
          name="locale"
          value={locale}
          lang={locale}
          className="lang-switch__option"
          aria-pressed={current === locale}
        >
          {localeNames[locale]}
        </button>
      ))}
    </Form>
  );
}
