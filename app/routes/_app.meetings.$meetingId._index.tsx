import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { InvitationPanel } from "~/components/meetings/invitation-panel";
import { MeetingStatus } from "~/components/meetings/meeting-status";
import { SecretariatPanel } from "~/components/meetings/secretariat-panel";
import { FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runAction, runLoader, readForm } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { isWebUrl } from "~/lib/url";
import { delegationView, meetingView } from "~/lib/views";
import { respondToInvitation, sendInvitations } from "~/models/meetings/invitations.server";
import { getMeetingPage } from "~/models/meetings/meeting-page.server";
import { cancelMeeting, markMeetingHeld } from "~/models/meetings/meetings.server";
import { acceptCounter, declineCounter } from "~/models/meetings/counters.server";
import { CounterPanel } from "~/components/meetings/counter-panel";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings", "outcomes", "papers", "participants"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getMeetingPage({ actor: user, meetingId: params.meetingId! });
    return json({
      bodySlug: page.body.slug,
      body: { nameEn: page.body.nameEn, nameJa: page.body.nameJa, nameKo: page.body.nameKo },
      meeting: meetingView(page.meeting),
      delegations: page.delegations.map(delegationView),
      invitees: page.invitees,
      announced: page.announced,
      needsLink: page.needsLink,
      counters: page.counters.map((c) => ({ ...c, proposedStart: c.proposedStart.toISOString(), createdAt: c.createdAt.toISOString() })),
      mine: page.mine,
      manage: page.manage,
      viewerZone: page.viewerZone,
      past: page.meeting.startsAt.getTime() <= Date.now(),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const form = await readForm(request);
    const input = { ...Object.fromEntries(form), meetingId: params.meetingId! };
    switch (form.get("intent")) {
      case "respond":
        await respondToInvitation({ actor: user, input });
        return json({ ok: true as const, done: "response.saved" });
      case "invite": {
        const result = await sendInvitations({ actor: user, input: { ...input, delegationIds: form.getAll("delegationIds").map(String) } });
        return json({ ok: true as const, done: result.invited ? "send.done" : "send.nobodyNew", count: result.invited });
      }
      case "cancel":
        await cancelMeeting({ actor: user, input });
        return json({ ok: true as const, done: "cancel.done" });
      case "acceptCounter":
        await acceptCounter({ actor: user, input });
        return json({ ok: true as const, done: "counters.acceptedDone" });
      case "declineCounter":
        await declineCounter({ actor: user, input });
        return json({ ok: true as const, done: "counters.declinedDone" });
      case "held":
        await markMeetingHeld({ actor: user, input });
        return json({ ok: true as const, done: "held.done" });
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

export default function MeetingRoute() {
  const { body, meeting, delegations, manage, viewerZone, bodySlug, invitees, mine, past, announced, needsLink, counters } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useTranslation("meetings");
  const host = delegations.find((d) => d.id === meeting.hostDelegationId);
  const errors = fieldErrorsFrom(data);
  const done = data && data.ok ? data : null;

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/bodies/${bodySlug}/meetings`}>{t("title")}</Link> · {nameIn(body, locale)}
      </p>
      <header className="page-header">
        <div>
          <h1>{meetingName(meeting, t, locale)}</h1>
          <p className="row">
            <span className="muted">{quarterLabel(meeting.quarter, t)}</span>
            <MeetingStatus status={meeting.status} />
            {host ? <span className="muted">{t("hostedBy", { delegation: nameIn(host, locale) })}</span> : null}
          </p>
        </div>
        <div className="page-header__actions">
          <Link to="agenda" className="button">
            {t("detail.agenda")}
          </Link>
          <Link to="minutes" className="button">
            {t("detail.minutes")}
          </Link>
          <Link to="outcomes" className="button">
            {t("outcomes:list.title")}
          </Link>
          <Link to="actions" className="button">
            {t("actions:followUp.link")}
          </Link>
          <Link to="participants" className="button">
            {t("participants:title")}
          </Link>
          <a href={`/meetings/${meeting.id}/book.pdf`} className="button" download>
            {t("papers:book.link")}
          </a>
          {announced ? (
            <a href={`/meetings/${meeting.id}/invite.ics`} className="button" download>
              {t("detail.calendar")}
            </a>
          ) : null}
          {manage && meeting.status !== "cancelled" ? (
            <Link to="edit" className="button">
              {t("detail.edit")}
            </Link>
          ) : null}
        </div>
      </header>

      {done ? (
        <p className="alert alert--ok" role="status">
          {t(done.done, "count" in done ? { count: Number(done.count ?? 0) } : undefined)}
        </p>
      ) : null}
      <FormErrors errors={errors} />

      <section className="card" aria-labelledby="when-title">
        <h2 id="when-title" className="visually-hidden">
          {t("detail.when")}
        </h2>
        <CapitalTimes start={meeting.startsAt} durationMinutes={meeting.durationMinutes} capitals={delegations} viewerZone={viewerZone} />
        <dl className="dl" style={{ marginTop: "1rem" }}>
          <dt>{t("detail.format")}</dt>
          <dd>{t(`format.${meeting.format}`)}</dd>
          {meeting.venue ? (
            <>
              <dt>{t("detail.venue")}</dt>
              <dd>{meeting.venue}</dd>
            </>
          ) : null}
          {meeting.link ? (
            <>
              <dt>{t("detail.link")}</dt>
              <dd>{isWebUrl(meeting.link) ? <a href={meeting.link} rel="noreferrer noopener" target="_blank">{meeting.link}</a> : meeting.link}</dd>
            </>
          ) : null}
          {host ? (
            <>
              <dt>{t("host")}</dt>
              <dd>
                <DelegationBadge delegation={host} />
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      <InvitationPanel invitees={invitees} mine={mine} delegations={delegations} canRespond={meeting.status !== "cancelled"} />
      {manage && counters.length > 0 ? <CounterPanel counters={counters} meeting={meeting} capitals={delegations} viewerZone={viewerZone} /> : null}
      {manage ? <SecretariatPanel meeting={meeting} delegations={delegations} invited={invitees.length > 0} past={past} needsLink={needsLink} errors={errors} /> : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? meetingName(data.meeting, t, locale) : null));
