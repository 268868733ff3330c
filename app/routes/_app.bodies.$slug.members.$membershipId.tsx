import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { PasswordLink } from "~/components/password-link";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { FormErrors, SelectField, TextareaField } from "~/components/ui/field";
import { publicUrl } from "~/lib/env.server";
import { fieldErrorsFrom } from "~/lib/forms";
import { runAction, formObject, runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { changeMember, deactivateMember, getMember, issueMemberPasswordLink, reactivateMember } from "~/models/people/members.server";
import { resetMemberTwoFactor } from "~/models/people/two-factor.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["members"] };

const roleOrder = ["secretariat", "head", "delegate", "official"] as const;

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, delegations } = await getBodyContext({ actor: user, slug: params.slug! });
    const member = await getMember({ actor: user, bodyId: body.id, membershipId: params.membershipId! });
    return json({
      bodySlug: body.slug,
      member,
      delegations: delegations.map((d) => ({ id: d.id, code: d.code, nameEn: d.nameEn, nameJa: d.nameJa, nameKo: d.nameKo })),
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const form = await formObject(request);
    const input = { ...form, bodyId: body.id, membershipId: params.membershipId! };
    switch (form.intent) {
      case "change":
        await changeMember({ actor: user, input });
        return json({ ok: true as const, done: "edit.saved" });
      case "deactivate":
        await deactivateMember({ actor: user, input });
        return json({ ok: true as const, done: "deactivate.done" });
      case "reactivate":
        await reactivateMember({ actor: user, input });
        return json({ ok: true as const, done: "reactivate.done" });
      case "reset-two-factor":
        await resetMemberTwoFactor({ actor: user, input });
        return json({ ok: true as const, done: "twoFactorReset.done" });
      case "link": {
        const { setPasswordToken } = await issueMemberPasswordLink({ actor: user, input });
        return json({ ok: true as const, done: null, link: `${publicUrl()}/set-password/${setPasswordToken}` });
      }
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

export default function MemberRoute() {
  const { member, delegations } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t, locale } = useTranslation("members");
  const errors = fieldErrorsFrom(data);
  const done = data && data.ok ? data : null;

  return (
    <div className="page prose">
      <p className="breadcrumbs">
        <Link to=".." relative="path">{t("title")}</Link>
      </p>
      <h1>{member.name}</h1>
      <p className="muted">
        {member.email} · {t(`common:roles.${member.role}`)} · {member.active ? t("status.active") : t("status.inactive")}
      </p>
      {done?.done ? (
        <p className="alert alert--ok" role="status">
          {t(done.done, { name: member.name })}
        </p>
      ) : null}
      {done && "link" in done && done.link ? (
        <div className="alert alert--ok" role="status">
          <PasswordLink email={member.email} link={done.link} />
        </div>
      ) : null}
      <FormErrors errors={errors} />

      <section className="card" aria-labelledby="edit-title">
        <h2 id="edit-title">{t("edit.title")}</h2>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="change" />
          <div className="form-grid">
            <SelectField label={t("add.delegation")} name="delegationId" defaultValue={member.delegationId ?? ""} hint={t("add.delegationHint")} errors={errors?.delegationId}>
              <option value="">{t("add.noDelegation")}</option>
              {delegations.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.code} · {nameIn(d, locale)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t("add.role")} name="role" defaultValue={member.role} errors={errors?.role}>
              {roleOrder.map((r) => (
                <option key={r} value={r}>
                  {t(`common:roles.${r}`)}
                </option>
              ))}
            </SelectField>
          </div>
          <div className="form-actions">
            <button type="submit" className="button button--primary">
              {t("edit.submit")}
            </button>
          </div>
        </Form>
      </section>

      {member.active ? (
        <>
          <section className="card" aria-labelledby="link-title" style={{ marginTop: "1rem" }}>
            <h2 id="link-title">{t("link.issue")}</h2>
            <p className="muted small">{t("link.issueHint")}</p>
            <Form method="post">
              <input type="hidden" name="intent" value="link" />
              <button type="submit" className="button">
                {t("link.issue")}
              </button>
            </Form>
          </section>
          <section className="card" aria-labelledby="reset-two-factor-title" style={{ marginTop: "1rem" }}>
            <h2 id="reset-two-factor-title">{t("twoFactorReset.title")}</h2>
            <p className="muted small">{t("twoFactorReset.body")}</p>
            <Form method="post" className="stack" noValidate>
              <input type="hidden" name="intent" value="reset-two-factor" />
              <TextareaField label={t("twoFactorReset.reason")} name="reason" required rows={2} errors={errors?.reason} />
              <div className="form-actions">
                <button type="submit" className="button button--danger">
                  {t("twoFactorReset.submit")}
                </button>
              </div>
            </Form>
          </section>
          <section className="card" aria-labelledby="deactivate-title" style={{ marginTop: "1rem" }}>
            <h2 id="deactivate-title">{t("deactivate.title")}</h2>
            <p className="muted small">{t("deactivate.body")}</p>
            <ConfirmDialog
              name="deactivate"
              intent="deactivate"
              danger
              trigger={t("deactivate.open", { name: member.name })}
              title={t("deactivate.confirm", { name: member.name })}
              consequence={<p>{t("deactivate.consequence")}</p>}
              reasonLabel={t("deactivate.reason")}
              confirmLabel={t("deactivate.submit", { name: member.name })}
              errors={errors}
            />
          </section>
        </>
      ) : (
        <section className="card" aria-labelledby="reactivate-title" style={{ marginTop: "1rem" }}>
          <h2 id="reactivate-title">{t("reactivate.title")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="reactivate" />
            <button type="submit" className="button button--wrap">
              {t("reactivate.submit", { name: member.name })}
            </button>
          </Form>
        </section>
      )}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, () => data?.member.name);
