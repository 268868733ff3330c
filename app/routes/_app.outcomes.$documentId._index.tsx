import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { lazy, Suspense, useEffect, useState } from "react";
import { useLive } from "~/components/agenda/use-live";
import { DelegationStrip } from "~/components/delegation-strip";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { BracketsPanel } from "~/components/outcomes/brackets-panel";
import { ClearancePanel, SilencePanel } from "~/components/outcomes/adoption-panels";
import { SecretariatPanel } from "~/components/outcomes/secretariat-panel";
import { OutcomeStatusBadge } from "~/components/outcomes/status-badge";
import { TranslationsPanel } from "~/components/outcomes/translations-panel";
import { FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { delegationView } from "~/lib/views";
import { requireUser } from "~/models/people/current-user.server";
import { issueOutcome, setPublicAddress, startRevision } from "~/models/outcomes/issue.server";
import { chooseBracketText, clearOutcome, editBracket, getOutcomePage, requestClearance, updateOutcomeSettings, withdrawBracket } from "~/models/outcomes/outcomes.server";
import { breakSilence, startSilence } from "~/models/outcomes/silence.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings", "minutes", "outcomes"] };

const OutcomeEditor = lazy(() => import("~/components/outcomes/outcome-editor.client"));

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getOutcomePage({ actor: user, documentId: params.documentId! });
    const { document: d } = page;
    const origin = new URL(request.url).origin;
    return json({
      version: d.version,
      self: { id: user.id, name: user.name, code: page.own?.code ?? null, delegationId: page.member.delegationId, role: page.member.role },
      meeting: { id: page.meeting.id, ordinal: page.meeting.ordinal, title: page.meeting.title },
      document: { id: d.id, title: d.title, kind: d.kind, marking: d.marking, status: d.status, language: d.language, authenticity: d.authenticity, adoptedAt: d.adoptedAt?.toISOString() ?? null, adoptedHow: d.adoptedHow, revision: d.revision, publicUrl: d.publicToken ? `${origin}/public/outcomes/${d.publicToken}` : null },
      symbol: page.symbol,
      html: page.html,
      hash: page.hash,
      brackets: page.brackets.map((b) => ({ id: b.id, owner: b.owner, delegationId: b.delegationId, text: b.text, alternatives: b.alternatives, choices: b.choices })),
      closedBrackets: page.closedBrackets.map((b) => ({ id: b.id, status: b.status, text: b.text, outcome: b.outcome, delegationId: b.delegationId })),
      clearances: page.clearances.map((c) => ({ ...c, at: c.at?.toISOString() ?? null })),
      silence: page.silence ? { ...page.silence, deadline: page.silence.deadline.toISOString(), startedAt: page.silence.startedAt.toISOString(), endedAt: page.silence.endedAt?.toISOString() ?? null } : null,
      translations: page.translations,
      issue: page.issue ? { sha256: page.issue.sha256, issuedAt: page.issue.issuedAt.toISOString(), symbol: page.issue.symbol } : null,
      delegations: page.delegations.map((x) => ({ ...delegationView(x), language: x.language })),
      can: page.can,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const input = { ...form, documentId: params.documentId! };
    const actor = user;
    switch (form.intent) {
      case "choose": {
        const { resolved } = await chooseBracketText({ actor, input });
        return json({ ok: true as const, done: resolved === null ? "brackets.chosen" : "brackets.resolved" });
      }
      case "withdraw":
        await withdrawBracket({ actor, input });
        return json({ ok: true as const, done: "brackets.withdrawn" });
      case "editBracket": {
        const { changed } = await editBracket({ actor, input });
        return json({ ok: true as const, done: changed ? "brackets.edited" : "brackets.unchanged" });
      }
      case "requestClearance":
        await requestClearance({ actor, input });
        return json({ ok: true as const, done: "clearance.requested" });
      case "clear": {
        const { adopted } = await clearOutcome({ actor, input });
        return json({ ok: true as const, done: adopted ? "clearance.adopted" : form.kind === "ad_referendum" ? "clearance.adReferendumDone" : "clearance.done" });
      }
      case "startSilence":
        await startSilence({ actor, input });
        return json({ ok: true as const, done: "silence.started" });
      case "breakSilence":
        await breakSilence({ actor, input });
        return json({ ok: true as const, done: "silence.brokenDone" });
      case "settings":
        await updateOutcomeSettings({ actor, input });
        return json({ ok: true as const, done: "settings.saved" });
      case "issue":
        await issueOutcome({ actor, input });
        return json({ ok: true as const, done: "issue.done" });
      case "public":
        await setPublicAddress({ actor, input });
        return json({ ok: true as const, done: form.public === "1" ? "public.turnedOn" : "public.turnedOff" });
      case "revise":
        await startRevision({ actor, input });
        return json({ ok: true as const, done: "issue.revised" });
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

/** The editor loads only in the browser; until then the stored text is shown. */
function Editor() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("outcomes");
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  const fallback = <div className="minutes-editor__page minutes-editor__content prose-html" dangerouslySetInnerHTML={{ __html: data.html }} />;
  if (!mounted) return fallback;
  const reason = data.can.write ? null : t(`editor.readOnly.${data.self.role === "official" ? "official" : data.document.status}`);
  return (
    <Suspense fallback={fallback}>
      <OutcomeEditor documentId={data.document.id} user={data.self} editable={data.can.write} canBracket={data.can.bracket} readOnlyReason={reason} />
    </Suspense>
  );
}

export default function OutcomeRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useTranslation("outcomes");
  // Brackets, choices, clearances and the silence procedure change from other capitals: keep up.
  useLive(`/outcomes/${data.document.id}/events`, data.self.id, data.version);
  const { document: d, meeting } = data;
  const languages = [d.language, ...data.translations.map((x) => x.language)];
  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link> › <Link to={`/meetings/${meeting.id}/outcomes`}>{t("list.title")}</Link>
      </p>
      <MarkedPage marking={d.marking}>
        <header className="page-header">
          <div>
            <h1>{d.title}</h1>
            <p className="row">
              <code>{data.symbol}</code>
              <span>{t(`kind.${d.kind}`)}</span>
              <OutcomeStatusBadge status={d.status} />
            </p>
          </div>
          <nav className="page-header__actions" aria-label={t("export.title")}>
            {languages.map((l) => (
              <span key={l} className="row">
                <a href={`/outcomes/${d.id}/export.pdf?lang=${l}`} className="button button--small" download>
                  {t("export.pdf", { language: t(`language.${l}`) })}
                </a>
                <a href={`/outcomes/${d.id}/export.docx?lang=${l}`} className="button button--small" download>
                  {t("export.docx", { language: t(`language.${l}`) })}
                </a>
                <a href={`/outcomes/${d.id}/export.md?lang=${l}`} className="button button--small" download>
                  {t("export.md", { language: t(`language.${l}`) })}
                </a>
              </span>
            ))}
          </nav>
        </header>

        {actionData && "done" in actionData && actionData.done ? (
          <p className="alert alert--ok" role="status">
            {t(actionData.done)}
          </p>
        ) : null}
        {actionData && "conflict" in actionData && actionData.conflict ? (
          <p className="alert alert--warn" role="alert">
            {t("clearance.changed")}
          </p>
        ) : null}
        <FormErrors errors={fieldErrorsFrom(actionData)} />

        <DelegationStrip
          label={t("clearance.title")}
          delegations={data.delegations}
          states={data.clearances.map((c) => ({ delegationId: c.delegationId, state: c.state === "cleared" || c.state === "ad_referendum" ? "current" : c.state, by: c.by }))}
          stateText={(s) => t(`clearance.state.${s}`)}
          byText={(name) => t("clearance.by", { name })}
        />
        <ul className="plain-list small" aria-label={t("clearance.details")}>
          {data.clearances.map((c) => {
            const del = data.delegations.find((x) => x.id === c.delegationId);
            return (
              <li key={c.delegationId}>
                <strong>{del?.code}</strong> {t(`clearance.kind.${c.state}`)}
                {c.duringSilence ? ` · ${t("clearance.duringSilence")}` : ""}
              </li>
            );
          })}
        </ul>

        <SilencePanel silence={data.silence} status={d.status} delegations={data.delegations} canBreak={data.can.breakSilence} />

        <section aria-labelledby="text-title" className="card" style={{ marginTop: "1rem" }}>
          <h2 id="text-title">{t("editor.title")}</h2>
          <Editor />
        </section>

        <BracketsPanel brackets={data.brackets} closed={data.closedBrackets} delegations={data.delegations} self={data.self} canChoose={data.can.choose} />

        {data.can.clear ? <ClearancePanel hash={data.hash} openBrackets={data.brackets.length} status={d.status} /> : null}

        <TranslationsPanel documentId={d.id} sourceLanguage={d.language} translations={data.translations} authenticity={d.authenticity} />

        {data.issue ? (
          <section className="card" aria-labelledby="issue-title" style={{ marginTop: "1rem" }}>
            <h2 id="issue-title">{t("issue.record")}</h2>
            <p>
              <code>{data.issue.symbol}</code> · <code className="small">{t("issue.sha", { hash: data.issue.sha256.slice(0, 16) })}…</code>
            </p>
            {d.publicUrl ? (
              <p>
                {t("public.address")} <a href={d.publicUrl}>{d.publicUrl}</a>
              </p>
            ) : null}
          </section>
        ) : null}

        {data.can.manage ? <SecretariatPanel document={d} hash={data.hash} openBrackets={data.brackets.length} translations={data.translations} issued={!!data.issue} delegations={data.delegations} /> : null}
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => title(matches, () => (data ? `${data.symbol} ${data.document.title}` : null));
