import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { formatInstant } from "~/lib/datetime";
import { runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { meetingView } from "~/lib/views";
import { getMinutesVersion } from "~/models/minutes/versions.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings", "minutes"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const compare = new URL(request.url).searchParams.get("compare") || null;
    const view = await getMinutesVersion({ actor: user, meetingId: params.meetingId!, versionId: params.versionId!, compare });
    return json({
      bodySlug: view.bodySlug,
      meeting: meetingView(view.meeting),
      version: view.version,
      html: view.html,
      others: view.others,
      compare: view.diff ? (view.diff.against === "current" ? "current" : view.diff.against.id) : "",
      diff: view.diff,
    });
  });
}

export default function MinutesVersionRoute() {
  const { meeting, version, html, others, compare, diff } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("minutes");
  const zone = useViewerZone();
  const describe = (v: { kind: string; at: string | Date }) => `${t(`versions.kind.${v.kind}`)} · ${formatInstant(v.at, locale, zone)}`;
  const thisOne = describe(version);
  const other = diff ? (diff.against === "current" ? t("versions.currentText") : describe(diff.against)) : "";
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}/minutes`}>{t("versions.back")}</Link>
      </p>
      <h1>{t("of", { meeting: meetingName(meeting, t, locale) })}</h1>
      <p className="row">
        <strong>{t(`versions.kind.${version.kind}`)}</strong>
        <Time value={version.at} zone={zone} />
        {version.by ? <span className="muted">{version.by}</span> : null}
      </p>
      <Form method="get" className="row card" aria-label={t("versions.compareWith")}>
        <label htmlFor="compare">{t("versions.compareWith")}</label>
        <select id="compare" name="compare" className="input" style={{ width: "auto" }} defaultValue={compare}>
          <option value="">{t("versions.noComparison")}</option>
          <option value="current">{t("versions.currentText")}</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {describe(o)}
            </option>
          ))}
        </select>
        <button type="submit" className="button">
          {t("versions.compareButton")}
        </button>
      </Form>
      {diff ? (
        <section className="card" aria-labelledby="diff-title" style={{ marginTop: "1rem" }}>
          <h2 id="diff-title">{t("versions.diffBetween", { from: diff.newer ? thisOne : other, to: diff.newer ? other : thisOne })}</h2>
          <p className="muted small" role="status">
            {diff.parts.some((part) => part.added || part.removed) ? t("versions.diffLegend") : t("versions.noChanges")}
          </p>
          <p className="diff" style={{ whiteSpace: "pre-wrap" }}>
            {diff.parts.map((part, i) =>
              part.added ? <ins key={i}>{part.value}</ins> : part.removed ? <del key={i}>{part.value}</del> : <span key={i}>{part.value}</span>,
            )}
          </p>
        </section>
      ) : (
        <section className="card minutes-editor__content prose-html" style={{ marginTop: "1rem" }} dangerouslySetInnerHTML={{ __html: html }} />
      )}
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("minutes:versions.title"));
