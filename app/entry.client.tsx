import "~/components/every-page";
import { RemixBrowser } from "@remix-run/react";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { loadCatalogues, provideCatalogues } from "~/lib/catalogues";
import { ERRORS_SCRIPT_ID } from "~/lib/inline-catalogue";
import { defaultLocale, isLocale } from "~/lib/i18n";

/**
 * The page was rendered with the catalogues its `<link rel=preload data-i18n>` tags name
 * (ADR 039); the browser has been fetching them since it read the head. Hydrating before they
 * arrive would replace the server's text with keys, so hydration waits for them.
 */
function renderedCatalogues(): Promise<void> {
  const lang = document.documentElement.lang;
  const locale = isLocale(lang) ? lang : defaultLocale;
  // The error pages' text, inlined by the root in the page's language.
  const errors = document.getElementById(ERRORS_SCRIPT_ID)?.textContent;
  if (errors) provideCatalogues({ [locale]: { errors: JSON.parse(errors) } });
  const links = [...document.querySelectorAll<HTMLLinkElement>("link[rel=preload][data-i18n]")];
  const urls = Object.fromEntries(links.map((link) => [link.dataset.i18n!, link.href]));
  return loadCatalogues(locale, Object.keys(urls), urls);
}

void renderedCatalogues().then(() =>
  startTransition(() => {
    hydrateRoot(
      document,
      <StrictMode>
        <RemixBrowser />
      </StrictMode>,
    );
  }),
);
