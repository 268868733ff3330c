import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction, type SerializeFrom } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useRevalidator, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from "react";
import { DelegationStrip } from "~/components/delegation-strip";
import { useTranslation } from "~/components/i18n";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { MarkedPage } from "~/components/marking";
import { LiveMarking } from "~/components/live/live-marking";
import { MINUTES_MARKING } from "~/lib/markings";
import { MinutesHistory } from "~/components/minutes/history";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { FormErrors, TextareaField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView } from "~/lib/views";
import { minutesPreview } from "~/models/minutes/preview.server";
import { actionFromSelection, adoptMinutes, approveMinutes, circulateMinutes, commentOnMinutes, getMinutesPage, restoreVersion, startAmendment, amendConstraints, commentConstraints } from "~/models/minutes/minutes.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "meetings", "minutes"] };

// The live view opens with the page; it loads the editor itself when a writer starts editing (ADR 056).
const LiveMinutes = lazy(() => import("~/components/minutes/live-minutes.client"));

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getMinutesPage({ actor: user, meetingId: params.meetingId! });
    const preview = await minutesPreview(page.meeting.id, page.seen);
    const { delegations } = page;
    return json({
      constraints: { ...amendConstraints, ...commentConstraints },
      bodySlug: page.body.slug,
      self: { id: user.id, name: user.name, code: delegations.find((d) => d.id === page.member.delegationId)?.code ?? null, delegationId: page.member.delegationId },
      meeting: meetingView(page.meeting),
      status: page.row.status,
      amending: page.row.amending,
      preview: preview.html,
      hash: preview.hash,
      approvals: page.approvals,
      versions: page.versions,
      records: page.records,
      decisions: page.decisions.map((d) => ({ id: d.id, number: d.number, text: d.text })),
      chips: page.chips,
      comments: page.comments,
      previous: page.previous ? meetingView(page.previous) : null,
      next: page.next ? meetingView(page.next) : null,
      delegations: delegations.map(delegationView),
      can: page.can,
      role: page.member.role,
      marking: page.marking,
      annex: page.annex,
    });
  });
}

type MinutesData = SerializeFrom<typeof loader>;
const lastLoaded = new Map<string, MinutesData>();

/**
 * In the browser, a reload of the page's data that fails because the network is gone keeps
 * the page (and the editor, with everything typed) as it was and says so; it never turns the
 * page into the error screen. Answers from the server (403, 404…) go on as usual.
 */
