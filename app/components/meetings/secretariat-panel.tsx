import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import type { Message } from "~/lib/errors";
import { meetingName } from "~/lib/meeting-names";
import { nameIn } from "~/lib/names";
import type { DelegationView, MeetingView } from "~/lib/views";

interface Props {
  meeting: MeetingView;
  delegations: DelegationView[];
  invited: boolean;
  past: boolean;
  errors?: Record<string, Message[]> | null;
}

/** Sending invitations, cancelling and marking held: the secretariat's controls on a meeting page. */
export function SecretariatPanel({ meeting, delegations, invited, past, errors }: Props) {
  const { t, locale } = useTranslation("meetings");
  const open = meeting.status === "draft" || meeting.status === "scheduled";
  return (
    <div className="grid-2" style={{ marginTop: "1rem" }}>
      {open && !past ? (
        <section className="card" aria-labelledby="send-title">
          <h2 id="send-title">{t("send.title")}</h2>
          <p className="muted small">{invited ? t("send.introAgain") : t("send.intro")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="invite" />
            <fieldset>
              <legend>{t("send.delegations")}</legend>
              {delegations.map((d) => (
                <label key={d.id} className="checkbox">
                  <input type="checkbox" name="delegationIds" value={d.id} defaultChecked />
                  <span>
                    {d.code} · {nameIn(d, locale)}
                  </span>
                </label>
              ))}
            </fieldset>
            <div className="form-actions">
              <button type="submit" className="button button--primary">
                {t("send.submit")}
              </button>
            </div>
          </Form>
        </section>
      ) : null}
      {meeting.status === "scheduled" && past ? (
        <section className="card" aria-labelledby="held-title">
          <h2 id="held-title">{t("held.title")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="held" />
            <input type="hidden" name="version" value={meeting.version} />
            <button type="submit" className="button">
              {t("held.submit")}
            </button>
          </Form>
        </section>
      ) : null}
      {open ? (
        <section className="card" aria-labelledby="cancel-title">
          <h2 id="cancel-title">{t("cancel.title")}</h2>
          <p className="muted small">{t("cancel.intro")}</p>
          <ConfirmDialog
            name="cancel"
            intent="cancel"
            danger
            trigger={t("cancel.open")}
            title={t("cancel.confirmTitle", { meeting: meetingName(meeting, t, locale) })}
            consequence={<p>{invited ? t("cancel.consequenceInvited") : t("cancel.consequenceDraft")}</p>}
            reasonLabel={t("cancel.reason")}
            confirmLabel={t("cancel.submit")}
            hidden={{ version: meeting.version }}
            errors={errors}
          />
        </section>
      ) : null}
    </div>
  );
}
