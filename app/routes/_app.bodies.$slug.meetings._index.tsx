import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CopyButton } from "~/components/copy-button";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { MeetingStatus } from "~/components/meetings/meeting-status";
import { runAction, runLoader, formObject } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView, type MeetingView } from "~/lib/views";
import { getProfile } from "~/models/people/accounts.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { createFeedToken, listFeedTokens, revokeFeedToken } from "~/models/meetings/calendar.server";
import { listMeetings } from "~/models/meetings/meetings.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["agenda", "calendar", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations, member } = await getBodyContext({ actor: user, slug: params.slug! });
    const list = await listMeetings({ actor: user, bodyId: body.id });
    const manage = can(member, "meetings.manage");
    const feeds = manage ? await listFeedTokens({ actor: user }) : [];
    return json({
      bodySlug: body.slug,
      meetings: list.map(meetingView),
      delegations: delegations.map(delegationView),
      viewerZone: (await getProfile(user.id))!.effectiveTimeZone,
      manage,
      bodyFeed: feeds.find((f) => f.bodyId === body.id) ?? null,
      now: new Date().toISOString(),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const form = await formObject(request);
    if (form.intent === "revoke-feed") {
      await revokeFeedToken({ actor: user, bodyId: body.id });
      return json({ ok: true as const, feedUrl: null, revoked: true });
    }
    const feedUrl = await createFeedToken({ actor: user, bodyId: body.id });
    return json({ ok: true as const, feedUrl, revoked: false });
  });
}

function MeetingCard({ meeting }: { meeting: MeetingView }) {
  const { t, locale } = useTranslation("meetings");
  const { delegations, viewerZone } = useLoaderData<typeof loader>();
  const host = delegations.find((d) => d.id === meeting.hostDelegationId);
  return (
    <li className={`card meeting-card${meeting.status === "cancelled" ? " meeting-card--cancelled" : ""}`}>
      <div className="meeting-card__head">
        <Link to={`/meetings/${meeting.id}`} className="meeting-card__title">
          {meetingName(meeting, t, locale)}
        </Link>
        <span className="muted">{quarterLabel(meeting.quarter, t)}</span>
        <MeetingStatus status={meeting.status} />
        <span className="muted small">{t(`format.${meeting.format}`)}</span>
        {host ? <DelegationBadge delegation={host} short /> : null}
      </div>
      <CapitalTimes start={meeting.startsAt} durationMinutes={meeting.durationMinutes} capitals={delegations} viewerZone={viewerZone} />
    </li>
  );
}

export default function MeetingsRoute() {
  const { meetings, manage, now, bodyFeed, bodySlug } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("meetings");
  const upcoming = meetings.filter((m) => m.startsAt >= now && m.status !== "held").reverse();
  const past = meetings.filter((m) => !upcoming.includes(m));
  const quarters = [...new Set(past.map((m) => m.quarter))];

  return (
    <div className="page">
      <header className="page-header">
        <h1>{t("title")}</h1>
        {manage ? (
          <div className="page-header__actions">
            <Link to="plan" className="button button--primary">
              {t("plan")}
            </Link>
            <Link to={`/bodies/${bodySlug}/outbox`} className="button">
              {t("calendar:outbox.title")}
            </Link>
            <Link to={`/bodies/${bodySlug}/standing-items`} className="button">
              {t("agenda:template.title")}
            </Link>
          </div>
        ) : null}
      </header>

      <section aria-labelledby="upcoming-title">
        <h2 id="upcoming-title">{t("upcoming")}</h2>
        {upcoming.length ? (
          <ul className="meeting-list" role="list">
            {upcoming.map((m) => (
              <MeetingCard key={m.id} meeting={m} />
            ))}
          </ul>
        ) : (
          <p className="muted">{t("noneUpcoming")}</p>
        )}
      </section>

      {quarters.length ? (
        <section aria-labelledby="past-title">
          <h2 id="past-title">{t("past")}</h2>
          {quarters.map((q) => (
            <section key={q} aria-label={quarterLabel(q, t)}>
              <h3>{quarterLabel(q, t)}</h3>
              <ul className="meeting-list" role="list">
                {past
                  .filter((m) => m.quarter === q)
                  .map((m) => (
                    <MeetingCard key={m.id} meeting={m} />
                  ))}
              </ul>
            </section>
          ))}
        </section>
      ) : null}

      {manage ? (
        <section className="card" aria-labelledby="calendars-title" style={{ marginTop: "2rem" }}>
          <h2 id="calendars-title">{t("calendar:body.title")}</h2>
          <h3>{t("calendar:body.feed")}</h3>
          <p className="muted small prose">{t("calendar:body.feedIntro")}</p>
          {data?.ok && data.feedUrl ? (
            <div className="alert alert--ok" role="status">
              <p>{t("calendar:feed.created")}</p>
              <p className="secret">{data.feedUrl}</p>
              <CopyButton text={data.feedUrl} label={t("calendar:feed.copy")} />
            </div>
          ) : null}
          <Form method="post" className="row">
            <button type="submit" name="intent" value="create-feed" className="button">
              {bodyFeed ? t("calendar:feed.rotate") : t("calendar:feed.create")}
            </button>
            {bodyFeed ? (
              <button type="submit" name="intent" value="revoke-feed" className="button button--danger">
                {t("calendar:feed.revoke")}
              </button>
            ) : null}
          </Form>
          <h3>{t("calendar:body.year")}</h3>
          <Form method="get" action={`/bodies/${bodySlug}/meetings.ics`} reloadDocument className="row">
            <label htmlFor="year">{t("calendar:body.yearLabel")}</label>
            <input id="year" name="year" type="number" className="input" style={{ width: "7rem" }} defaultValue={new Date(now).getUTCFullYear()} min={2000} max={2100} />
            <button type="submit" className="button">
              {t("calendar:body.download")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("meetings:title"));
