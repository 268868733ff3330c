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
  /** A virtual or hybrid meeting without a link: sending asks for a confirmation first. */
  needsLink: boolean;
  errors?: Record<string, Message[]> | null;
}

/** Sending invitations, cancelling and marking held: the secretariat's controls on a meeting page. */
export function SecretariatPanel({ meeting, delegations, invited, past, needsLink, errors }: Props) {
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
            {needsLink ? (
              <div className="alert alert--warn" role="note">
                <p>{t("send.noLinkWarning")}</p>
                <label className="checkbox">
                  <input type="checkbox" name="confirmNoLink" value="on" required aria-describedby="send-no-link-help" />
                  <span>{t("send.confirmNoLink")}</span>
                </label>
                <p id="send-no-link-help" className="muted small">
                  {t("send.noLinkHelp")}
                </p>
              </div>
            ) : null}
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
