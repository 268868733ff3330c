import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { formatInstant } from "~/lib/datetime";
import { runLoader } from "~/lib/http.server";
import { highestMarking } from "~/lib/markings";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView } from "~/lib/views";
import { getAgendaPage } from "~/models/agenda/page.server";
import { capitalName, chosenZone, zoneName } from "~/lib/capitals";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["agenda", "meetings"] };

/** The agenda on paper: no navigation, times in every capital, the highest marking at top and bottom. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getAgendaPage({ actor: user, meetingId: params.meetingId! });
    const items = page.items.filter((i) => i.status !== "withdrawn");
    return json({
      body: { nameEn: page.body.nameEn, nameJa: page.body.nameJa, nameKo: page.body.nameKo },
      meeting: meetingView(page.meeting),
      items: items.map((i) => ({ id: i.id, title: i.title, special: i.special, description: i.description, kind: i.kind, minutes: i.minutes, marking: i.marking, leadDelegationId: i.leadDelegationId, presenterId: i.presenterId })),
      marking: highestMarking(items.map((i) => i.marking)),
      delegations: page.delegations.map(delegationView),
      presenters: page.presenters,
      viewerZone: page.viewerZone,
      itemZone: chosenZone(new URL(request.url).searchParams.get("zone"), page.viewerZone, page.delegations),
    });
  });
}

export default function PrintAgendaRoute() {
  const { body, meeting, items, marking, delegations, presenters, viewerZone, itemZone } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("agenda");
  let clock = new Date(meeting.startsAt).getTime();
  const zoneLabel = (z: string) => {
    const capital = delegations.find((d) => d.timeZone === z);
    return `${capital ? capitalName(capital, t) : z} ${zoneName(meeting.startsAt, z, t, locale)}`;
  };
  return (
    <main className="print-page">
      <p className="no-print row">
        <Link to={`/meetings/${meeting.id}/agenda`}>← {t("title")}</Link>
        <button type="button" className="button button--small" onClick={() => window.print()}>
          {t("export.print")}
        </button>
      </p>
      <MarkedPage marking={marking}>
        <p className="muted">{nameIn(body, locale)}</p>
        <h1>{t("of", { meeting: meetingName(meeting, t, locale) })}</h1>
        <CapitalTimes start={meeting.startsAt} durationMinutes={meeting.durationMinutes} capitals={delegations} viewerZone={viewerZone} />
        <table className="table table--stack" style={{ marginTop: "1rem" }}>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">
                {t("clock.startColumn")} ({zoneLabel(itemZone)})
              </th>
              <th scope="col">{t("fields.title")}</th>
              <th scope="col">{t("fields.lead")}</th>
              <th scope="col">{t("fields.minutes")}</th>
              <th scope="col">{t("fields.marking")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item, i) => {
              const at = clock;
              clock += item.minutes * 60_000;
              const lead = delegations.find((d) => d.id === item.leadDelegationId);
              const presenter = presenters.find((p) => p.id === item.presenterId);
              return (
                <tr key={item.id}>
                  <td data-label="#">{i + 1}</td>
                  <td data-label={t("clock.startColumn")} className="num">
                    {formatInstant(at, locale, itemZone, "time")}
                  </td>
                  <td data-label={t("fields.title")}>
                    <strong>{item.special ? t(`special.${item.special}`) : item.title}</strong>
                    <div className="small muted">
                      {t(`kind.${item.kind}`)}
                      {presenter ? ` · ${presenter.name}` : ""}
                    </div>
                    {item.description ? <div className="prose-html small" dangerouslySetInnerHTML={{ __html: item.description }} /> : null}
                  </td>
                  <td data-label={t("fields.lead")}>{lead?.code ?? "—"}</td>
                  <td data-label={t("fields.minutes")} className="num">
                    {item.minutes}
                  </td>
                  <td data-label={t("fields.marking")}>{item.marking}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </MarkedPage>
    </main>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? t("agenda:of", { meeting: meetingName(data.meeting, t, locale) }) : null));
