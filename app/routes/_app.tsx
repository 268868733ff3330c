import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { AppShell } from "~/components/shell/app-shell";
import { runLoader } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import { listBodiesForUser } from "~/models/people/bodies.server";
import { searchConstraints } from "~/models/search/search.server";

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
