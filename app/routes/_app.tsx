import "~/components/every-page";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Outlet, useLoaderData } from "@remix-run/react";
import { title } from "~/lib/meta";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AppShell } from "~/components/shell/app-shell";
import { runLoader } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import { listBodiesForUser } from "~/models/people/bodies.server";
import { searchConstraints } from "~/models/search/search.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["search"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    return json({ constraints: searchConstraints, user: { name: user.name, email: user.email }, bodies: await listBodiesForUser(user.id) });
  });
}

export default function AppLayout() {
  const { user, bodies } = useLoaderData<typeof loader>();
  return (
    <AppShell user={user} bodies={bodies}>
      <Outlet />
    </AppShell>
  );
}

export function ErrorBoundary() {
  return (
    <div className="page">
      <GeneralErrorBoundary />
    </div>
  );
}

/** Error pages get a title too (a page's own meta does not run when its loader failed). */
export const meta: MetaFunction = ({ error, matches }) => {
  if (!error) return [];
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const key = status === 404 ? "errors:notFound.title" : status === 403 ? "errors:forbidden.title" : "errors:unexpected.title";
  return title(matches, (t) => t(key));
};
