import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { OutcomeStatusBadge } from "~/components/outcomes/status-badge";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { createOutcome, listOutcomes } from "~/models/outcomes/outcomes.server";
import { setSymbolPrefix } from "~/models/people/bodies.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings", "outcomes"] };

const KINDS = ["joint_statement", "chairs_summary", "readout", "fact_sheet"] as const;
const MARKINGS = ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"] as const;

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const view = await listOutcomes({ actor: user, meetingId: params.meetingId! });
    return json({
      meeting: { id: view.meeting.id, ordinal: view.meeting.ordinal, title: view.meeting.title },
      documents: view.documents.map((d) => ({ ...d, updatedAt: d.updatedAt.toISOString() })),
      prefix: view.prefix,
      can: view.can,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    if (form.intent === "prefix") {
      const view = await listOutcomes({ actor: user, meetingId: params.meetingId! });
      await setSymbolPrefix({ actor: user, input: { ...form, bodyId: view.meeting.bodyId } });
      return json({ ok: true as const, done: "list.prefixSaved" });
    }
    const created = await createOutcome({ actor: user, input: { ...form, meetingId: params.meetingId! } });
    return redirect(`/outcomes/${created.id}`);
  });
}

export default function OutcomesRoute() {
  const { meeting, documents, can, prefix } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = fieldErrorsFrom(actionData);
  const submitted = actionData && "submitted" in actionData ? actionData.submitted : undefined;
  const { t, locale } = useTranslation("outcomes");
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <header className="page-header">
        <h1>{t("list.title")}</h1>
      </header>
      <section className="card" aria-labelledby="documents-title">
        <h2 id="documents-title" className="visually-hidden">
          {t("list.title")}
        </h2>
        {documents.length ? (
          <ul className="plain-list stack">
            {documents.map((d) => (
              <li key={d.id} className="row outcome-row">
                <code>{d.symbol}</code>
                <Link to={`/outcomes/${d.id}`}>{d.title}</Link>
                <span className="muted small">{t(`kind.${d.kind}`)}</span>
                <OutcomeStatusBadge status={d.status} />
                <Marking value={d.marking} />
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t("list.none")}</p>
        )}
      </section>
      {can.create ? (
        <section className="card" aria-labelledby="new-title" style={{ marginTop: "1rem" }}>
          <h2 id="new-title">{t("list.new")}</h2>
          <Form method="post" className="stack">
            <FormErrors errors={errors} />
            <Field label={t("fields.title")} name="title" required defaultValue={submitted?.title} errors={errors?.title} />
            <SelectField label={t("fields.kind")} name="kind" defaultValue={submitted?.kind ?? "joint_statement"} errors={errors?.kind}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kind.${k}`)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t("fields.marking")} name="marking" defaultValue={submitted?.marking ?? "TLP:AMBER"} errors={errors?.marking}>
              {MARKINGS.map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="button button--primary">
              {t("list.new")}
            </button>
          </Form>
        </section>
      ) : null}
      {can.configure ? (
        <section className="card" aria-labelledby="prefix-title" style={{ marginTop: "1rem" }}>
          <h2 id="prefix-title">{t("list.prefixTitle")}</h2>
          {actionData && "done" in actionData ? (
            <p className="alert alert--ok" role="status">
              {t(actionData.done)}
            </p>
          ) : null}
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="prefix" />
            <Field label={t("list.prefix")} hint={t("list.prefixHint")} name="symbolPrefix" defaultValue={prefix} required errors={errors?.symbolPrefix} />
            <button type="submit" className="button">
              {t("list.prefixSave")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, (t, locale) => (data ? `${t("outcomes:list.title")} · ${meetingName(data.meeting, t, locale)}` : null));
