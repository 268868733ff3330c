import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ActionTable } from "~/components/actions/action-table";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { runLoader } from "~/lib/http.server";
import { highestMarking } from "~/lib/markings";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { actionRowView, delegationView } from "~/lib/views";
import { listActions } from "~/models/actions/dashboard.server";
import { getBodyContext } from "~/models/people/bodies.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions"] };

/** The dashboard's current view on paper: no navigation, the highest marking at top and bottom. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations } = await getBodyContext({ actor: user, slug: params.slug! });
    const query = new URL(request.url).searchParams;
    const list = await listActions({ actor: user, bodyId: body.id, input: Object.fromEntries(query) });
    const rows = await list.all();
    return json({
      bodySlug: body.slug,
      body: { nameEn: body.nameEn, nameJa: body.nameJa, nameKo: body.nameKo },
      // On paper the item's page is not a click away: the print view keeps every title whole (ADR 050).
      rows: rows.map((row) => actionRowView(row, { whole: true })),
      marking: highestMarking(rows.map((r) => r.marking)),
      delegations: delegations.map(delegationView),
      query: query.toString(),
      generated: new Date().toISOString(),
    });
  });
}

export default function PrintActionsRoute() {
  const { body, rows, marking, delegations, query, generated, bodySlug } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("actions");
  const zone = useViewerZone();
  return (
    <main className="print-page">
      <p className="no-print row">
        <Link to={`/bodies/${bodySlug}/actions${query ? `?${query}` : ""}`}>← {t("title")}</Link>
        <button type="button" className="button button--small" onClick={() => window.print()}>
          {t("export.print")}
        </button>
      </p>
      <MarkedPage marking={marking}>
        <h1>{t("export.printTitle", { body: nameIn(body, locale) })}</h1>
        <p className="muted small">
          {t("export.generated")}{" "}
          <Time value={generated} zone={zone} /> · {t("list.count", { count: rows.length })}
        </p>
        <ActionTable rows={rows} delegations={delegations} />
      </MarkedPage>
    </main>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:title"));
