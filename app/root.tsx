import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Links,
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

export async function loader({ request, context }: LoaderFunctionArgs) {
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
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  const { locale, resources } = useLoaderData<typeof loader>();
  // Lets end-to-end tests (and curious people) tell a hydrated page from server HTML.
  useEffect(() => {
    document.documentElement.dataset.hydrated = "true";
  }, []);
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

/** Last resort: the root loader itself failed, so only the small fallback catalogue is at hand. */
export function ErrorBoundary() {
  const data = useRootData();
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
