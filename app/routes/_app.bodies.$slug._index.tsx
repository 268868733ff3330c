import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { MeetingStatus } from "~/components/meetings/meeting-status";
import { Time } from "~/components/time";
import { runLoader } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView } from "~/lib/views";
import { getBodyHome } from "~/models/people/body-home.server";
import { waitingView } from "~/models/home/home.server";
import { WaitingList, type WaitingView } from "~/components/home/waiting-list";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "body", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const home = await getBodyHome({ actor: user, slug: params.slug! });
    const { body, member } = home;
    return json({
      bodySlug: body.slug,
      body: { nameEn: body.nameEn, nameJa: body.nameJa, nameKo: body.nameKo, cadenceMonths: body.cadenceMonths },
      rotation: body.rotation,
      delegations: home.delegations.map(delegationView),
      member: { role: member.role, delegationId: member.delegationId },
      upcoming: home.upcoming ? meetingView(home.upcoming) : null,
      viewerZone: home.viewerZone,
      now: new Date().toISOString(),
      waiting: home.waiting.map(waitingView) as WaitingView[],
    });
  });
}

export default function BodyHomeRoute() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("body");
  const own = data.delegations.find((d) => d.id === data.member.delegationId);
  const role = t(`common:roles.${data.member.role}`);
  const byId = new Map(data.delegations.map((d) => [d.id, d]));
  const upcoming = data.upcoming;
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{nameIn(data.body, locale)}</h1>
          <p className="muted">
            {own ? t("home.yourRoleIn", { role, delegation: nameIn(own, locale) }) : t("home.yourRole", { role })}
            {" · "}
            {data.body.cadenceMonths === 3 ? t("home.quarterly") : t("home.cadence", { count: data.body.cadenceMonths })}
          </p>
        </div>
      </header>

      <WaitingList showBody={false} groups={[{ body: data.body, delegationName: own ? nameIn(own, locale) : null, entries: data.waiting }]} />

      <section aria-labelledby="next-title" className="card" style={{ marginTop: "1rem" }}>
        <h2 id="next-title">{t("home.nextMeeting")}</h2>
        {upcoming ? (
          <>
            <p className="row">
              <Link to={`/meetings/${upcoming.id}`} className="card__title">
                {meetingName(upcoming, t, locale)}
              </Link>
              <span className="muted">{quarterLabel(upcoming.quarter, t)}</span>
              <MeetingStatus status={upcoming.status} />
              <span className="muted small">{t(`meetings:format.${upcoming.format}`)}</span>
            </p>
            <CapitalTimes start={upcoming.startsAt} durationMinutes={upcoming.durationMinutes} capitals={data.delegations} viewerZone={data.viewerZone} />
            <p className="row" style={{ marginTop: "0.75rem" }}>
              <Link to={`/meetings/${upcoming.id}/agenda`}>{t("meetings:detail.agenda")}</Link>
              <Link to={`/meetings/${upcoming.id}/minutes`}>{t("meetings:detail.minutes")}</Link>
            </p>
          </>
        ) : (
          <p className="muted">{t("meetings:noneUpcoming")}</p>
        )}
      </section>

      <section aria-labelledby="delegations-title" className="card" style={{ marginTop: "1rem" }}>
        <h2 id="delegations-title">{t("home.delegations")}</h2>
        <table className="table table--stack">
          <thead>
            <tr>
              <th scope="col">{t("home.delegations")}</th>
              <th scope="col">{t("home.capital")}</th>
              <th scope="col">{t("home.localTime")}</th>
            </tr>
          </thead>
          <tbody>
            {data.delegations.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <DelegationBadge delegation={d} />
                </th>
                <td data-label={t("home.capital")}>{d.timeZone}</td>
                <td data-label={t("home.localTime")}>
                  <Time value={data.now} zone={d.timeZone} style="longDate" /> <Time value={data.now} zone={d.timeZone} style="time" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">
          {t("home.rotation")}:{" "}
          {data.rotation.map((id, i) => {
            const d = byId.get(id);
            return d ? (
              <span key={id}>
                {i > 0 ? " → " : ""}
                <DelegationBadge delegation={d} short />
              </span>
            ) : null;
          })}
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (_t, locale) => (data ? nameIn(data.body, locale) : null));
