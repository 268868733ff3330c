import "~/components/every-page";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { ErrorList, FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { getTranslationPage, markVersionFinal, saveTranslations } from "~/models/outcomes/translations.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["outcomes"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getTranslationPage({ actor: user, documentId: params.documentId!, language: params.language! });
    return json({
      document: { id: page.document.id, title: page.document.title, marking: page.document.marking, language: page.document.language, status: page.document.status },
      language: page.language,
      paragraphs: page.paragraphs.map((p) => ({ id: p.id, type: p.type, text: p.text, hash: p.hash, translation: p.translation, state: p.state, by: p.by })),
      final: page.final,
      can: page.can,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, formData, form }) => {
    const user = await requireUser(request);
    const base = { documentId: params.documentId!, language: params.language! };
    if (form.intent === "final") {
      await markVersionFinal({ actor: user, input: { ...base, final: form.final } });
      return json({ ok: true as const, done: form.final === "1" ? "versions.markedFinal" : "versions.reopened" });
    }
    const ids = formData.getAll("paragraph").map(String);
    const paragraphs = ids.map((id) => ({ id, text: String(formData.get(`text.${id}`) ?? ""), hash: String(formData.get(`hash.${id}`) ?? "") }));
    await saveTranslations({ actor: user, input: { ...base, paragraphs } });
    return json({ ok: true as const, done: "versions.saved" });
  });
}

/** The source and one language version side by side, paragraph by paragraph, each current, stale or missing. */
export default function VersionRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = fieldErrorsFrom(actionData);
  const { t } = useTranslation("outcomes");
  const language = t(`language.${data.language}`);
  const editable = data.can.translate;
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/outcomes/${data.document.id}`}>{data.document.title}</Link>
      </p>
      <MarkedPage marking={data.document.marking}>
        <header className="page-header">
          <h1>{t("versions.heading", { language })}</h1>
          <span className={`badge ${data.final ? "badge--ok" : "badge--warn"}`}>{data.final ? t("versions.final") : t("versions.draft")}</span>
        </header>
        {actionData && "done" in actionData && actionData.done ? (
          <p className="alert alert--ok" role="status">
            {t(actionData.done)}
          </p>
        ) : null}
        {actionData && "conflict" in actionData && actionData.conflict ? (
          <p className="alert alert--warn" role="alert">
            {t("versions.sourceChanged")}
          </p>
        ) : null}
        <FormErrors errors={errors} />
        <p className="muted small">{t("versions.hint")}</p>
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="save" />
          <div className="parallel" role="table" aria-label={t("versions.table", { language })}>
            <div className="parallel__row" role="row">
              <strong role="columnheader">{t(`language.${data.document.language}`)}</strong>
              <strong role="columnheader">{language}</strong>
            </div>
            {data.paragraphs.map((p, i) => (
              <div key={p.id ?? i} className="parallel__row" role="row">
                <div role="cell" className={p.type === "heading" ? "parallel__heading" : undefined}>
                  <p>{p.text}</p>
                </div>
                <div role="cell">
                  {p.id ? (
                    <>
                      <input type="hidden" name="paragraph" value={p.id} />
                      <input type="hidden" name={`hash.${p.id}`} value={p.hash} />
                      <label className="field__label" htmlFor={`text-${p.id}`}>
                        {t("versions.paragraph", { n: i + 1, language })} <span className={`small paragraph-state--${p.state}`}>{t(`versions.state.${p.state}`)}</span>
                      </label>
                      <textarea id={`text-${p.id}`} name={`text.${p.id}`} className="input" rows={Math.max(2, Math.ceil(p.text.length / 60))} defaultValue={p.translation ?? ""} readOnly={!editable} lang={data.language} />
                      <ErrorList errors={errors?.[`text.${p.id}`]} />
                    </>
                  ) : null}
                </div>
              </div>
            ))}
          </div>
          {editable ? (
            <button type="submit" className="button button--primary">
              {t("versions.save")}
            </button>
          ) : null}
        </Form>
        {data.can.markFinal ? (
          <Form method="post" style={{ marginTop: "1rem" }}>
            <input type="hidden" name="intent" value="final" />
            <input type="hidden" name="final" value={data.final ? "0" : "1"} />
            <button type="submit" className="button">
              {data.final ? t("versions.reopen") : t("versions.markFinal", { language })}
            </button>
          </Form>
        ) : null}
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, (t) => (data ? `${data.document.title} · ${t(`outcomes:language.${data.language}`)}` : null));
