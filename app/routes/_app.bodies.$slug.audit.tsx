import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AuditChanges } from "~/components/audit-changes";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { Field, SelectField } from "~/components/ui/field";
import { runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { getProfile } from "~/models/people/accounts.server";
import { listAuditEvents } from "~/models/core/audit.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { listMembers } from "~/models/people/members.server";

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const timeZone = (await getProfile(user.id))!.effectiveTimeZone;
    const trail = await listAuditEvents({ actor: user, input: { ...query, bodyId: body.id, timeZone } });
    const members = await listMembers({ actor: user, bodyId: body.id });
    return json({
      bodySlug: body.slug,
      timeZone,
      ...trail,
      people: members.map((m) => ({ id: m.userId, name: m.name })),
    });
  });
}

export default function AuditRoute() {
  const { events, hasMore, filters, entityTypes, people, timeZone } = useLoaderData<typeof loader>();
  const { t } = useTranslation("audit");
  const [params] = useSearchParams();
  const pageLink = (page: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(page));
    return `?${next}`;
  };

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted prose">{t("intro")}</p>
        </div>
      </header>
      <Form method="get" className="filters" aria-label={t("filters.title")}>
        <SelectField label={t("filters.person")} name="actorId" defaultValue={filters.actorId ?? ""}>
          <option value="">{t("filters.anyone")}</option>
          {people.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField label={t("filters.type")} name="entityType" defaultValue={filters.entityType ?? ""}>
          <option value="">{t("filters.anyType")}</option>
          {entityTypes.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </SelectField>
        <Field label={t("filters.from")} name="from" type="date" defaultValue={filters.from ?? ""} />
        <Field label={t("filters.to")} name="to" type="date" defaultValue={filters.to ?? ""} />
        <div className="row">
          <button type="submit" className="button button--primary">
            {t("filters.apply")}
          </button>
          <Link to="?" className="button">
            {t("filters.clear")}
          </Link>
        </div>
      </Form>
      {events.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <table className="table table--stack">
          <thead>
            <tr>
              <th scope="col">{t("table.when")}</th>
              <th scope="col">{t("table.who")}</th>
              <th scope="col">{t("table.what")}</th>
              <th scope="col">{t("table.record")}</th>
              <th scope="col">{t("table.changes")}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={e.id}>
                <td data-label={t("table.when")} className="num">
                  <Time value={e.at} zone={timeZone} />
                </td>
                <td data-label={t("table.who")}>{e.actorName ?? t("system")}</td>
                <td data-label={t("table.what")}>
                  <code>{e.action}</code>
                </td>
                <td data-label={t("table.record")}>
                  {e.entityType} <span className="muted small">{e.entityId}</span>
                </td>
                <td data-label={t("table.changes")}>
                  <AuditChanges before={e.before} after={e.after} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager" aria-label={t("page", { page: filters.page })}>
        {filters.page > 1 ? <Link to={pageLink(filters.page - 1)}>{t("common:actions.previous")}</Link> : null}
        <span className="muted">{t("page", { page: filters.page })}</span>
        {hasMore ? <Link to={pageLink(filters.page + 1)}>{t("common:actions.next")}</Link> : null}
      </nav>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("audit:title"));
