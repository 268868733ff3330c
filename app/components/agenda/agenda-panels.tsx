import "~/components/every-page";
import { useActionData, useFetcher } from "@remix-run/react";
import { AgendaItemForm } from "./agenda-item-form";
import type { Delegation } from "./agenda-types";
import { useTranslation } from "~/components/i18n";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import type { Message } from "~/lib/errors";
import { fieldErrorsFrom } from "~/lib/forms";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";

type Answer = { ok: true; done: string | null } | { ok: false; fieldErrors?: Record<string, Message[]>; submitted?: Record<string, string>; conflict?: unknown };

export interface AgendaPanelsProps {
  can: { edit: boolean; concur: boolean; lock: boolean };
  agenda: { version: number; lockedAt: string | null };
  meeting: { ordinal: number; title?: string | null };
  self: { id: string; delegationId: string | null };
  delegations: Delegation[];
  presenters: Array<{ id: string; name: string; delegationId: string | null }>;
  readiness: { ready: boolean; overBy: number; unsettled: Array<{ id: string; title: string }> };
  hash: string;
  defaultMarking: string;
}

/**
 * The panels under the agenda: proposing an item, a head's concurrence, the secretariat's lock.
 * Hydrated when needed (ADR 053): on screen, pointed at, focused or about to change; the route
 * renders them through `hydrateWhenNeeded`, so their forms post without it meanwhile.
 */
export function AgendaPanels({ can, agenda, meeting, self, delegations, presenters, readiness, hash, defaultMarking }: AgendaPanelsProps) {
  const { t, locale } = useTranslation("agenda");
  const actionData = useActionData<Answer>();
  const proposer = useFetcher<Answer>({ key: "agenda-propose" });
  const concurrer = useFetcher<Answer>({ key: "agenda-concur" });
  const mine = delegations.find((d) => d.id === self.delegationId);
  const proposeFailure = proposer.data && !proposer.data.ok ? proposer.data : null;
  const concurFailure = concurrer.data && !concurrer.data.ok ? concurrer.data : null;
  const name = meetingName(meeting, t, locale);
  return (
    <>
      {can.edit ? (
        <section className="card no-print" aria-labelledby="propose-title" style={{ marginTop: "1rem" }}>
          <h2 id="propose-title">{t("items.add")}</h2>
          {proposer.data?.ok ? (
            <p className="alert alert--ok" role="status">
              {t("items.added")}
            </p>
          ) : null}
          <AgendaItemForm
            key={proposer.data?.ok ? `p${agenda.version}` : "propose"}
            intent="propose"
            values={{ title: "", description: "", kind: "discussion", leadDelegationId: self.delegationId, presenterId: null, minutes: 15, marking: defaultMarking }}
            delegations={delegations}
            presenters={presenters}
            submitLabel={t("items.addSubmit")}
            failure={proposeFailure}
            fetcherKey="agenda-propose"
          />
        </section>
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
            {readiness.ready ? (
              <concurrer.Form method="post">
                <input type="hidden" name="intent" value="concur" />
                <input type="hidden" name="hash" value={hash} />
                <button type="submit" className="button button--primary">
                  {t("concurrence.concur", { delegation: nameIn(mine, locale) })}
                </button>
              </concurrer.Form>
            ) : (
              <NotReady readiness={readiness} />
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
                  title={t("lock.reopenConfirm", { meeting: name })}
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
                  title={t("lock.confirm", { meeting: name })}
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
    </>
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
