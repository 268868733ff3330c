import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData } from "@remix-run/react";
import { DueDate } from "~/components/actions/due-date";
import { ActionStatusBadge } from "~/components/actions/status-badge";
import { AgendaList, type AgendaItemView } from "~/components/agenda/agenda-list";
import { ProposeItem } from "~/components/agenda/propose-item";
import { useLive } from "~/components/agenda/use-live";
import { ItemPapers, type PaperItemView } from "~/components/papers/item-papers";
import { DelegationStrip } from "~/components/delegation-strip";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { CapitalTimes } from "~/components/meetings/capital-times";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { highestMarking } from "~/lib/markings";
import { readPaperNotice } from "~/lib/paper-notice";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView } from "~/lib/views";
import { getAgendaPage } from "~/models/agenda/page.server";
import { chosenZone } from "~/lib/capitals";
import { AgendaZonePicker, zoneQuery } from "~/components/agenda/zone-picker";
import { concur, lockAgenda, moveItem, proposeItem, reopenAgenda, updateItem, agendaItemConstraints, reopenConstraints } from "~/models/agenda/agenda.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "agenda", "meetings", "papers"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getAgendaPage({ actor: user, meetingId: params.meetingId! });
    const query = new URL(request.url).searchParams;
    const itemZone = chosenZone(query.get("zone"), page.viewerZone, page.delegations);
    return json({
      // Back from a paper posted without JavaScript: what happened, shown at the item.
      paperNotice: readPaperNotice(query),
      itemZone,
      constraints: { ...agendaItemConstraints, ...reopenConstraints },
      bodySlug: page.body.slug,
      self: { id: user.id, delegationId: page.member.delegationId },
      meeting: meetingView(page.meeting),
      agenda: { version: page.agenda.version, lockedAt: page.agenda.lockedAt?.toISOString() ?? null },
      hash: page.hash,
      items: page.items.map(
        (i): AgendaItemView => ({
          id: i.id,
          title: i.title,
          description: i.description,
          kind: i.kind,
          special: i.special,
          leadDelegationId: i.leadDelegationId,
          presenterId: i.presenterId,
          minutes: i.minutes,
          marking: i.marking,
          status: i.status,
          version: i.version,
          restricted: i.restricted,
        }),
      ),
      papers: page.papers.map(
        (p): PaperItemView => ({
          ...p,
          versions: p.versions.map((v) => ({ id: v.id, revision: v.revision, symbol: v.symbol, filename: v.filename, size: v.size, at: v.at.toISOString() })),
          reads: p.reads?.map((r) => ({ name: r.name, at: r.at.toISOString(), via: r.via })) ?? null,
        }),
      ),
      paperLimitMb: page.paperLimitMb,
      concurrences: page.concurrences,
      readiness: page.readiness,
      delegations: page.delegations.map(delegationView),
      presenters: page.presenters,
      viewerZone: page.viewerZone,
      previous: page.previous ? { meeting: meetingView(page.previous.meeting), minutes: page.previous.minutes } : null,
      review: page.review,
      can: page.can,
      defaultMarking: page.body.defaultMarking,
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const input = { ...form, meetingId: params.meetingId! };
    switch (form.intent) {
      case "propose":
        await proposeItem({ actor: user, input });
        return json({ ok: true as const, done: "items.added" });
      case "update":
        await updateItem({ actor: user, input });
        return json({ ok: true as const, done: "items.saved" });
      case "move":
        await moveItem({ actor: user, input });
        return json({ ok: true as const, done: null });
      case "concur":
        await concur({ actor: user, input });
        return json({ ok: true as const, done: "concurrence.done" });
      case "lock":
        await lockAgenda({ actor: user, input });
        return json({ ok: true as const, done: "lock.done" });
      case "reopen":
        await reopenAgenda({ actor: user, input });
        return json({ ok: true as const, done: "lock.reopened" });
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

function SpecialContent({ item }: { item: AgendaItemView }) {
  const { previous, review, delegations, meeting } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("agenda");
  if (item.special === "minutes_adoption") {
    if (!previous) return <p className="small muted">{t("adoption.noPrevious")}</p>;
    return (
      <p className="small">
        <Link to={`/meetings/${previous.meeting.id}/minutes`}>{t("adoption.previous", { meeting: meetingName(previous.meeting, t, locale) })}</Link>
        {" — "}
        {t(`adoption.status.${previous.minutes}`)}
      </p>
    );
  }
  return (
    <div className="small">
      <p>{review.length ? t("review.intro") : t("review.none")}</p>
      {review.length ? (
        <ul className="plain-list">
          {review.map((a) => {
            const owner = delegations.find((d) => d.id === a.ownerDelegationId);
            return (
              <li key={a.id} className="row">
                <Link to={`/actions/${a.id}`}>
                  {t("actions:ref", { ref: a.ref })} {a.title}
                </Link>
                {owner ? <span className="muted">{owner.code}</span> : null}
                <ActionStatusBadge status={a.status} />
                <DueDate dueOn={a.dueOn} dueKind="date" overdue={false} />
              </li>
            );
          })}
        </ul>
      ) : null}
      <Link to={`/meetings/${meeting.id}/actions`}>{t("review.followUp")}</Link>
    </div>
  );
}

/** Why a head cannot concur yet, and who can settle it: locking must change nothing they agreed to. */
function NotReady({ readiness }: { readiness: { overBy: number; unsettled: Array<{ id: string; title: string }> } }) {
  const { t } = useTranslation("agenda");
  return (
    <div className="alert alert--info" id="concur-not-ready">
      <p>{t("readiness.intro")}</p>
      <ul>
        {readiness.overBy > 0 ? <li>{t("readiness.overrun", { count: readiness.overBy })}</li> : null}
        {readiness.unsettled.length > 0 ? (
          <li>
            {t("readiness.unsettled", { count: readiness.unsettled.length })}{" "}
            <span className="muted">{readiness.unsettled.map((i) => i.title).join(" · ")}</span>
          </li>
        ) : null}
      </ul>
    </div>
  );
}

export default function AgendaRoute() {
  const data = useLoaderData<typeof loader>();
  const { meeting, items, delegations, presenters, can, concurrences, agenda, hash, self } = data;
  const actionData = useActionData<typeof action>();
  const { t, locale } = useTranslation("agenda");
  const live = useLive(`/meetings/${meeting.id}/agenda/events`, self.id, agenda.version);
  const proposer = useFetcher<typeof action>({ key: "agenda-propose" });
  const concurrer = useFetcher<typeof action>({ key: "agenda-concur" });
  const marking = highestMarking([...items.filter((i) => i.status !== "withdrawn").map((i) => i.marking), ...data.papers.map((p) => p.marking)]);
  const planned = items.filter((i) => i.status !== "withdrawn").reduce((sum, i) => sum + i.minutes, 0);
  const overrun = planned - meeting.durationMinutes;
  const mine = delegations.find((d) => d.id === self.delegationId);
  const proposeFailure = proposer.data && !proposer.data.ok ? proposer.data : null;
  const concurFailure = concurrer.data && !concurrer.data.ok ? concurrer.data : null;

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <MarkedPage marking={marking}>
        <header className="page-header">
          <div>
            <h1>{t("of", { meeting: meetingName(meeting, t, locale) })}</h1>
            <DelegationStrip label={t("concurrence.title")} delegations={delegations} states={concurrences} stateText={(s) => t(`concurrence.${s}`)} byText={(name) => t("concurrence.by", { name })} />
          </div>
          <div className="page-header__actions">
            <Link to={`print${zoneQuery(data.itemZone)}`} className="button">
              {t("export.print")}
            </Link>
            <a href={`/meetings/${meeting.id}/agenda.pdf${zoneQuery(data.itemZone)}`} className="button" download>
              {t("export.pdf")}
            </a>
            <a href={`/meetings/${meeting.id}/agenda.docx${zoneQuery(data.itemZone)}`} className="button" download>
              {t("export.docx")}
            </a>
            <a href={`/meetings/${meeting.id}/book.pdf`} className="button" download>
              {t("papers:book.link")}
            </a>
          </div>
        </header>

        <p className="visually-hidden" aria-live="polite">
          {live.lastBy ? t("live.updated", { name: live.lastBy }) : ""}
        </p>
        {agenda.lockedAt ? (
          <p className="alert alert--info">
            <span aria-hidden="true">🔒 </span>
            {t("lock.lockedBanner")}
          </p>
        ) : null}
        {actionData && "done" in actionData && actionData.done ? (
          <p className="alert alert--ok" role="status">
            {t(actionData.done)}
          </p>
        ) : null}
        <FormErrors errors={fieldErrorsFrom(actionData)} />

        <section className="card" aria-labelledby="when-title">
          <h2 id="when-title" className="visually-hidden">
            {t("meetings:detail.when")}
          </h2>
          <CapitalTimes start={meeting.startsAt} durationMinutes={meeting.durationMinutes} capitals={delegations} viewerZone={data.viewerZone} />
          <p className={`agenda-clock${overrun > 0 ? " due--overdue" : ""}`} role="status">
            <strong>{t("clock.total", { planned, length: meeting.durationMinutes })}</strong>
            <span>{overrun > 0 ? `⚠ ${t("clock.overrun", { count: overrun })}` : t("clock.fits")}</span>
          </p>
          <AgendaZonePicker zone={data.itemZone} viewerZone={data.viewerZone} capitals={delegations} at={meeting.startsAt} />
        </section>

        <section aria-labelledby="items-title" style={{ marginTop: "1rem" }}>
          <h2 id="items-title" className="visually-hidden">
            {t("title")}
          </h2>
          <AgendaList
            items={items}
            start={meeting.startsAt}
            timeZone={data.itemZone}
            delegations={delegations}
            presenters={presenters}
            editable={can.edit}
            renderSpecial={(item) => <SpecialContent item={item} />}
            renderPapers={(item) => (
              <ItemPapers
                meetingId={meeting.id}
                agendaItemId={item.id}
                itemTitle={item.title}
                papers={data.papers.filter((p) => p.agendaItemId === item.id)}
                canAdd={can.addPapers}
                delegations={delegations}
                selfDelegationId={self.delegationId}
                viewerZone={data.viewerZone}
                limitMb={data.paperLimitMb}
                defaultMarking={data.defaultMarking}
                notice={data.paperNotice}
              />
            )}
          />
        </section>

        {can.edit ? (
          <ProposeItem
            notice={
              proposer.data?.ok ? (
                <p className="alert alert--ok" role="status">
                  {t("items.added")}
                </p>
              ) : null
            }
            resetKey={proposer.data?.ok ? `p${agenda.version}` : "propose"}
            values={{ title: "", description: "", kind: "discussion", leadDelegationId: self.delegationId, presenterId: null, minutes: 15, marking: data.defaultMarking }}
            delegations={delegations}
            presenters={presenters}
            submitLabel={t("items.addSubmit")}
            failure={proposeFailure}
          />
        ) : null}

        <div className="grid-2 no-print" style={{ marginTop: "1rem" }}>
          {can.concur && mine && !agenda.lockedAt ? (
            <section className="card" aria-labelledby="concur-title">
              <h2 id="concur-title">{t("concurrence.title")}</h2>
              <p className="muted small">{t("concurrence.concurHint")}</p>
              {concurFailure && "conflict" in concurFailure && concurFailure.conflict ? (
                <p className="alert alert--warn" role="alert">
                  {t("concurrence.changed")}
                </p>
              ) : null}
              {concurrer.data?.ok ? (
                <p className="alert alert--ok" role="status">
                  {t("concurrence.done")}
                </p>
              ) : null}
              {data.readiness.ready ? (
                <concurrer.Form method="post">
                  <input type="hidden" name="intent" value="concur" />
                  <input type="hidden" name="hash" value={hash} />
                  <button type="submit" className="button button--primary">
                    {t("concurrence.concur", { delegation: nameIn(mine, locale) })}
                  </button>
                </concurrer.Form>
              ) : (
                <NotReady readiness={data.readiness} />
              )}
            </section>
          ) : null}
          {can.lock ? (
            <section className="card" aria-labelledby="lock-title">
              <h2 id="lock-title">{agenda.lockedAt ? t("lock.reopen") : t("lock.title")}</h2>
              {agenda.lockedAt ? (
                <>
                  <p className="muted small">{t("lock.reopenHint")}</p>
                  <ConfirmDialog
                    name="reopen"
                    intent="reopen"
                    trigger={t("lock.reopenOpen")}
                    title={t("lock.reopenConfirm", { meeting: meetingName(meeting, t, locale) })}
                    consequence={<p>{t("lock.reopenConsequence")}</p>}
                    reasonLabel={t("lock.reopenReason")}
                    confirmLabel={t("lock.reopen")}
                    errors={fieldErrorsFrom(actionData)}
                  />
                </>
              ) : (
                <>
                  <p className="muted small">{t("lock.hint")}</p>
                  <ConfirmDialog
                    name="lock"
                    intent="lock"
                    trigger={t("lock.open")}
                    title={t("lock.confirm", { meeting: meetingName(meeting, t, locale) })}
                    consequence={<p>{t("lock.consequence")}</p>}
                    reasonLabel={t("lock.note")}
                    reasonRequired={false}
                    confirmLabel={t("lock.submit")}
                    errors={fieldErrorsFrom(actionData)}
                  />
                </>
              )}
            </section>
          ) : null}
        </div>
        {live.connected ? <p className="muted small no-print">{t("live.connected")}</p> : null}
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? t("agenda:of", { meeting: meetingName(data.meeting, t, locale) }) : null));
