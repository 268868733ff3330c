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
import { useEffect, type ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { I18nProvider } from "~/components/i18n";
import { useNonce } from "~/components/nonce";
import { FormConstraints } from "~/components/ui/field";
import type { FieldConstraint } from "~/lib/validation";
import { defaultLocale, type Locale } from "~/lib/i18n";
import { fallbackResources } from "~/locales/fallback";
import { resolveLocale, resourcesFor } from "~/lib/i18n.server";
import { getUser } from "~/models/people/current-user.server";
import { getProfile } from "~/models/people/accounts.server";
import stylesheet from "~/styles/app.css";

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
      resources: resourcesFor(locale),
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

function Document({ locale, children }: { locale: Locale; children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
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
  const { locale, resources } = useLoaderData<typeof loader>();
  useHydratedMark();
  // A route's loader may send `constraints`: its forms' limits, read from the models' schemas.
  const constraints = Object.assign({}, ...useMatches().map((m) => (m.data as { constraints?: Record<string, FieldConstraint> } | undefined)?.constraints));
  return (
    <I18nProvider locale={locale} resources={resources}>
      <Document locale={locale}>
        <FormConstraints value={constraints}>
          <Outlet />
        </FormConstraints>
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
  return (
    <I18nProvider locale={locale} resources={data?.resources ?? fallbackResources}>
      <Document locale={locale}>
        <main className="page page--narrow">
          <GeneralErrorBoundary />
        </main>
      </Document>
    </I18nProvider>
  );
}
