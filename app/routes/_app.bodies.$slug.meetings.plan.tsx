import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { MeetingForm, type MeetingFormValues } from "~/components/meetings/meeting-form";
import { SlotList } from "~/components/meetings/slot-list";
import { SlotChart } from "~/components/meetings/slot-chart";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { ValidationError } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName, quarterLabel } from "~/lib/meeting-names";
import { localParts } from "~/lib/meeting-time.server";
import { mondayOf } from "~/lib/zoned.server";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { timeZones } from "~/lib/time-zones";
import { delegationView } from "~/lib/views";
import { assertCan } from "~/models/core/access.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { getProfile } from "~/models/people/accounts.server";
import { findMeetingSlots, planNextMeeting } from "~/models/meetings/planning.server";
import { createMeeting, meetingConstraints } from "~/models/meetings/meetings.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings"] };

const formats = ["in_person", "virtual", "hybrid"] as const;
type Format = (typeof formats)[number];

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations, member } = await getBodyContext({ actor: user, slug: params.slug! });
    assertCan(member, "meetings.manage");
    const proposal = await planNextMeeting({ actor: user, bodyId: body.id });
    const viewerZone = (await getProfile(user.id))!.effectiveTimeZone;
    const query = new URL(request.url).searchParams;
    const format: Format = (formats as readonly string[]).includes(query.get("format") ?? "") ? (query.get("format") as Format) : "in_person";
    const week = query.get("week") ?? mondayOf(proposal.date);
    const duration = query.get("duration") ?? String(proposal.durationMinutes);
    let search = null;
    let searchErrors = null;
    if (format !== "in_person") {
      try {
        search = await findMeetingSlots({ actor: user, bodyId: body.id, input: { week, durationMinutes: duration, referenceZone: viewerZone } });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        searchErrors = error.fieldErrors;
      }
    }
    return json({
      constraints: meetingConstraints,
      bodySlug: body.slug,
      delegations: delegations.map(delegationView),
      proposal: { ...proposal, startsAt: proposal.startsAt.toISOString() },
      query: { format, week, duration },
      search: search && {
        ...search,
        candidates: search.candidates.map((c) => ({ ...c, start: c.start.toISOString(), end: c.end.toISOString() })),
      },
      searchErrors,
      zones: timeZones(),
      viewerZone,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const { body, delegations } = await getBodyContext({ actor: user, slug: params.slug! });
    let input: Record<string, unknown> = { ...form, bodyId: body.id };
    if (form.intent === "slot") {
      // A chosen slot is kept in the host capital's zone (or the first capital's for no host).
      const zone = delegations.find((d) => d.id === form.hostDelegationId)?.timeZone ?? delegations[0]?.timeZone ?? "UTC";
      const start = new Date(form.start);
      if (Number.isNaN(start.getTime())) throw ValidationError.field("", "errors:validation.format");
      const end = new Date(start.getTime() + Number(form.durationMinutes) * 60_000);
      const from = localParts(start, zone);
      input = { ...input, date: from.date, time: from.time, endTime: localParts(end, zone).time, timeZone: zone };
    }
    const meeting = await createMeeting({ actor: user, input });
    return redirect(`/meetings/${meeting.id}`);
  });
}

export default function PlanMeetingRoute() {
  const { proposal, delegations, query, search, searchErrors, zones, bodySlug, viewerZone } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useTranslation("meetings");
  const host = delegations.find((d) => d.id === proposal.hostDelegationId);
  const failure = data && "ok" in data && !data.ok ? data : null;
  const values: MeetingFormValues = (failure?.submitted && failure.submitted.intent === "create"
    ? failure.submitted
    : { ...proposal, format: query.format }) as unknown as MeetingFormValues;

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/bodies/${bodySlug}/meetings`}>{t("title")}</Link>
      </p>
      <h1>{t("planning.title")}</h1>

      <section className="card" aria-labelledby="proposal-title">
        <h2 id="proposal-title">{t("planning.proposal")}</h2>
        <p>{t("planning.intro")}</p>
        <p className="row">
          <strong>{t("planning.next", { name: meetingName(proposal, t, locale), quarter: quarterLabel(proposal.quarter, t) })}</strong>
          {host ? (
            <span>
              {t("planning.hostByRotation")} <DelegationBadge delegation={host} />
            </span>
          ) : null}
        </p>
        <p className="muted small">{t("planning.proposedTime")}</p>
        <CapitalTimes start={proposal.startsAt} durationMinutes={proposal.durationMinutes} capitals={delegations} viewerZone={viewerZone} />
      </section>

      <section className="card" aria-labelledby="search-title" style={{ marginTop: "1rem" }}>
        <h2 id="search-title">{t("planning.search")}</h2>
        <Form method="get" className="filters">
          <SelectField label={t("planning.format")} name="format" defaultValue={query.format}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {t(`format.${f}`)}
              </option>
            ))}
          </SelectField>
          <Field label={t("planning.week")} name="week" type="date" defaultValue={query.week} hint={t("planning.weekHint")} errors={searchErrors?.week} />
          <Field label={t("planning.duration")} name="duration" type="number" min={15} max={720} step={15} defaultValue={query.duration} errors={searchErrors?.durationMinutes} />
          <button type="submit" className="button">
            {t("planning.find")}
          </button>
        </Form>
      </section>

      {search ? (
        <section aria-labelledby="slots-title" style={{ marginTop: "1rem" }}>
          <h2 id="slots-title">{t("planning.slots")}</h2>
          <p className="muted prose">{t("planning.slotsIntro")}</p>
          {search.hasHistory ? (
            <p>
              {search.lastWorstDelegationId
                ? t("planning.lastWorst", { delegation: nameIn(delegations.find((d) => d.id === search.lastWorstDelegationId) ?? delegations[0], locale) })
                : t("planning.noneLastWorst")}
            </p>
          ) : null}
          <FormErrors errors={fieldErrorsFrom(data)} />
          {search.geometry ? <SlotChart geometry={search.geometry} /> : null}
          {search.candidates.length ? (
            <SlotList
              candidates={search.candidates}
              delegations={delegations}
              viewerZone={viewerZone}
              hidden={{ ordinal: String(proposal.ordinal), hostDelegationId: proposal.hostDelegationId ?? "", format: query.format, durationMinutes: String(search.durationMinutes), quarter: "" }}
            />
          ) : (
            <p className="muted">{t("planning.noSlots")}</p>
          )}
        </section>
      ) : null}

      <section className="card" aria-labelledby="create-title" style={{ marginTop: "1rem" }}>
        <h2 id="create-title">{t("form.titleNew")}</h2>
        <MeetingForm values={values} delegations={delegations} zones={zones} errors={failure?.submitted?.intent === "create" ? fieldErrorsFrom(data) : null} submitLabel={t("form.create")} intent="create" />
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("meetings:planning.title"));
