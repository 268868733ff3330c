import "~/components/every-page";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, type ClientLoaderFunctionArgs } from "@remix-run/react";
import { AgendaList, preloadItemEditor, type AgendaItemView } from "~/components/agenda/agenda-list";
import { useLive } from "~/components/agenda/use-live";
import { ItemPapers, type PaperItemView } from "~/components/papers/item-papers";
import { useTranslation } from "~/components/i18n";
import { MarkedPage } from "~/components/marking";
import { FormErrors } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { highestMarking } from "~/lib/markings";
import { readPaperNotice } from "~/lib/paper-notice";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { delegationView, meetingView } from "~/lib/views";
import { getAgendaPage } from "~/models/agenda/page.server";
import { zoneQuery } from "~/components/agenda/zone-query";
import { hydrateWhenNeeded } from "~/components/ui/hydrate-when-needed";
import { concur, lockAgenda, moveItem, proposeItem, reopenAgenda, updateItem, agendaItemConstraints, reopenConstraints } from "~/models/agenda/agenda.server";
import type { I18nHandle } from "~/lib/catalogues";

// Parts of the page whose code comes when they are needed (ADR 053): the meeting's times and the
// zone picker (text, and a plain GET form), and the panels under the agenda (on screen).
const loadWhen = () => import("~/components/agenda/agenda-when");
const CapitalTimes = hydrateWhenNeeded(() => loadWhen().then((m) => m.CapitalTimes));
const AgendaZonePicker = hydrateWhenNeeded(() => loadWhen().then((m) => m.AgendaZonePicker));
// The review list and the previous minutes: links and badges that change only with the data.
const SpecialContent = hydrateWhenNeeded(() => import("~/components/agenda/agenda-special").then((m) => m.SpecialContent));
// Where each delegation stands: symbols and words, changed by live updates only.
const Concurrences = hydrateWhenNeeded(() => import("~/components/agenda/agenda-special").then((m) => m.Concurrences));
const AgendaPanels = hydrateWhenNeeded(() => import("~/components/agenda/agenda-panels").then((m) => m.AgendaPanels), { onScreen: true });

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "agenda", "meetings", "papers"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const query = new URL(request.url).searchParams;
    // The capitals' zones are read on the server: the page's code does not carry them (ADR 053).
    const page = await getAgendaPage({ actor: user, meetingId: params.meetingId!, zone: query.get("zone") });
    const itemZone = page.itemZone;
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

/**
 * After a client-side navigation there is no server HTML to show while the parts' code comes, so
 * it comes with the data (ADR 053); a page loaded from the server does not run this.
 */
export async function clientLoader({ serverLoader }: ClientLoaderFunctionArgs) {
  const parts = [CapitalTimes, AgendaZonePicker, SpecialContent, Concurrences, AgendaPanels].map((part) => part.preload());
  const [data] = await Promise.all([serverLoader<typeof loader>(), preloadItemEditor(), ...parts]);
  return data;
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

export default function AgendaRoute() {
  const data = useLoaderData<typeof loader>();
  const { meeting, items, delegations, presenters, can, concurrences, agenda, hash, self, readiness } = data;
  const actionData = useActionData<typeof action>();
  const { t, locale } = useTranslation("agenda");
  const live = useLive(`/meetings/${meeting.id}/agenda/events`, self.id, agenda.version);
  const marking = highestMarking([...items.filter((i) => i.status !== "withdrawn").map((i) => i.marking), ...data.papers.map((p) => p.marking)]);
  const planned = items.filter((i) => i.status !== "withdrawn").reduce((sum, i) => sum + i.minutes, 0);
  const overrun = planned - meeting.durationMinutes;
  const mine = delegations.find((d) => d.id === self.delegationId);

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <MarkedPage marking={marking}>
        <header className="page-header">
          <div>
            <h1>{t("of", { meeting: meetingName(meeting, t, locale) })}</h1>
            <Concurrences delegations={delegations} states={concurrences} />
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
            renderSpecial={(item) => <SpecialContent item={item} previous={data.previous} review={data.review} delegations={delegations} meetingId={meeting.id} />}
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

        {can.edit || (can.concur && mine && !agenda.lockedAt) || can.lock ? (
          <AgendaPanels
            can={can}
            agenda={agenda}
            meeting={meeting}
            self={self}
            delegations={delegations}
            presenters={presenters}
            readiness={readiness}
            hash={hash}
            defaultMarking={data.defaultMarking}
          />
        ) : null}
        {live.connected ? <p className="muted small no-print">{t("live.connected")}</p> : null}
      </MarkedPage>
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? t("agenda:of", { meeting: meetingName(data.meeting, t, locale) }) : null));
