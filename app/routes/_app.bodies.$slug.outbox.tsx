import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { env, replyAddress } from "~/lib/env.server";
import { formObject, runAction, runLoader } from "~/lib/http.server";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { requireUser } from "~/models/people/current-user.server";
import { getBodyContext } from "~/models/people/bodies.server";
import { listOutbox, retryMessage } from "~/models/core/outbox.server";
import { listInboundReplies } from "~/models/meetings/replies.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["calendar", "meetings"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const page = Math.max(1, Number(new URL(request.url).searchParams.get("page")) || 1);
    const outbox = await listOutbox({ actor: user, bodyId: body.id, page });
    const replies = await listInboundReplies({ actor: user, bodyId: body.id });
    return json({ bodySlug: body.slug, ...outbox, page, smtp: !!env().SMTP_URL, replies, replyAddress: replyAddress(), inbound: env().INBOUND_SMTP_PORT !== undefined });
  });
}

export async function action(args: ActionFunctionArgs) {
  return runAction(args, async ({ request, params }) => {
    const user = await requireUser(request);
    const { body } = await getBodyContext({ actor: user, slug: params.slug! });
    const form = await formObject(request);
    await retryMessage({ actor: user, input: { bodyId: body.id, messageId: form.messageId ?? "" } });
    return json({ ok: true as const });
  });
}

const tone = { queued: "badge--warn", sending: "badge--info", sent: "badge--ok", failed: "badge--danger" } as const;

export default function OutboxRoute() {
  const { messages, counts, hasMore, page, smtp, replies, replyAddress, inbound } = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("calendar");
  const zone = useViewerZone();
  const [params] = useSearchParams();
  const link = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("outbox.title")}</h1>
          <p className="muted">{t("outbox.intro")}</p>
        </div>
      </header>
      {!smtp ? <p className="alert alert--info">{t("outbox.noSmtp")}</p> : null}
      <p className="row">
        {(["queued", "sending", "sent", "failed"] as const).map((s) => (
          <span key={s} className={`badge ${tone[s]}`}>
            {t(`outbox.states.${s}`)}: {counts[s] ?? 0}
          </span>
        ))}
      </p>
      {messages.length === 0 ? (
        <p className="muted">{t("outbox.empty")}</p>
      ) : (
        <table className="table table--stack">
          <thead>
            <tr>
              <th scope="col">{t("outbox.created")}</th>
              <th scope="col">{t("outbox.to")}</th>
              <th scope="col">{t("outbox.subject")}</th>
              <th scope="col">{t("outbox.state")}</th>
              <th scope="col">{t("outbox.attempts")}</th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id}>
                <td data-label={t("outbox.created")}>
                  <Time value={m.createdAt} zone={zone} />
                </td>
                <td data-label={t("outbox.to")}>
                  {m.toName} <span className="muted small">&lt;{m.toEmail}&gt;</span>
                </td>
                <td data-label={t("outbox.subject")}>
                  {m.subject}
                  {m.meetingId && m.meetingOrdinal ? (
                    <div className="small">
                      <Link to={`/meetings/${m.meetingId}`}>{meetingName({ ordinal: m.meetingOrdinal, title: m.meetingTitle }, t, locale)}</Link>
                      {m.attachmentName ? <span className="muted"> · {m.attachmentName}</span> : null}
                    </div>
                  ) : null}
                </td>
                <td data-label={t("outbox.state")}>
                  <span className={`badge ${tone[m.state]}`}>{t(`outbox.states.${m.state}`)}</span>
                  {m.state === "queued" && m.attempts > 0 ? (
                    <div className="small muted">
                      {t("outbox.nextAttempt")}{" "}
                      <Time value={m.nextAttemptAt} zone={zone} style="time" />
                    </div>
                  ) : null}
                  {m.lastError ? <div className="small muted">{m.lastError}</div> : null}
                  {m.state === "failed" ? (
                    <Form method="post">
                      <input type="hidden" name="messageId" value={m.id} />
                      <button type="submit" className="button button--small">
                        {t("outbox.retry")}
                      </button>
                    </Form>
                  ) : null}
                </td>
                <td data-label={t("outbox.attempts")} className="num">
                  {m.attempts}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <nav className="pager">
        {page > 1 ? <Link to={link(page - 1)}>{t("common:actions.previous")}</Link> : null}
        {hasMore ? <Link to={link(page + 1)}>{t("common:actions.next")}</Link> : null}
      </nav>

      <section aria-labelledby="replies-title" style={{ marginTop: "2rem" }}>
        <h2 id="replies-title">{t("replies.title")}</h2>
        <p className="muted">{t("replies.intro", { address: replyAddress })}</p>
        {!inbound ? <p className="alert alert--info">{t("replies.noListener")}</p> : null}
        {replies.length === 0 ? (
          <p className="muted">{t("replies.empty")}</p>
        ) : (
          <table className="table table--stack">
            <thead>
              <tr>
                <th scope="col">{t("replies.received")}</th>
                <th scope="col">{t("replies.from")}</th>
                <th scope="col">{t("replies.what")}</th>
                <th scope="col">{t("replies.outcome")}</th>
              </tr>
            </thead>
            <tbody>
              {replies.map((r) => (
                <tr key={r.id}>
                  <td data-label={t("replies.received")}>
                    <Time value={r.receivedAt} zone={zone} />
                  </td>
                  <td data-label={t("replies.from")}>{r.fromEmail}</td>
                  <td data-label={t("replies.what")}>
                    {[r.method, r.partstat].filter(Boolean).join(" · ")}
                    {r.meetingId && r.meetingOrdinal ? (
                      <div className="small">
                        <Link to={`/meetings/${r.meetingId}`}>{meetingName({ ordinal: r.meetingOrdinal }, t, locale)}</Link>
                      </div>
                    ) : null}
                  </td>
                  <td data-label={t("replies.outcome")}>{t(`replies.outcomes.${r.outcome}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export const meta: MetaFunction = ({ matches }) => title(matches, (t) => t("calendar:outbox.title"));
