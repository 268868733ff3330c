import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { Field, FormErrors, SelectField } from "~/components/ui/field";
import { fieldErrorsFrom } from "~/lib/forms";
import { runForm, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { delegationView, meetingView } from "~/lib/views";
import { addParticipant, getParticipantsPage, publishList, removeParticipant, submitList, takeRoll } from "~/models/participants/participants.server";
import { requireUser } from "~/models/people/current-user.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["meetings", "participants"] };

const ROLES = ["head", "alternate", "adviser", "expert"] as const;
const ATTENDANCE = ["present", "remote", "absent"] as const;

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const page = await getParticipantsPage({ actor: user, meetingId: params.meetingId! });
    const groups = [...page.delegations.map((d) => d.id), null];
    return json({
      meeting: meetingView(page.meeting),
      delegations: page.delegations.map(delegationView),
      viewerZone: page.viewerZone,
      lists: groups.map((delegationId) => ({
        delegationId,
        canEdit: page.can.edit(delegationId),
        submission: delegationId ? (page.submissions.find((s) => s.delegationId === delegationId) ?? null) : null,
        members: page.can.edit(delegationId) ? page.members.filter((m) => m.delegationId === delegationId).map((m) => ({ id: m.userId, name: m.name })) : [],
        entries: page.entries
          .filter((e) => e.delegationId === delegationId)
          .map((e) => ({ id: e.id, name: e.name, title: e.title, agency: e.agency, role: e.role, member: !!e.userId, attendance: e.attendance })),
      })),
      published: page.published ? { symbol: page.published.symbol, at: page.published.publishedAt.toISOString(), count: page.published.entries.length } : null,
      can: { publish: page.can.publish, roll: page.can.roll },
    });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runForm(args, async ({ request, params, form }) => {
    const user = await requireUser(request);
    const meetingId = params.meetingId!;
    const input = { ...form, meetingId };
    switch (form.intent) {
      case "add":
        await addParticipant({ actor: user, input });
        return json({ ok: true as const, done: "done.added" });
      case "remove":
        await removeParticipant({ actor: user, input });
        return json({ ok: true as const, done: "done.removed" });
      case "submit":
        await submitList({ actor: user, input });
        return json({ ok: true as const, done: "done.submitted" });
      case "publish":
        await publishList({ actor: user, input });
        return json({ ok: true as const, done: "done.published" });
      case "roll": {
        const attendance = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith("attendance.")).map(([k, v]) => [k.slice("attendance.".length), v]));
        await takeRoll({ actor: user, input: { meetingId, attendance } });
        return json({ ok: true as const, done: "roll.saved" });
      }
      default:
        return json({ ok: false as const, fieldErrors: { "": [{ key: "errors:validation.choice" }] } }, { status: 400 });
    }
  });
}

