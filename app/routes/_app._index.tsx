import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { listBodiesForUser } from "~/models/people/bodies.server";

/** A member of one body goes straight to it; a member of several chooses. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const bodies = await listBodiesForUser(user.id);
    if (bodies.length === 1) throw redirect(`/bodies/${bodies[0].slug}`);
    return json({ bodies });
  });
}

export default function HomeRoute() {
  const { bodies } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation();
  return (
    <div className="page">
      <h1>{t("body.yourBodies")}</h1>
      {bodies.length === 0 ? (
        <p>{t("body.none")}</p>
      ) : (
        <ul className="card-list" role="list">
          {bodies.map((b) => (
            <li key={b.id} className="card">
              <Link to={`/bodies/${b.slug}`} className="card__title">
                {nameIn(b, locale)}
              </Link>
              <p className="muted">{t(`roles.${b.role}`)}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("common:body.yourBodies"));
