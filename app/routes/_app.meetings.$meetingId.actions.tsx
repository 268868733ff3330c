import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DueDate } from "~/components/actions/due-date";
import { ProgressForm } from "~/components/actions/progress-form";
import { ActionStatusBadge } from "~/components/actions/status-badge";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView } from "~/lib/views";
import { todayIn } from "~/lib/zoned.server";
import { getProfile } from "~/models/people/accounts.server";
import { getMeetingFollowUp } from "~/models/actions/follow-up.server";
import { updateProgress } from "~/models/actions/actions.server";
import { getBodyContextById } from "~/models/people/bodies.server";
import { progressConstraints } from "~/models/actions/actions.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const view = await getMeetingFollowUp({ actor: user, meetingId: params.meetingId! });
    const { body, delegations } = await getBodyContextById({ actor: user, bodyId: view.meeting.bodyId });
    const today = todayIn((await getProfile(user.id))!.effectiveTimeZone);
    const row = (r: (typeof view.raised)[number]) => ({
      id: r.id,
      ref: r.ref,
      title: r.title,
      shortened: r.shortened,
      status: r.status,
      marking: r.marking,
      dueKind: r.dueKind,
      dueOn: r.dueOn,
      ownerDelegationId: r.ownerDelegationId,
      assignees: r.assignees,
      version: r.version,
      canUpdate: r.canUpdate,
      overdue: r.dueOn !== null && r.dueOn < today && (r.status === "open" || r.status === "in_progress"),
    });
    return json({
      constraints: progressConstraints,
      bodySlug: body.slug,
      meeting: { id: view.meeting.id, ordinal: view.meeting.ordinal, title: view.meeting.title, status: view.meeting.status },
      raised: view.raised.map(row),
      due: view.due.map(row),
      delegations: delegations.map(delegationView),
      allowDrop: view.allowDrop,
      canCreate: view.canCreate,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    await updateProgress({ actor: user, input: { ...form, meetingId: params.meetingId! } });
    return json({ ok: true as const, itemId: form.itemId });
  });
}

type Row = ReturnType<typeof useLoaderData<typeof loader>>["raised"][number];

function Items({ rows, meetingId }: { rows: Row[]; meetingId: string }) {
  const { t } = useTranslation("actions");
  const { delegations, allowDrop } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  if (rows.length === 0) return <p className="muted">{t("followUp.none")}</p>;
  return (
    <ul className="card-list" role="list">
      {rows.map((r) => {
        const owner = delegations.find((d) => d.id === r.ownerDelegationId);
        const mine = data && "submitted" in data && data.submitted?.itemId === r.id ? data : null;
        return (
          <li key={r.id} className="card">
            <div className="row">
              <span className="muted small">{t("ref", { ref: r.ref })}</span>
              <Link to={`/actions/${r.id}`} className="card__title">
                {r.title}
                {r.shortened ? <span className="visually-hidden">{` ${t("list.shortened")}`}</span> : null}
              </Link>
              <ActionStatusBadge status={r.status} />
              <Marking value={r.marking} />
            </div>
            <p className="row small">
              {owner ? <DelegationBadge delegation={owner} short /> : null}
              <span>{r.assignees.join(", ") || "—"}</span>
              <DueDate dueOn={r.dueOn} dueKind={r.dueKind} overdue={r.overdue} />
            </p>
            {r.canUpdate ? (
              <details>
                <summary>{t("followUp.review")}</summary>
                <ProgressForm
                  key={r.version}
                  version={r.version}
                  status={r.status}
                  allowDrop={allowDrop}
                  meetings={[]}
                  meetingId={meetingId}
                  itemId={r.id}
                  errors={mine ? fieldErrorsFrom(mine) : null}
                  submitted={mine && "submitted" in mine ? mine.submitted : null}
                />
              </details>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export default function MeetingActionsRoute() {
  const { meeting, raised, due, canCreate, bodySlug } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("actions");
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{t("followUp.title")}</h1>
          <p className="muted prose">{t("followUp.intro")}</p>
        </div>
        {canCreate ? (
          <div className="page-header__actions">
            <Link to={`/bodies/${bodySlug}/actions/new?meeting=${meeting.id}`} className="button button--primary">
              {t("new")}
            </Link>
          </div>
        ) : null}
      </header>
      <section aria-labelledby="raised-title">
        <h2 id="raised-title">{t("followUp.raised")}</h2>
        <Items rows={raised} meetingId={meeting.id} />
      </section>
      <section aria-labelledby="due-title">
        <h2 id="due-title">{t("followUp.due")}</h2>
        <Items rows={due} meetingId={meeting.id} />
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:followUp.title"));
