import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ActionForm, type ActionFormValues } from "~/components/actions/action-form";
import { useTranslation } from "~/components/i18n";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { getActionForEdit } from "~/models/actions/edit.server";
import { getBodyContextById } from "~/models/people/bodies.server";
import { editAction, actionConstraints } from "~/models/actions/actions.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { item, values, delegations, people, meetings } = await getActionForEdit({ actor: user, itemId: params.itemId! });
    const { body } = await getBodyContextById({ actor: user, bodyId: item.bodyId });
    return json({ constraints: actionConstraints, bodySlug: body.slug, item: { id: item.id, ref: item.ref, title: item.title }, values, delegations, people, meetings });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form, formData }) => {
    const user = await requireUser(request);
    await editAction({ actor: user, input: { ...form, assigneeIds: formData.getAll("assigneeIds").map(String), itemId: params.itemId! } });
    return redirect(`/actions/${params.itemId}`);
  });
}

export default function EditActionRoute() {
  const { item, values, delegations, people, meetings } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("actions");
  const failure = data && "ok" in data && !data.ok ? data : null;
  const conflict = failure?.conflict ?? null;
  const theirs = conflict ? (conflict.current as ActionFormValues & { version: number }) : null;
  const shown: ActionFormValues = failure?.submitted
    ? { ...values, ...(failure.submitted as unknown as Partial<ActionFormValues>), assigneeIds: values.assigneeIds, version: theirs?.version ?? values.version }
    : values;
  return (
    <div className="page prose">
      <p className="breadcrumbs">
        <Link to={`/actions/${item.id}`}>
          {t("ref", { ref: item.ref })} {item.title}
        </Link>
      </p>
      <h1>{t("form.editTitle")}</h1>
      {conflict && theirs ? (
        <section className="alert alert--warn" role="alert">
          <h2>{t("conflict.title")}</h2>
          <p>{t("conflict.body", { name: conflict.changedBy?.name ?? "—" })}</p>
          <div className="conflict">
            <div>
              <h3>{t("conflict.theirs")}</h3>
              <p>
                <strong>{theirs.title}</strong> · {t(`status.${(theirs as unknown as { status: "open" }).status}`)} · {theirs.marking}
              </p>
            </div>
            <div>
              <h3>{t("conflict.yours")}</h3>
              <p>
                <strong>{shown.title}</strong> · {shown.marking}
              </p>
            </div>
          </div>
          <p>
            <Link to=".">{t("conflict.useTheirs")}</Link>
          </p>
        </section>
      ) : null}
      <ActionForm key={theirs ? `v${theirs.version}` : "form"} values={shown} delegations={delegations} people={people} meetings={meetings} errors={fieldErrorsFrom(data)} submitLabel={t("form.save")} />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:form.editTitle"));
