import "~/components/every-page";
import { notFound } from "~/lib/http.server";
import { requireUser } from "~/models/people/current-user.server";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { title } from "~/lib/meta";

/** Any address no route claims: a real 404 inside the shell (after sign-in, so nothing leaks). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw notFound();
}

export async function action({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  throw notFound();
}

export default function NotFoundRoute() {
  return null;
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("errors:notFound.title"));
