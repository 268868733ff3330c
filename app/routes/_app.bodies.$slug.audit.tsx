import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { AuditEvent, type AuditEventView } from "~/components/audit/audit-event";
import { useTranslation } from "~/components/i18n";
import { Field, SelectField } from "~/components/ui/field";
import { runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { getProfile } from "~/models/people/accounts.server";
import { listAuditEvents } from "~/models/core/audit.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { listMembers } from "~/models/people/members.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "agenda", "audit", "meetings", "members", "minutes", "settings"] };

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
      filters: trail.filters,
      hasMore: trail.hasMore,
      entityTypes: trail.entityTypes,
      events: trail.events.map((e) => ({ ...e, at: e.at.toISOString() }) satisfies AuditEventView),
      names: trail.people,
      delegations: trail.delegations,
      people: members.map((m) => ({ id: m.userId, name: m.name })),
    });
  });
}

export default function AuditRoute() {
  const { events, hasMore, filters, entityTypes, people, timeZone, names, delegations } = useLoaderData<typeof loader>();
  const context = { people: names, delegations, timeZone };
  const { t } = useTranslation("audit");
  const [params] = useSearchParams();
  const typeName = (type: string) => {
    const text = t(`types.${type}`);
    return text === `types.${type}` ? type : text;
  };
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
              {typeName(type)}
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
        <ol className="audit-list" role="list">
          {events.map((e) => (
            <li key={e.id}>
              <AuditEvent event={e} context={context} />
            </li>
          ))}
        </ol>
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
