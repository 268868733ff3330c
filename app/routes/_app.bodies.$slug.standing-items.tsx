import "~/components/every-page";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { AGENDA_MARKINGS } from "~/lib/markings";
import { title } from "~/lib/meta";
import { can } from "~/lib/permissions";
import { requireUser } from "~/models/people/current-user.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { addStandingItem, listStandingItems, removeStandingItem, standingItemConstraints } from "~/models/agenda/standing-items.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["agenda"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, member } = await getBodyContext({ actor: user, slug: params.slug! });
    const items = await listStandingItems({ actor: user, bodyId: body.id });
    return json({ constraints: standingItemConstraints, bodySlug: body.slug, items, canEdit: can(member, "body.configure") });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    if (form.intent === "remove") {
      await removeStandingItem({ actor: user, input: { ...form, bodyId: body.id } });
      return json({ ok: true as const, done: "template.removed" });
    }
    await addStandingItem({ actor: user, input: { ...form, bodyId: body.id } });
    return json({ ok: true as const, done: "template.added" });
  });
}

export default function StandingItemsRoute() {
  const { items, canEdit } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("agenda");
  const errors = fieldErrorsFrom(data);
  return (
    <div className="page prose">
      <h1>{t("template.title")}</h1>
      <p className="muted">{t("template.intro")}</p>
      {data && "done" in data ? (
        <p className="alert alert--ok" role="status">
          {t(data.done)}
        </p>
      ) : null}
      <ol className="card-list">
        {items.map((item) => (
          <li key={item.id} className="card row">
            <strong>{item.title}</strong>
            <span className="badge">{t(`kind.${item.kind}`)}</span>
            <span className="muted">{item.minutes}′</span>
            <Marking value={item.marking} />
            {canEdit ? (
              <Form method="post" style={{ marginLeft: "auto" }}>
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="itemId" value={item.id} />
                <button type="submit" className="button button--small button--danger" aria-label={`${t("template.remove")}: ${item.title}`}>
                  {t("template.remove")}
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
      {canEdit ? (
        <section className="card" aria-labelledby="add-standing" style={{ marginTop: "1rem" }}>
          <h2 id="add-standing">{t("template.add")}</h2>
          <Form method="post" className="stack" noValidate>
            <FormErrors errors={errors} />
            <input type="hidden" name="intent" value="add" />
            <Field label={t("fields.title")} name="title" errors={errors?.title} />
            <div className="form-grid">
              <SelectField label={t("fields.kind")} name="kind" defaultValue="standing" errors={errors?.kind}>
                {(["information", "discussion", "decision", "standing"] as const).map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
              </SelectField>
              <Field label={t("fields.minutes")} name="minutes" type="number" min={0} max={600} defaultValue={15} errors={errors?.minutes} />
              <SelectField label={t("fields.marking")} name="marking" defaultValue="TLP:GREEN" errors={errors?.marking}>
                {AGENDA_MARKINGS.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </SelectField>
            </div>
            <button type="submit" className="button button--primary">
              {t("template.add")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("agenda:template.title"));
