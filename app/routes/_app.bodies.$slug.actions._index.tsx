import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { ActionTable } from "~/components/actions/action-table";
import { TrendChart } from "~/components/actions/trend-chart";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { SelectField } from "~/components/ui/field";
import { runLoader } from "~/lib/http.server";
import { MARKINGS } from "~/lib/markings";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { can } from "~/lib/permissions";
import { requireUser } from "~/models/people/current-user.server";
import { actionRowView, delegationView } from "~/lib/views";
import { actionCounts, listActions } from "~/models/actions/dashboard.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { listMeetings } from "~/models/meetings/meetings.server";
import { listMembers } from "~/models/people/members.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations, member } = await getBodyContext({ actor: user, slug: params.slug! });
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const [list, counts, people, bodyMeetings] = await Promise.all([
      listActions({ actor: user, bodyId: body.id, input: query }),
      actionCounts({ actor: user, bodyId: body.id }),
      listMembers({ actor: user, bodyId: body.id }),
      listMeetings({ actor: user, bodyId: body.id }),
    ]);
    return json({
      bodySlug: body.slug,
      filters: list.filters,
      rows: list.rows.map((row) => actionRowView(row)),
      total: list.total,
      hasMore: list.hasMore,
      counts: counts.counts,
      trend: counts.trend,
      delegations: delegations.map(delegationView),
      people: people.filter((p) => p.active).map((p) => ({ id: p.userId, name: p.name })),
      meetings: bodyMeetings.map((m) => ({ id: m.id, ordinal: m.ordinal, title: m.title })),
      canCreate: can(member, "actions.create"),
    });
  });
}

export default function ActionsRoute() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("actions");
  const [params] = useSearchParams();
  const query = params.toString();
  const f = data.filters;
  const withParams = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) (v === null ? next.delete(k) : next.set(k, v));
    next.delete("page");
    return `?${next}`;
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("intro")}</p>
        </div>
        <div className="page-header__actions">
          {data.canCreate ? (
            <Link to="new" className="button button--primary">
              {t("new")}
            </Link>
          ) : null}
          <a className="button" href={`/bodies/${data.bodySlug}/actions.csv${query ? `?${query}` : ""}`}>
            {t("export.csv")}
          </a>
          <Link className="button" to={`/bodies/${data.bodySlug}/actions/print${query ? `?${query}` : ""}`}>
            {t("export.print")}
          </Link>
        </div>
      </header>

      <nav className="row" aria-label={t("filters.mine")} style={{ marginBottom: "1rem" }}>
        <Link to={withParams({ mine: null })} className="button button--small" aria-current={f.mine ? undefined : "page"}>
          {t("filters.everyone")}
        </Link>
        <Link to={withParams({ mine: "1" })} className="button button--small" aria-current={f.mine ? "page" : undefined}>
          {t("filters.mine")}
        </Link>
      </nav>

      <div className="grid-2 grid-2--wide">
        <section className="card" aria-labelledby="counts-title">
          <h2 id="counts-title">{t("counts.title")}</h2>
          <table className="table table--stack counts">
            <thead>
              <tr>
                <th scope="col">{t("fields.owner")}</th>
                <th scope="col">{t("status.open")}</th>
                <th scope="col">{t("status.in_progress")}</th>
                <th scope="col">{t("counts.overdue")}</th>
                <th scope="col">{t("status.done")}</th>
                <th scope="col">{t("status.dropped")}</th>
              </tr>
            </thead>
            <tbody>
              {data.delegations.map((d) => {
                const c = data.counts[d.id] ?? { open: 0, in_progress: 0, done: 0, dropped: 0, overdue: 0 };
                return (
                  <tr key={d.id}>
                    <th scope="row">
                      <Link to={withParams({ delegation: d.id })}>
                        <DelegationBadge delegation={d} short />
                      </Link>
                    </th>
                    <td data-label={t("status.open")}>{c.open}</td>
                    <td data-label={t("status.in_progress")}>{c.in_progress}</td>
                    <td data-label={t("counts.overdue")} className={c.overdue ? "due--overdue" : undefined}>
                      {c.overdue}
                    </td>
                    <td data-label={t("status.done")}>{c.done}</td>
                    <td data-label={t("status.dropped")}>{c.dropped}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section className="card" aria-labelledby="trend-title">
          <h2 id="trend-title">{t("trend.title")}</h2>
          <TrendChart trend={data.trend} delegations={data.delegations} />
        </section>
      </div>

      <Form method="get" className="filters card" style={{ marginTop: "1rem" }} aria-label={t("filters.title")}>
        {f.mine ? <input type="hidden" name="mine" value="1" /> : null}
        <SelectField label={t("filters.delegation")} name="delegation" defaultValue={f.delegation ?? ""}>
          <option value="">{t("filters.anyDelegation")}</option>
          {data.delegations.map((d) => (
            <option key={d.id} value={d.id}>
              {d.code} · {nameIn(d, locale)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("filters.status")} name="status" defaultValue={f.status ?? "active"}>
          <option value="active">{t("filters.active")}</option>
          {(["open", "in_progress", "done", "dropped"] as const).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
          <option value="all">{t("filters.all")}</option>
        </SelectField>
        <SelectField label={t("filters.assignee")} name="assignee" defaultValue={f.assignee ?? ""}>
          <option value="">{t("filters.anyone")}</option>
          {data.people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("filters.meeting")} name="meeting" defaultValue={f.meeting ?? ""}>
          <option value="">{t("filters.anyMeeting")}</option>
          {data.meetings.map((m) => (
            <option key={m.id} value={m.id}>
              {meetingName(m, t, locale)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("filters.due")} name="due" defaultValue={f.due ?? ""}>
          <option value="">{t("filters.anyDue")}</option>
          {(["overdue", "week", "month", "none"] as const).map((d) => (
            <option key={d} value={d}>
              {t(`filters.${d}`)}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("filters.marking")} name="marking" defaultValue={f.marking ?? ""}>
          <option value="">{t("filters.anyMarking")}</option>
          {MARKINGS.map((m) => (
            <option key={m} value={m}>
              {m}
            </option>
          ))}
        </SelectField>
        <div className="row">
          <button type="submit" className="button button--primary">
            {t("filters.apply")}
          </button>
          <Link to="?" className="button">
            {t("filters.clear")}
          </Link>
        </div>
      </Form>

      <p className="muted" role="status">
        {t("list.count", { count: data.total })}
      </p>
      {data.rows.length ? <ActionTable rows={data.rows} delegations={data.delegations} /> : <p className="muted">{t("list.empty")}</p>}
      <nav className="pager">
        {f.page > 1 ? <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), page: String(f.page - 1) })}`}>{t("common:actions.previous")}</Link> : null}
        {data.hasMore ? <Link to={`?${new URLSearchParams({ ...Object.fromEntries(params), page: String(f.page + 1) })}`}>{t("common:actions.next")}</Link> : null}
      </nav>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:title"));
