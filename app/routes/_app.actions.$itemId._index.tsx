import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { DueDate } from "~/components/actions/due-date";
import { ProgressForm } from "~/components/actions/progress-form";
import { ActionStatusBadge } from "~/components/actions/status-badge";
import { Timeline } from "~/components/actions/timeline";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { MarkedPage, Marking } from "~/components/marking";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView } from "~/lib/views";
import { getActionPage, updateProgress, progressConstraints } from "~/models/actions/actions.server";
import { getBodyContextById } from "~/models/people/bodies.server";
import { todayIn } from "~/lib/zoned.server";
import { getProfile } from "~/models/people/accounts.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getActionPage({ actor: user, itemId: params.itemId! });
    const { body, delegations } = await getBodyContextById({ actor: user, bodyId: page.item.bodyId });
    const zone = (await getProfile(user.id))!.effectiveTimeZone;
    const { item, member } = page;
    return json({
      constraints: progressConstraints,
      bodySlug: body.slug,
      item: {
        id: item.id,
        ref: item.ref,
        title: item.title,
        detail: item.detail,
        status: item.status,
        priority: item.priority,
        marking: item.marking,
        dueKind: item.dueKind,
        dueOn: item.dueOn,
        ownerDelegationId: item.ownerDelegationId,
        originMeetingId: item.originMeetingId,
        version: item.version,
        createdAt: item.createdAt.toISOString(),
        overdue: item.dueOn !== null && item.dueOn < todayIn(zone) && (item.status === "open" || item.status === "in_progress"),
      },
      assignees: page.assignees,
      timeline: page.timeline,
      carried: page.carried,
      meetings: page.meetings.map((m) => ({ id: m.id, ordinal: m.ordinal, title: m.title, status: m.status })),
      delegations: delegations.map(delegationView),
      canEdit: can(member, "actions.edit"),
      canUpdate: can(member, "actions.update", { delegationId: item.ownerDelegationId }),
      allowDrop: can(member, "actions.edit"),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    await updateProgress({ actor: user, input: { ...form, itemId: params.itemId! } });
    return json({ ok: true as const });
  });
}

/** "Raised at the 3rd meeting, reviewed at the 4th (in progress), closed at the 5th." */
function Journey() {
  const { item, timeline, meetings } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("actions");
  const zone = useViewerZone();
  const name = (id: string | null) => {
    const m = meetings.find((x) => x.id === id);
    return m ? meetingName(m, t, locale) : null;
  };
  const parts: string[] = [];
  const origin = name(item.originMeetingId);
  for (const e of timeline) {
    if (e.kind !== "review" || !e.meetingId) continue;
    const meeting = name(e.meetingId);
    if (!meeting) continue;
    parts.push(
      e.statusAfter === "done" || e.statusAfter === "dropped"
        ? t("page.closedAt", { meeting })
        : t("page.reviewedAt", { meeting, status: t(`status.${e.statusAfter}`) }),
    );
  }
  return (
    <p className="journey">
      {origin ? t("page.raisedAt", { meeting: origin }) : null}
      {!origin ? (
        <>
          {t("page.created")} <Time value={item.createdAt} zone={zone} style="date" />
        </>
      ) : null}
      {parts.length ? `, ${parts.join(", ")}` : ""}
    </p>
  );
}

export default function ActionRoute() {
  const { item, assignees, timeline, carried, meetings, delegations, canEdit, canUpdate, allowDrop, bodySlug } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useTranslation("actions");
  const owner = delegations.find((d) => d.id === item.ownerDelegationId);
  const conflict = data && "conflict" in data ? data.conflict : null;
  const open = meetings.filter((m) => m.status !== "cancelled");
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/bodies/${bodySlug}/actions`}>{t("title")}</Link>
      </p>
      <MarkedPage marking={item.marking}>
        <header className="page-header">
          <div>
            <h1>
              <span className="muted">{t("ref", { ref: item.ref })}</span> {item.title}
            </h1>
            <Journey />
            {carried > 0 ? <p className="muted small">{t("list.carried", { count: carried })}</p> : null}
          </div>
          {canEdit ? (
            <div className="page-header__actions">
              <Link to="edit" className="button">
                {t("page.edit")}
              </Link>
            </div>
          ) : null}
        </header>
        <section className="card">
          <dl className="dl">
            <dt>{t("fields.status")}</dt>
            <dd>
              <ActionStatusBadge status={item.status} />
            </dd>
            <dt>{t("fields.owner")}</dt>
            <dd>{owner ? <DelegationBadge delegation={owner} /> : null}</dd>
            <dt>{t("fields.assignees")}</dt>
            <dd>{assignees.map((a) => a.name).join(", ") || "—"}</dd>
            <dt>{t("fields.due")}</dt>
            <dd>
              <DueDate dueOn={item.dueOn} dueKind={item.dueKind} overdue={item.overdue} />
            </dd>
            <dt>{t("fields.priority")}</dt>
            <dd>{t(`priority.${item.priority}`)}</dd>
            <dt>{t("fields.marking")}</dt>
            <dd>
              <Marking value={item.marking} />
            </dd>
            {item.originMeetingId ? (
              <>
                <dt>{t("fields.origin")}</dt>
                <dd>
                  <Link to={`/meetings/${item.originMeetingId}`}>{meetingName(meetings.find((m) => m.id === item.originMeetingId)!, t, locale)}</Link>
                </dd>
              </>
            ) : null}
          </dl>
          {item.detail ? <div className="prose-html" style={{ marginTop: "1rem" }} dangerouslySetInnerHTML={{ __html: item.detail }} /> : null}
        </section>

        {canUpdate ? (
          <section className="card" aria-labelledby="progress-title" style={{ marginTop: "1rem" }}>
            <h2 id="progress-title">{t("page.update")}</h2>
            <p className="muted small">{t("page.updateHint")}</p>
            {data && "ok" in data && data.ok ? (
              <p className="alert alert--ok" role="status">
                {t("page.saved")}
              </p>
            ) : null}
            {conflict ? (
              <div className="alert alert--warn" role="alert">
                <p>
                  <strong>{t("conflict.title")}</strong>
                </p>
                <p>{t("conflict.body", { name: conflict.changedBy?.name ?? "—" })}</p>
                <p>
                  {t("conflict.theirs")}: {t(`status.${(conflict.current as { status: "open" }).status}`)}
                </p>
              </div>
            ) : null}
            <ProgressForm
              key={item.version}
              version={item.version}
              status={item.status}
              allowDrop={allowDrop}
              meetings={open}
              errors={fieldErrorsFrom(data)}
              submitted={data && "submitted" in data ? data.submitted : null}
            />
          </section>
        ) : null}

        <section aria-labelledby="history-title" style={{ marginTop: "1.5rem" }}>
          <h2 id="history-title">{t("page.history")}</h2>
          <Timeline entries={timeline} meetings={meetings} delegations={delegations} />
        </section>
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, () => data?.item.title);
