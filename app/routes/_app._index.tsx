import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { WaitingList, type WaitingView } from "~/components/home/waiting-list";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { MeetingStatus } from "~/components/meetings/meeting-status";
import { runLoader } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { delegationView, meetingView } from "~/lib/views";
import { getHome, waitingView } from "~/models/home/home.server";
import { requireUser } from "~/models/people/current-user.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "body", "meetings"] };

/** A member of one body goes straight to it; a member of several sees all of them here. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const home = await getHome({ actor: user });
    if (home.bodies.length === 1) throw redirect(`/bodies/${home.bodies[0].body.slug}`);
    return json({
      viewerZone: home.viewerZone,
      bodies: home.bodies.map((o) => {
        const own = o.delegations.find((d) => d.id === o.body.delegationId);
        return {
          slug: o.body.slug,
          name: { nameEn: o.body.nameEn, nameJa: o.body.nameJa, nameKo: o.body.nameKo },
          role: o.body.role,
          delegation: own ? delegationView(own) : null,
          delegations: o.delegations.map(delegationView),
          next: o.next ? meetingView(o.next) : null,
          waiting: o.waiting.map(waitingView) as WaitingView[],
        };
      }),
    });
  });
}

export default function HomeRoute() {
  const { bodies, viewerZone } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("body");
  return (
    <div className="page">
      <h1>{t("common:body.yourBodies")}</h1>
      {bodies.length === 0 ? (
        <p>{t("common:body.none")}</p>
      ) : (
        <>
          <WaitingList
            showBody
            groups={bodies.map((b) => ({ body: b.name, delegationName: b.delegation ? nameIn(b.delegation, locale) : null, entries: b.waiting }))}
          />
          <section aria-labelledby="next-title" style={{ marginTop: "1rem" }}>
            <h2 id="next-title">{t("home.nextMeetings")}</h2>
            <ul className="card-list" role="list">
              {bodies.map((b) => (
                <li key={b.slug} className="card">
                  <h3 className="card__heading">
                    <Link to={`/bodies/${b.slug}`}>{nameIn(b.name, locale)}</Link>
                  </h3>
                  <p className="muted small">
                    {b.delegation ? t("home.yourRoleIn", { role: t(`common:roles.${b.role}`), delegation: nameIn(b.delegation, locale) }) : t("home.yourRole", { role: t(`common:roles.${b.role}`) })}
                  </p>
                  {b.next ? (
                    <>
                      <p className="row">
                        <Link to={`/meetings/${b.next.id}`} className="card__title">
                          {meetingName(b.next, t, locale)}
                        </Link>
                        <span className="muted">{quarterLabel(b.next.quarter, t)}</span>
                        <MeetingStatus status={b.next.status} />
                      </p>
                      <CapitalTimes start={b.next.startsAt} durationMinutes={b.next.durationMinutes} capitals={b.delegations} viewerZone={viewerZone} />
                    </>
                  ) : (
                    <p className="muted">{t("meetings:noneUpcoming")}</p>
                  )}
                </li>
              ))}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("common:body.yourBodies"));
