import "~/components/every-page";
import { runLoader } from "~/lib/http.server";
import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
  LiveReload,
  Meta,
  Outlet,
  useMatches,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteLoaderData,
  type ShouldRevalidateFunction,
} from "@remix-run/react";
import { Suspense, useEffect, type ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { CataloguesReady, I18nProvider } from "~/components/i18n";
import { useNonce } from "~/components/nonce";
import { FormConstraints } from "~/components/ui/field";
import type { FieldConstraint } from "~/lib/validation";
import { defaultLocale, type Locale } from "~/lib/i18n";
import { heldCatalogue, setCatalogueFiles, type I18nHandle } from "~/lib/catalogues";
import { catalogueScriptJson, ERRORS_SCRIPT_ID } from "~/lib/inline-catalogue";
import { resolveLocale } from "~/lib/i18n.server";
import { catalogueUrls } from "~/lib/catalogue-files.server";
import { getUser } from "~/models/people/current-user.server";
import { getProfile } from "~/models/people/accounts.server";
import stylesheet from "~/styles/app.css";

// The error pages' text travels in the page, in its language (not in the bundle, in three:
// ADR 043): an error page never waits for a catalogue.
const INLINE = new Set(["errors"]);

/** What every page translates with (the shell's own text); routes add theirs (ADR 039). */
export const handle: I18nHandle = { i18n: ["common", "errors"] };

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader(args: LoaderFunctionArgs) {
  // runLoader: a database that cannot be reached answers 503 with Retry-After, not 500.
  return runLoader(args, async ({ request, context }) => {
    const user = await getUser(request);
    const profile = user ? await getProfile(user.id) : null;
    const locale = await resolveLocale(request, profile?.locale);
    return json({
      locale,
      // Where each catalogue of the language is; the page loads those its routes declare.
      catalogues: catalogueUrls(locale),
      timeZone: profile?.effectiveTimeZone ?? "UTC",
      signedIn: !!profile,
      requestId: (context as { requestId?: string }).requestId ?? null,
    });
  });
}

export type RootData = ReturnType<typeof useRootData>;

/** Root data for components anywhere below the root (the shell, formatters). */
export function useRootData() {
  return useRouteLoaderData<typeof loader>("root");
}

// The catalogues and profile change only after a form post (language, settings, sign-in).
export const shouldRevalidate: ShouldRevalidateFunction = ({ formMethod, defaultShouldRevalidate }) =>
  formMethod !== undefined && formMethod !== "GET" ? defaultShouldRevalidate : false;

/** The namespaces the matched routes declare in `handle.i18n`, the root's first. */
function useRouteNamespaces(): string[] {
  const matches = useMatches();
  return [...new Set(matches.flatMap((m) => (m.handle as I18nHandle | undefined)?.i18n ?? []))];
}

function Document({ locale, preload = [], children }: { locale: Locale; preload?: Array<{ ns: string; href: string }>; children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {/* Fetched while the scripts load; entry.client.tsx hydrates once they have arrived. */}
        <script type="application/json" id={ERRORS_SCRIPT_ID} nonce={nonce} dangerouslySetInnerHTML={{ __html: catalogueScriptJson((heldCatalogue(locale, "errors") as object | undefined) ?? {}) }} />
        {preload.map(({ ns, href }) => (
          <link key={ns} rel="preload" as="fetch" crossOrigin="anonymous" href={href} data-i18n={ns} />
        ))}
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
        <LiveReload nonce={nonce} />
      </body>
    </html>
  );
}

/** Lets end-to-end tests (and curious people) tell a hydrated page from server HTML. */
function useHydratedMark() {
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
}

export default function App() {
  const { locale, catalogues } = useLoaderData<typeof loader>();
  setCatalogueFiles(locale, catalogues);
  useHydratedMark();
  const namespaces = useRouteNamespaces();
  const preload = namespaces.filter((ns) => !INLINE.has(ns) && catalogues[ns]).map((ns) => ({ ns, href: catalogues[ns] }));
  // A route's loader may send `constraints`: its forms' limits, read from the models' schemas.
  const constraints = Object.assign({}, ...useMatches().map((m) => (m.data as { constraints?: Record<string, FieldConstraint> } | undefined)?.constraints));
  return (
    <I18nProvider locale={locale}>
      <Document locale={locale} preload={preload}>
        {/* A navigation or language switch that needs another catalogue keeps the current page on
            screen until it has arrived (the router's updates are transitions). */}
        <Suspense fallback={null}>
          <CataloguesReady namespaces={namespaces}>
            <FormConstraints value={constraints}>
              <Outlet />
            </FormConstraints>
          </CataloguesReady>
        </Suspense>
      </Document>
    </I18nProvider>
  );
}

/**
 * Errors of routes outside the signed-in shell (a public page's 404) and of the root loader
 * itself, when only the small fallback catalogue may be at hand.
 */
export function ErrorBoundary() {
  const data = useRootData();
  // Rendered instead of App: the page hydrates all the same.
  useHydratedMark();
  const locale = data?.locale ?? defaultLocale;
  if (data) setCatalogueFiles(locale, data.catalogues);
  return (
    <I18nProvider locale={locale}>
      <Document locale={locale}>
        <main className="page page--narrow">
          <GeneralErrorBoundary />
        </main>
      </Document>
    </I18nProvider>
  );
}