export async function clientLoader({ serverLoader, params }: ClientLoaderFunctionArgs) {
  try {
    const data = await serverLoader<typeof loader>();
    lastLoaded.set(params.meetingId!, data);
    return { ...data, stale: false };
  } catch (error) {
    const previous = lastLoaded.get(params.meetingId!);
    if (error instanceof Response || !previous) throw error;
    return { ...previous, stale: true };
  }
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const input = { ...form, meetingId: params.meetingId! };
    switch (form.intent) {
      case "circulate":
        await circulateMinutes({ actor: user, input });
        return json({ ok: true as const, done: "lifecycle.circulated" });
      case "approve":
        await approveMinutes({ actor: user, input });
        return json({ ok: true as const, done: "approvals.done" });
      case "adopt":
        await adoptMinutes({ actor: user, input });
        return json({ ok: true as const, done: "lifecycle.adopted" });
      case "amend":
        await startAmendment({ actor: user, input });
        return json({ ok: true as const, done: "lifecycle.amendStarted" });
      case "restore":
        await restoreVersion({ actor: user, input });
        return json({ ok: true as const, done: "versions.restored" });
      case "comment":
        await commentOnMinutes({ actor: user, input });
        return json({ ok: true as const, done: "comments.added" });
      case "action": {
        const item = await actionFromSelection({ actor: user, input });
        return json({ ok: true as const, done: null, item: { id: item.id, ref: item.ref, title: item.title } });
      }
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

type RaisedItem = { id: string; ref: number; title: string };

/**
 * "Action item" on a selection, through a fetcher: Remix posts it to this route's action and
 * revalidates the page's data afterwards; the editor awaits the new item to place its chip.
 */
function useActionFromSelection(meetingId: string) {
  const fetcher = useFetcher<typeof action>();
  const waiting = useRef<((item: RaisedItem | null) => void) | null>(null);
  // The fetcher object is new on every render; the callback the editor holds stays the same.
  const submit = useRef(fetcher.submit);
  submit.current = fetcher.submit;
  useEffect(() => {
    if (fetcher.state !== "idle" || !waiting.current) return;
    const answer = fetcher.data as { item?: RaisedItem } | undefined;
    waiting.current(answer?.item ?? null);
    waiting.current = null;
  }, [fetcher.state, fetcher.data]);
  return useCallback(
    (selected: string, agendaItemId: string | null) =>
      new Promise<RaisedItem | null>((resolve) => {
        waiting.current?.(null);
        waiting.current = resolve;
        submit.current({ intent: "action", title: selected, ...(agendaItemId ? { agendaItemId } : {}) }, { method: "post", action: `/meetings/${meetingId}/minutes?index` });
      }),
    [meetingId],
  );
}

/** The live minutes load only in the browser; until then (and without JavaScript) the stored text is shown. */
function Editor() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("minutes");
  const [mounted, setMounted] = useState(false);
  const revalidator = useRevalidator();
  useEffect(() => setMounted(true), []);
  const createAction = useActionFromSelection(data.meeting.id);
  // The server pushes life-cycle changes through the editor's connection; coming back to the
  // tab refreshes the rest (action-item chips' statuses).
  useEffect(() => {
    const visible = () => document.visibilityState === "visible" && revalidator.revalidate();
    document.addEventListener("visibilitychange", visible);
    return () => document.removeEventListener("visibilitychange", visible);
  }, [revalidator]);
  const reason =
    data.status === "adopted" && data.amending === null
      ? t("editor.readOnlyAdopted")
      : data.status === "circulated" && data.role !== "secretariat"
        ? t("editor.readOnlyCirculated")
        : t("editor.readOnly");
  const fallback = <div className="minutes-editor__page minutes-editor__content prose-html" dangerouslySetInnerHTML={{ __html: data.preview }} />;
  if (!mounted) return fallback;
  return (
    <Suspense fallback={fallback}>
      <LiveMinutes
        meetingId={data.meeting.id}
        user={data.self}
        editable={data.can.write}
        onChanged={() => revalidator.revalidate()}
        readOnlyReason={data.can.write ? null : reason}
        chips={data.chips}
        createAction={data.can.createAction ? createAction : null}
      />
    </Suspense>
  );
}

export default function MinutesRoute() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t, locale } = useTranslation("minutes");
  const zone = useViewerZone();
  const { meeting, can, status, amending, delegations, self } = data;
  const mine = delegations.find((d) => d.id === self.delegationId);
  // What the page last loaded is what it shows when a reload fails for want of a network.
  useEffect(() => void lastLoaded.set(meeting.id, data as MinutesData), [meeting.id, data]);
  const stale = "stale" in data && data.stale === true;
  const record = status === "adopted" ? data.records.at(-1) : undefined;
  const statusLabel = amending ? t("status.amending", { n: amending }) : t(`status.${status}`);
  const approving = status === "circulated" || amending !== null;

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <MarkedPage marking={data.marking}>
        <header className="page-header">
          <div>
            <h1>{t("of", { meeting: meetingName(meeting, t, locale) })}</h1>
            <p className="row">
              <span className={`badge ${status === "adopted" ? "badge--ok" : status === "circulated" ? "badge--info" : "badge--warn"}`}>{statusLabel}</span>
              {data.previous ? <Link to={`/meetings/${data.previous.id}/minutes`}>← {t("previous")}</Link> : null}
              {data.next ? <Link to={`/meetings/${data.next.id}/minutes`}>{t("next")} →</Link> : null}
            </p>
          </div>
          <nav className="page-header__actions" aria-label={t("export.title")}>
            {/* Adopted minutes: the main exports are the record (the latest amendment); the draft is in the history. */}
            {(["pdf", "docx", "md"] as const).map((f) => (
              <a key={f} href={`/meetings/${meeting.id}/minutes/export.${f}${record ? `?record=${record.amendment}` : ""}`} className="button" download>
                {t(`export.${f}`)}
              </a>
            ))}
          </nav>
        </header>

        {stale ? (
          <p className="alert alert--warn" role="status">
            {t("connection.pageStale")}
          </p>
        ) : null}
        {actionData && "done" in actionData && actionData.done ? (
          <p className="alert alert--ok" role="status">
            {t(actionData.done)}
          </p>
        ) : null}
        {actionData && "conflict" in actionData && actionData.conflict ? (
          <p className="alert alert--warn" role="alert">
            {t("approvals.changed")}
          </p>
        ) : null}
        <FormErrors errors={fieldErrorsFrom(actionData)} />

        {approving || status === "adopted" ? <DelegationStrip label={t("approvals.title")} delegations={delegations} states={data.approvals} stateText={(s) => t(`approvals.${s}`)} byText={(name) => t("approvals.by", { name })} /> : null}

        <section aria-labelledby="text-title" className="card" style={{ marginTop: "1rem" }}>
          <h2 id="text-title" className="visually-hidden">
            {t("editor.label")}
          </h2>
          {/* The live text's own marking and audience (ADR 037); the annex is named only to its audience. */}
          <LiveMarking marking={MINUTES_MARKING}>
            <p>{t("annex.bannerMinutes", { marking: MINUTES_MARKING })}</p>
            {data.annex ? (
              <p>
                {t("annex.bannerMinutesAnnex")} <Link to={`/meetings/${meeting.id}/minutes/annex`}>{t("annex.link")}</Link>
              </p>
            ) : null}
          </LiveMarking>
          <Editor />
        </section>

        <div className="grid-2 no-print" style={{ marginTop: "1rem" }}>
          {can.approve && approving && mine ? (
            <section className="card" aria-labelledby="approve-title">
              <h2 id="approve-title">{t("approvals.title")}</h2>
              <p className="muted small">{t("approvals.approveHint")}</p>
              <Form method="post">
                <input type="hidden" name="intent" value="approve" />
                <input type="hidden" name="hash" value={data.hash} />
                <button type="submit" className="button button--primary">
                  {t("approvals.approve", { delegation: nameIn(mine, locale) })}
                </button>
              </Form>
            </section>
          ) : null}
          {can.manage ? (
            <section className="card" aria-labelledby="lifecycle-title">
              <h2 id="lifecycle-title">{status === "draft" ? t("lifecycle.circulate") : approving ? (amending ? t("lifecycle.adoptAmendment") : t("lifecycle.adopt")) : t("lifecycle.amend")}</h2>
              {status === "draft" ? (
                <>
                  <p className="muted small">{t("lifecycle.circulateHint")}</p>
                  <ConfirmDialog
                    name="circulate"
                    intent="circulate"
                    trigger={t("lifecycle.circulateOpen")}
                    title={t("lifecycle.circulateConfirm")}
                    consequence={<p>{t("lifecycle.circulateConsequence")}</p>}
                    reasonLabel={t("lifecycle.note")}
                    reasonRequired={false}
                    confirmLabel={t("lifecycle.circulate")}
                    errors={fieldErrorsFrom(actionData)}
                  />
                </>
              ) : approving ? (
                <>
                  <p className="muted small">{t("lifecycle.adoptHint")}</p>
                  <ConfirmDialog
                    name="adopt"
                    intent="adopt"
                    trigger={t("lifecycle.adoptOpen")}
                    title={t("lifecycle.adoptConfirm")}
                    consequence={<p>{t("lifecycle.adoptConsequence")}</p>}
                    reasonLabel={t("lifecycle.note")}
                    reasonRequired={false}
                    confirmLabel={amending ? t("lifecycle.adoptAmendment") : t("lifecycle.adopt")}
                    errors={fieldErrorsFrom(actionData)}
                  />
                </>
              ) : (
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="amend" />
                  <p className="muted small">{t("lifecycle.amendHint")}</p>
                  <TextareaField label={t("lifecycle.amendReason")} name="reason" rows={2} errors={fieldErrorsFrom(actionData)?.reason} />
                  <button type="submit" className="button">
                    {t("lifecycle.amend")}
                  </button>
                </Form>
              )}
            </section>
          ) : null}
        </div>

        {data.records.length ? (
          <section className="card" aria-labelledby="record-title" style={{ marginTop: "1rem" }}>
            <h2 id="record-title">{t("record.title")}</h2>
            <ul className="plain-list">
              {data.records.map((r) => (
                <li key={r.id} className="row">
                  <strong>{r.amendment ? t("record.amendment", { n: r.amendment }) : t("record.original")}</strong>
                  <Time value={r.adoptedAt} zone={zone} />
                  <code className="small">{t("record.sha", { hash: r.sha256.slice(0, 16) })}…</code>
                  {r.reason ? <span className="small">{t("record.reason", { reason: r.reason })}</span> : null}
                  {(["pdf", "docx", "md"] as const).map((f) => (
                    <a key={f} href={`/meetings/${meeting.id}/minutes/export.${f}?record=${r.amendment}`} download>
                      {t(`export.${f}`)}
                    </a>
                  ))}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section className="card" aria-labelledby="register-title" style={{ marginTop: "1rem" }}>
          <h2 id="register-title">{t("register.title")}</h2>
          {data.decisions.length ? (
            <ol className="plain-list">
              {data.decisions.map((d) => (
                <li key={d.id} id={`decision-${d.number}`}>
                  <strong>D{d.number}</strong> {d.text}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted">{t("register.none")}</p>
          )}
        </section>

        <MinutesHistory meetingId={meeting.id} versions={data.versions} canRestore={can.restore} draftExport={!!record} />

        <section className="card" aria-labelledby="comments-title" style={{ marginTop: "1rem" }}>
          <h2 id="comments-title">{t("comments.title")}</h2>
          {data.comments.length ? (
            <ul className="plain-list">
              {data.comments.map((c) => (
                <li key={c.id}>
                  <strong>{c.by}</strong> <span className="muted small"><Time value={c.at} zone={zone} /></span>
                  <p style={{ whiteSpace: "pre-wrap" }}>{c.text}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">{t("comments.none")}</p>
          )}
          {can.comment ? (
            <Form method="post" className="stack no-print">
              <input type="hidden" name="intent" value="comment" />
              <TextareaField label={t("comments.add")} name="text" rows={2} />
              <button type="submit" className="button">
                {t("comments.submit")}
              </button>
            </Form>
          ) : null}
        </section>
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? t("minutes:of", { meeting: meetingName(data.meeting, t, locale) }) : null));
