import "~/components/every-page";
import "~/components/meeting-pages";
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useTranslation } from "~/components/i18n";
import { LiveMarking } from "~/components/live/live-marking";
import { MarkedPage } from "~/components/marking";
import { FormErrors } from "~/components/ui/field";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { annexDocumentName } from "~/lib/annex-schema";
import type { I18nHandle } from "~/lib/catalogues";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { meetingView } from "~/lib/views";
import { getAnnexPage, openAnnex } from "~/models/annex/annex.server";
import { requireUser } from "~/models/people/current-user.server";

// The same live view and editor as the minutes, loaded only when needed (ADR 036, ADR 056).
const LiveMinutes = lazy(() => import("~/components/minutes/live-minutes.client"));

/** `/meetings/:id/minutes/annex`: the restricted annex (ADR 037), for the meeting's TLP:RED audience; 404 for anyone else. */
export const handle: I18nHandle = { i18n: ["actions", "meetings", "minutes"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getAnnexPage({ actor: user, meetingId: params.meetingId! });
    return json({
      meeting: meetingView(page.meeting),
      self: { id: user.id, name: user.name, code: page.delegationCode },
      marking: page.marking,
      audience: page.audience,
      open: page.open,
      status: page.status,
      writable: page.writable,
      mayOpen: page.mayOpen,
      preview: page.preview,
      chips: page.chips,
      versions: page.versions,
      records: page.records,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params }) => {
    const user = await requireUser(request);
    await openAnnex({ actor: user, input: { meetingId: params.meetingId! } });
    return redirect(`/meetings/${params.meetingId}/minutes/annex`);
  });
}

function Editor() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("minutes");
  const revalidator = useRevalidator();
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = <div className="minutes-editor__page minutes-editor__content prose-html" dangerouslySetInnerHTML={{ __html: data.preview }} />;
  if (!mounted) return fallback;
  return (
    <Suspense fallback={fallback}>
      <LiveMinutes
        meetingId={data.meeting.id}
        documentName={annexDocumentName(data.meeting.id)}
        label={t("annex.label")}
        decisions={false}
        user={data.self}
        editable={data.writable}
        onChanged={() => revalidator.revalidate()}
        readOnlyReason={data.writable ? null : data.status === "draft" ? t("annex.readOnly") : t("annex.readOnlyFrozen")}
        chips={data.chips}
        createAction={null}
      />
    </Suspense>
  );
}

/** The annex's versions and its adopted records, each exported marked TLP:RED and stamped for its reader. */
function AnnexHistory() {
  const { meeting, versions, records } = useLoaderData<typeof loader>();
  const { t } = useTranslation("minutes");
  const zone = useViewerZone();
  const base = `/meetings/${meeting.id}/minutes/annex`;
  const exports = (query: string) =>
    (["pdf", "docx", "md"] as const).map((f) => (
      <a key={f} href={`${base}/export.${f}?${query}`} download>
        {t(`export.${f}`)}
      </a>
    ));
  return (
    <section className="card" aria-labelledby="annex-history-title" style={{ marginTop: "1rem" }}>
      <h2 id="annex-history-title">{t("annex.historyTitle")}</h2>
      {records.length || versions.length ? (
        <ul className="plain-list">
          {records.map((r) => (
            <li key={r.id} className="row">
              <strong>{r.amendment ? t("record.amendment", { n: r.amendment }) : t("record.original")}</strong>
              <Time value={r.adoptedAt} zone={zone} />
              <code className="small">{t("record.sha", { hash: r.sha256.slice(0, 16) })}…</code>
              <span className="small muted">{t("annex.recordHint")}</span>
              {exports(`record=${r.amendment}`)}
            </li>
          ))}
          {versions.map((v) => (
            <li key={v.id} className="row">
              <span>{t(`annex.version.${v.kind}`)}</span>
              <Time value={v.at} zone={zone} />
              {exports(`version=${encodeURIComponent(v.id)}`)}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">{t("annex.historyNone")}</p>
      )}
    </section>
  );
}

export default function AnnexRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useTranslation("minutes");
  const { meeting } = data;
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link> / <Link to={`/meetings/${meeting.id}/minutes`}>{t("of", { meeting: meetingName(meeting, t, locale) })}</Link>
      </p>
      <MarkedPage marking={data.marking}>
        <header className="page-header">
          <div>
            <h1>{t("annex.of", { meeting: meetingName(meeting, t, locale) })}</h1>
          </div>
          {data.open ? (
            <nav className="page-header__actions" aria-label={t("export.title")}>
              {(["pdf", "docx", "md"] as const).map((f) => (
                <a key={f} href={`/meetings/${meeting.id}/minutes/annex/export.${f}`} className="button" download>
                  {t(`export.${f}`)}
                </a>
              ))}
            </nav>
          ) : null}
        </header>
        <LiveMarking marking={data.marking}>
          <p>
            <strong>{t("annex.bannerAnnex", { marking: data.marking })}</strong> {data.audience === "published" ? t("annex.audiencePublished") : t("annex.audienceHeads")}
          </p>
          <p className="small">{t("annex.bannerAnnexApart")}</p>
        </LiveMarking>
        <FormErrors errors={fieldErrorsFrom(actionData)} />
        {data.open ? (
          <section aria-labelledby="annex-text-title" className="card">
            <h2 id="annex-text-title" className="visually-hidden">
              {t("annex.label")}
            </h2>
            <Editor />
          </section>
        ) : (
          <section className="card stack" aria-labelledby="annex-open-title">
            <h2 id="annex-open-title">{t("annex.title")}</h2>
            <p>{t("annex.notOpen")}</p>
            {data.mayOpen ? (
              <Form method="post" className="stack">
                <p className="muted small">{t("annex.openHint")}</p>
                <button type="submit" className="button button--primary">
                  {t("annex.open")}
                </button>
              </Form>
            ) : null}
          </section>
        )}
        {data.open ? <AnnexHistory /> : null}
        <p style={{ marginTop: "1rem" }}>
          <Link to={`/meetings/${meeting.id}/minutes`}>← {t("annex.backToMinutes")}</Link>
        </p>
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, (t, locale) => (data ? t("minutes:annex.of", { meeting: meetingName(data.meeting, t, locale) }) : null));
