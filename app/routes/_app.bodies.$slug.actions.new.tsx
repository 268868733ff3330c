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
import { assertCan } from "~/models/core/access.server";
import { actionFormOptions } from "~/models/actions/options.server";
import { createAction, actionConstraints } from "~/models/actions/actions.server";
import { getBodyContext } from "~/models/people/bodies.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body, member } = await getBodyContext({ actor: user, slug: params.slug! });
    assertCan(member, "actions.create");
    const options = await actionFormOptions({ actor: user, bodyId: body.id });
    const query = new URL(request.url).searchParams;
    const origin = options.meetings.find((m) => m.id === query.get("meeting"));
    const values: ActionFormValues = {
      title: query.get("title") ?? "",
      detail: "",
      ownerDelegationId: member.delegationId ?? options.delegations[0]?.id ?? "",
      assigneeIds: [],
      dueKind: "next_meeting",
      dueDate: "",
      priority: "normal",
      marking: body.defaultMarking,
      originMeetingId: origin?.id ?? "",
      originAgendaItemId: query.get("agendaItem") ?? undefined,
    };
    return json({ constraints: actionConstraints, bodySlug: body.slug, values, ...options });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form, formData }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const item = await createAction({ actor: user, input: { ...form, assigneeIds: formData.getAll("assigneeIds").map(String), bodyId: body.id } });
    return redirect(`/actions/${item.id}`);
  });
}

export default function NewActionRoute() {
  const { values, delegations, people, meetings, bodySlug } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation("actions");
  const submitted = data && "submitted" in data && data.submitted ? (data.submitted as unknown as Partial<ActionFormValues>) : null;
  return (
    <div className="page prose">
      <p className="breadcrumbs">
        <Link to={`/bodies/${bodySlug}/actions`}>{t("title")}</Link>
      </p>
      <h1>{t("new")}</h1>
      <ActionForm
        values={submitted ? { ...values, ...submitted, assigneeIds: values.assigneeIds } : values}
        delegations={delegations}
        people={people}
        meetings={meetings}
        errors={fieldErrorsFrom(data)}
        submitLabel={t("form.create")}
      />
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("actions:new"));
