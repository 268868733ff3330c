import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ActionTable } from "~/components/actions/action-table";
import { useTranslation } from "~/components/i18n";
import { SelectField } from "~/components/ui/field";
import { runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { actionRowView, delegationView } from "~/lib/views";
import { listActionsAcross } from "~/models/home/home.server";
import { listBodiesForUser } from "~/models/people/bodies.server";
import { requireUser } from "~/models/people/current-user.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions"] };

/** Action items of every body the person belongs to, each body's list as its dashboard orders it. */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const query = Object.fromEntries(new URL(request.url).searchParams);
    const [across, choices] = await Promise.all([listActionsAcross({ actor: user, input: query }), listBodiesForUser(user.id)]);
    return json({
      filters: { ...across.filters, body: across.bodySlug },
      choices: choices.map((b) => ({ slug: b.slug, nameEn: b.nameEn, nameJa: b.nameJa, nameKo: b.nameKo })),
      lists: across.lists.map((l) => ({
        body: { slug: l.body.slug, nameEn: l.body.nameEn, nameJa: l.body.nameJa, nameKo: l.body.nameKo },
        delegations: l.delegations.map(delegationView),
        rows: l.rows.map((row) => actionRowView(row)),
        total: l.total,
        hasMore: l.hasMore,
      })),
    });
  });
}

export default function ActionsAcrossRoute() {
  const { filters: f, choices, lists } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("actions");
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("across.intro")}</p>
        </div>
      </header>
      <Form method="get" className="filters card" aria-label={t("filters.title")}>
        <SelectField label={t("across.body")} name="body" defaultValue={f.body ?? ""}>
          <option value="">{t("across.allBodies")}</option>
          {choices.map((b) => (
            <option key={b.slug} value={b.slug}>
              {nameIn(b, locale)}
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
        <SelectField label={t("filters.due")} name="due" defaultValue={f.due ?? ""}>
          <option value="">{t("filters.anyDue")}</option>
          {(["overdue", "week", "month", "none"] as const).map((d) => (
            <option key={d} value={d}>
              {t(`filters.${d}`)}
            </option>
          ))}
        </SelectField>
        <label className="checkbox">
          <input type="checkbox" name="mine" value="1" defaultChecked={!!f.mine} />
          <span>{t("filters.mine")}</span>
        </label>
        <div className="row">
          <button type="submit" className="button button--primary">
            {t("filters.apply")}
          </button>
          <Link to="?" className="button">
            {t("filters.clear")}
          </Link>
        </div>
      </Form>
      {lists.map((l) => (
        <section key={l.body.slug} aria-labelledby={`body-${l.body.slug}`} style={{ marginTop: "1rem" }}>
          <h2 id={`body-${l.body.slug}`}>{nameIn(l.body, locale)}</h2>
          <p className="muted">
            {t("list.count", { count: l.total })} · <Link to={`/bodies/${l.body.slug}/actions`}>{t("across.dashboard")}</Link>
          </p>
          {l.rows.length ? <ActionTable rows={l.rows} delegations={l.delegations} /> : <p className="muted">{t("list.empty")}</p>}
          {l.hasMore ? (
            <p>
              <Link to={`/bodies/${l.body.slug}/actions`}>{t("across.more")}</Link>
            </p>
          ) : null}
        </section>
      ))}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:title"));
