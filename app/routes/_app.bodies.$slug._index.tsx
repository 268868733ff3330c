import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/lib/session.server";
import { getBodyContext } from "~/models/bodies.server";

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations, member } = await getBodyContext({ actor: user, slug: params.slug! });
    return json({
      bodySlug: body.slug,
      body: { nameEn: body.nameEn, nameJa: body.nameJa, nameKo: body.nameKo, cadenceMonths: body.cadenceMonths, defaultMarking: body.defaultMarking },
      rotation: body.rotation,
      delegations: delegations.map((d) => ({ id: d.id, code: d.code, nameEn: d.nameEn, nameJa: d.nameJa, nameKo: d.nameKo, timeZone: d.timeZone })),
      member: { role: member.role, delegationId: member.delegationId },
      now: new Date().toISOString(),
    });
  });
}

export default function BodyHomeRoute() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("body");
  const own = data.delegations.find((d) => d.id === data.member.delegationId);
  const role = t(`common:roles.${data.member.role}`);
  const byId = new Map(data.delegations.map((d) => [d.id, d]));
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{nameIn(data.body, locale)}</h1>
          <p className="muted">
            {own ? t("home.yourRoleIn", { role, delegation: nameIn(own, locale) }) : t("home.yourRole", { role })}
            {" · "}
            {data.body.cadenceMonths === 3 ? t("home.quarterly") : t("home.cadence", { count: data.body.cadenceMonths })}
          </p>
        </div>
      </header>
      <section aria-labelledby="delegations-title" className="card">
        <h2 id="delegations-title">{t("home.delegations")}</h2>
        <table className="table table--stack">
          <thead>
            <tr>
              <th scope="col">{t("home.delegations")}</th>
              <th scope="col">{t("home.capital")}</th>
              <th scope="col">{t("home.localTime")}</th>
            </tr>
          </thead>
          <tbody>
            {data.delegations.map((d) => (
              <tr key={d.id}>
                <th scope="row">
                  <DelegationBadge delegation={d} />
                </th>
                <td data-label={t("home.capital")}>{d.timeZone}</td>
                <td data-label={t("home.localTime")}>
                  <Time value={data.now} zone={d.timeZone} style="longDate" /> <Time value={data.now} zone={d.timeZone} style="time" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">
          {t("home.rotation")}:{" "}
          {data.rotation.map((id, i) => {
            const d = byId.get(id);
            return d ? (
              <span key={id}>
                {i > 0 ? " → " : ""}
                <DelegationBadge delegation={d} short />
              </span>
            ) : null;
          })}
        </p>
      </section>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (_t, locale) => (data ? nameIn(data.body, locale) : null));
