import "~/components/every-page";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { PasswordLink } from "~/components/password-link";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runAction, formObject, runLoader } from "~/lib/http.server";
import { localeNames, locales } from "~/lib/i18n";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { can } from "~/lib/permissions";
import { requireUser } from "~/models/people/current-user.server";
import { getBodyContext, setWorkingLanguage } from "~/models/people/bodies.server";
import { addMember, listMembers, newMemberConstraints } from "~/models/people/members.server";
import { setBodyTwoFactorRequirement } from "~/models/people/two-factor.server";
import { publicUrl } from "~/lib/env.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["members"] };

const roleOrder = ["secretariat", "head", "delegate", "official"] as const;

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations, member } = await getBodyContext({ actor: user, slug: params.slug! });
    const members = await listMembers({ actor: user, bodyId: body.id });
    return json({
      constraints: newMemberConstraints,
      bodySlug: body.slug,
      delegations: delegations.map((d) => ({ id: d.id, code: d.code, nameEn: d.nameEn, nameJa: d.nameJa, nameKo: d.nameKo })),
      members,
      canManage: can(member, "members.manage"),
      requireTwoFactor: body.requireTwoFactor,
      workingLanguage: body.workingLanguage,
      canConfigure: can(member, "body.configure"),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const form = await formObject(request);
    if (form.intent === "two-factor-requirement") {
      await setBodyTwoFactorRequirement({ actor: user, input: { bodyId: body.id, required: form.required === "1" ? "1" : "0" } });
      return json({ ok: true as const, requirement: true });
    }
    if (form.intent === "working-language") {
      await setWorkingLanguage({ actor: user, input: { bodyId: body.id, workingLanguage: form.workingLanguage } });
      return json({ ok: true as const, workingLanguage: true });
    }
    const result = await addMember({ actor: user, input: { ...form, bodyId: body.id } });
    return json({
      ok: true as const,
      name: form.name ?? "",
      email: form.email ?? "",
      link: result.setPasswordToken ? `${publicUrl()}/set-password/${result.setPasswordToken}` : null,
    });
  });
}

export default function MembersRoute() {
  const { delegations, members, canManage, requireTwoFactor, workingLanguage, canConfigure } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useTranslation("members");
  const errors = fieldErrorsFrom(data);
  const byId = new Map(delegations.map((d) => [d.id, d]));
  const sorted = [...members].sort(
    (a, b) =>
      (a.delegationId ? delegations.findIndex((d) => d.id === a.delegationId) : -1) -
        (b.delegationId ? delegations.findIndex((d) => d.id === b.delegationId) : -1) ||
      roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role) ||
      a.name.localeCompare(b.name, locale),
  );
  const added = data && "ok" in data && data.ok && "email" in data ? data : null;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("intro")}</p>
        </div>
      </header>

      <table className="table table--stack">
        <thead>
          <tr>
            <th scope="col">{t("table.name")}</th>
            <th scope="col">{t("table.delegation")}</th>
            <th scope="col">{t("table.role")}</th>
            <th scope="col">{t("table.email")}</th>
            {canManage ? <th scope="col">{t("table.status")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map((m) => {
            const delegation = m.delegationId ? byId.get(m.delegationId) : null;
            return (
              <tr key={m.membershipId}>
                <th scope="row">
                  {canManage ? <Link to={m.membershipId}>{m.name}</Link> : m.name}
                </th>
                <td data-label={t("table.delegation")}>
                  {delegation ? <DelegationBadge delegation={delegation} /> : <span className="muted">{t("table.secretariat")}</span>}
                </td>
                <td data-label={t("table.role")}>{t(`common:roles.${m.role}`)}</td>
                <td data-label={t("table.email")}>
                  <a href={`mailto:${m.email}`}>{m.email}</a>
                </td>
                {canManage ? (
                  <td data-label={t("table.status")}>
                    {!m.active ? (
                      <span className="badge badge--danger">{t("status.inactive")}</span>
                    ) : !m.hasPassword ? (
                      <span className="badge badge--warn">{t("status.invited")}</span>
                    ) : (
                      <span className="badge badge--ok">{t("status.active")}</span>
                    )}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>

      {canManage ? (
        <section aria-labelledby="two-factor-title" className="card" style={{ marginTop: "1.5rem" }}>
          <h2 id="two-factor-title">{t("twoFactor.title")}</h2>
          <p className="small muted">{requireTwoFactor ? t("twoFactor.required") : t("twoFactor.optional")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="two-factor-requirement" />
            <input type="hidden" name="required" value={requireTwoFactor ? "0" : "1"} />
            <button type="submit" className={requireTwoFactor ? "button" : "button button--primary"}>
              {requireTwoFactor ? t("twoFactor.stopRequiring") : t("twoFactor.require")}
            </button>
          </Form>
        </section>
      ) : null}

      {canConfigure ? (
        <section aria-labelledby="working-language-title" className="card" style={{ marginTop: "1.5rem" }}>
          <h2 id="working-language-title">{t("workingLanguage.title")}</h2>
          <p className="small muted prose">{t("workingLanguage.intro")}</p>
          {data && "workingLanguage" in data ? (
            <p className="alert alert--ok" role="status">
              {t("workingLanguage.saved")}
            </p>
          ) : null}
          <Form method="post" noValidate className="stack">
            <input type="hidden" name="intent" value="working-language" />
            <SelectField label={t("workingLanguage.label")} name="workingLanguage" defaultValue={workingLanguage} errors={errors?.workingLanguage}>
              {locales.map((l) => (
                <option key={l} value={l} lang={l}>
                  {localeNames[l]}
                </option>
              ))}
            </SelectField>
            <div className="form-actions">
              <button type="submit" className="button">
                {t("workingLanguage.save")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}

      {canManage ? (
        <section aria-labelledby="add-title" className="card" style={{ marginTop: "1.5rem" }}>
          <h2 id="add-title">{t("add.title")}</h2>
          <p className="muted prose">{t("add.intro")}</p>
          {added ? (
            <div className="alert alert--ok" role="status">
              <p>{added.link ? t("add.added", { name: added.name }) : t("add.joined", { name: added.name })}</p>
              {added.link ? <PasswordLink email={added.email} link={added.link} /> : null}
            </div>
          ) : null}
          <FormErrors errors={errors} />
          <Form method="post" key={added ? added.email : "add"} noValidate>
            <div className="form-grid">
              <Field label={t("add.name")} name="name" autoComplete="off" errors={errors?.name} />
              <Field label={t("add.email")} name="email" type="email" autoComplete="off" errors={errors?.email} />
              <SelectField label={t("add.delegation")} name="delegationId" hint={t("add.delegationHint")} errors={errors?.delegationId}>
                <option value="">{t("add.noDelegation")}</option>
                {delegations.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.code} · {nameIn(d, locale)}
                  </option>
                ))}
              </SelectField>
              <SelectField label={t("add.role")} name="role" defaultValue="delegate" errors={errors?.role}>
                {roleOrder.map((r) => (
                  <option key={r} value={r}>
                    {t(`common:roles.${r}`)}
                  </option>
                ))}
              </SelectField>
            </div>
            <div className="form-actions">
              <button type="submit" className="button button--primary" disabled={navigation.state === "submitting"}>
                {t("add.submit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("members:title"));
