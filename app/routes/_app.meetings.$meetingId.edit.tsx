import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { MeetingConflict } from "~/components/meetings/meeting-conflict";
import { MeetingForm, type MeetingFormValues } from "~/components/meetings/meeting-form";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { timeZones } from "~/lib/time-zones";
import { delegationView } from "~/lib/views";
import { assertCan } from "~/models/core/access.server";
import { getMeetingPage } from "~/models/meetings/meeting-page.server";
import { formValuesOf, updateMeeting, meetingConstraints } from "~/models/meetings/meetings.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getMeetingPage({ actor: user, meetingId: params.meetingId! });
    assertCan(page.member, "meetings.manage");
    return json({
      constraints: meetingConstraints,
      bodySlug: page.body.slug,
      meeting: { id: page.meeting.id, ordinal: page.meeting.ordinal, title: page.meeting.title, published: page.meeting.publishedAt !== null },
      values: formValuesOf(page.meeting),
      delegations: page.delegations.map(delegationView),
      zones: timeZones(),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    await updateMeeting({ actor: user, input: { ...form, meetingId: params.meetingId! } });
    return redirect(`/meetings/${params.meetingId}?saved=1`);
  });
}

export default function EditMeetingRoute() {
  const { meeting, values, delegations, zones } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useTranslation("meetings");
  const failure = data && "ok" in data && !data.ok ? data : null;
  const conflict = failure?.conflict ?? null;
  const theirs = conflict ? (conflict.current as MeetingFormValues) : null;
  // After a conflict the form keeps what was typed, now based on the version that is saved.
  const shown: MeetingFormValues = failure?.submitted
    ? { ...(failure.submitted as unknown as MeetingFormValues), version: theirs?.version ?? values.version }
    : values;
  return (
    <div className="page prose">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <h1>{t("form.titleEdit")}</h1>
      {meeting.published ? <p className="alert alert--info">{t("form.publishedNote")}</p> : null}
      {conflict && failure?.submitted ? (
        <>
          <MeetingConflict conflict={conflict} yours={failure.submitted as unknown as MeetingFormValues} delegations={delegations} />
          <p>
            <Link to=".">{t("conflict.useTheirs")}</Link>
          </p>
        </>
      ) : null}
      <MeetingForm
        key={theirs ? `v${theirs.version}` : "form"}
        values={shown}
        delegations={delegations}
        zones={zones}
        errors={fieldErrorsFrom(data)}
        submitLabel={t("form.save")}
      />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("meetings:form.titleEdit"));