export default function ParticipantsRoute() {
  const { meeting, delegations, lists, published, can, viewerZone } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t, locale } = useTranslation("participants");
  const errors = fieldErrorsFrom(data);
  const done = data && data.ok ? data.done : null;
  const anyone = lists.some((l) => l.entries.length > 0);
  const busy = navigation.state !== "idle";

  return (
    <div className="page">
      <p className="breadcrumbs">
        <Link to={`/meetings/${meeting.id}`}>{meetingName(meeting, t, locale)}</Link>
      </p>
      <header className="page-header">
        <div>
          <h1>{t("titleOf", { meeting: meetingName(meeting, t, locale) })}</h1>
          <p className="muted">{t("intro")}</p>
        </div>
      </header>
      {done ? (
        <p className="alert alert--ok" role="status">
          {t(done)}
        </p>
      ) : null}
      <FormErrors errors={errors} />

      <section className="card" aria-labelledby="published-title">
        <h2 id="published-title">{published ? t("published", { symbol: published.symbol }) : t("publish")}</h2>
        {published ? (
          <p className="small">
            <Time value={published.at} zone={viewerZone} /> ·{" "}
            <a href={`/meetings/${meeting.id}/participants.pdf`} download>
              {t("download")}
            </a>
          </p>
        ) : (
          <p className="small muted">{t("notPublished")}</p>
        )}
        {can.publish ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="publish" />
            <p className="small muted">{t("publishHint")}</p>
            <button type="submit" className="button button--primary" disabled={!anyone || busy}>
              {published ? t("republish") : t("publish")}
            </button>
          </Form>
        ) : null}
      </section>

      {lists.map((list) => {
        const delegation = delegations.find((d) => d.id === list.delegationId);
        const label = delegation ? nameIn(delegation, locale) : t("secretariat");
        const headingId = `list-${list.delegationId ?? "secretariat"}`;
        if (!delegation && list.entries.length === 0 && !list.canEdit) return null;
        return (
          <section key={headingId} className="card" aria-labelledby={headingId} style={{ marginTop: "1rem" }}>
            <h2 id={headingId} className="row">
              {delegation ? <DelegationBadge delegation={delegation} /> : label}
            </h2>
            {list.submission ? (
              <p className="small">
                {list.submission.at ? (
                  <>
                    {t("submitted", { name: list.submission.by ?? "—" })} · <Time value={list.submission.at} zone={viewerZone} />
                    {list.submission.changedSince ? <span className="badge badge--warn"> {t("changedSince")}</span> : null}
                  </>
                ) : (
                  <span className="badge badge--warn">{t("notSubmitted")}</span>
                )}
              </p>
            ) : null}
            {list.entries.length ? (
              <table className="table participants-table">
                <thead>
                  <tr>
                    <th scope="col">{t("fields.name")}</th>
                    <th scope="col">{t("fields.title")}</th>
                    <th scope="col">{t("fields.agency")}</th>
                    <th scope="col">{t("fields.role")}</th>
                    {list.canEdit ? <th scope="col"><span className="visually-hidden">{t("remove", { name: "" })}</span></th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.entries.map((e) => (
                    <tr key={e.id}>
                      <td>{e.name}</td>
                      <td data-label={t("fields.title")}>{e.title}</td>
                      <td data-label={t("fields.agency")}>{e.agency}</td>
                      <td data-label={t("fields.role")}>{t(`role.${e.role}`)}</td>
                      {list.canEdit ? (
                        <td>
                          <Form method="post">
                            <input type="hidden" name="intent" value="remove" />
                            <input type="hidden" name="participantId" value={e.id} />
                            <button type="submit" className="button button--small">
                              {t("remove", { name: e.name })}
                            </button>
                          </Form>
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="muted small">{t("none")}</p>
            )}
            {list.canEdit ? (
              <details style={{ marginTop: "0.75rem" }}>
                <summary>{t("addFor", { delegation: label })}</summary>
                <Form method="post" className="stack">
                  <input type="hidden" name="intent" value="add" />
                  <input type="hidden" name="delegationId" value={list.delegationId ?? ""} />
                  <SelectField label={t("fields.member")} name="userId" defaultValue="" errors={errors?.userId}>
                    <option value="">{t("fields.notMember")}</option>
                    {list.members.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.name}
                      </option>
                    ))}
                  </SelectField>
                  <Field label={t("fields.name")} name="name" hint={t("fields.nameHint")} errors={errors?.name} />
                  <Field label={t("fields.title")} name="title" errors={errors?.title} />
                  <Field label={t("fields.agency")} name="agency" errors={errors?.agency} />
                  <SelectField label={t("fields.role")} name="role" defaultValue="expert" errors={errors?.role}>
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {t(`role.${r}`)}
                      </option>
                    ))}
                  </SelectField>
                  <button type="submit" className="button" disabled={busy}>
                    {t("add")}
                  </button>
                </Form>
              </details>
            ) : null}
            {list.canEdit && delegation ? (
              <Form method="post" style={{ marginTop: "0.75rem" }}>
                <input type="hidden" name="intent" value="submit" />
                <input type="hidden" name="delegationId" value={delegation.id} />
                <button type="submit" className="button button--primary button--wrap" disabled={busy}>
                  {t("submit", { delegation: label })}
                </button>
              </Form>
            ) : null}
          </section>
        );
      })}

      {can.roll && anyone ? (
        <section className="card" aria-labelledby="roll-title" style={{ marginTop: "1rem" }}>
          <h2 id="roll-title">{t("roll.title")}</h2>
          <p className="small muted">{t("roll.hint")}</p>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="roll" />
            {lists.flatMap((list) =>
              list.entries.map((e) => (
                <SelectField key={e.id} label={t("roll.of", { name: e.name })} name={`attendance.${e.id}`} defaultValue={e.attendance ?? ""}>
                  <option value="">{t("roll.unset")}</option>
                  {ATTENDANCE.map((a) => (
                    <option key={a} value={a}>
                      {t(`attendance.${a}`)}
                    </option>
                  ))}
                </SelectField>
              )),
            )}
            <button type="submit" className="button button--primary" disabled={busy}>
              {t("roll.save")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data, matches }) =>
  title(matches, (t, locale) => (data ? t("participants:titleOf", { meeting: meetingName(data.meeting, t, locale) }) : null));
