import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { MeetingStatus } from "~/components/meetings/meeting-status";
import { SelectField } from "~/components/ui/field";
import { runLoader } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { delegationView, meetingView } from "~/lib/views";
import { listMeetingsAcross } from "~/models/home/home.server";
import { requireUser } from "~/models/people/current-user.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

/** Meetings of every body the person belongs to, upcoming first; `?body=` narrows to one. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const bodySlug = new URL(request.url).searchParams.get("body") || null;
    const all = await listMeetingsAcross({ actor: user, bodySlug: null });
    const list = bodySlug ? await listMeetingsAcross({ actor: user, bodySlug }) : all;
    const now = Date.now();
    const rows = list.meetings.map((m) => ({
      ...meetingView(m),
      bodyId: m.bodyId,
      upcoming: m.status !== "held" && m.status !== "cancelled" && m.startsAt.getTime() + m.durationMinutes * 60_000 > now,
    }));
    return json({
      bodyFilter: list.bodies.length === 1 ? list.bodies[0].slug : null,
      choices: all.bodies.map((b) => ({ slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo })),
      bodies: Object.fromEntries(list.bodies.map((b) => [b.id, { slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo, capitals: (list.delegations.get(b.id) ?? []).map(delegationView) }])),
      upcoming: rows.filter((r) => r.upcoming),
      past: rows.filter((r) => !r.upcoming).reverse(),
      viewerZone: list.viewerZone,
    });
  });
}

export default function MeetingsAcrossRoute() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("meetings");
  const card = (m: (typeof data.upcoming)[number]) => {
    const body = data.bodies[m.bodyId];
    return (
      <li key={m.id} className={`card meeting-card${m.status === "cancelled" ? " meeting-card--cancelled" : ""}`}>
        <div className="meeting-card__head">
          <Link to={`/meetings/${m.id}`} className="meeting-card__title">
            {meetingName(m, t, locale)}
          </Link>
          <span className="muted">{quarterLabel(m.quarter, t)}</span>
          <MeetingStatus status={m.status} />
        </div>
        <p className="muted small">
          <Link to={`/bodies/${body.slug}/meetings`}>{nameIn(body, locale)}</Link>
        </p>
        <CapitalTimes start={m.startsAt} durationMinutes={m.durationMinutes} capitals={body.capitals} viewerZone={data.viewerZone} />
      </li>
    );
  };
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("across.intro")}</p>
        </div>
      </header>
      <Form method="get" className="filters card" aria-label={t("across.filter")}>
        <SelectField label={t("across.body")} name="body" defaultValue={data.bodyFilter ?? ""}>
          <option value="">{t("across.allBodies")}</option>
          {data.choices.map((b) => (
            <option key={b.slug} value={b.slug}>
              {nameIn(b, locale)}
            </option>
          ))}
        </SelectField>
        <div className="row">
          <button type="submit" className="button button--primary">
            {t("actions:filters.apply")}
          </button>
        </div>
      </Form>
      <section aria-labelledby="upcoming-title" style={{ marginTop: "1rem" }}>
        <h2 id="upcoming-title">{t("upcoming")}</h2>
        {data.upcoming.length ? <ul className="card-list" role="list">{data.upcoming.map(card)}</ul> : <p className="muted">{t("noneUpcoming")}</p>}
      </section>
      {data.past.length ? (
        <section aria-labelledby="past-title" style={{ marginTop: "1rem" }}>
          <h2 id="past-title">{t("past")}</h2>
          <ul className="card-list" role="list">
            {data.past.map(card)}
          </ul>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("meetings:title"));
