import { Form } from "@remix-run/react";
import { DelegationBadge } from "~/components/delegation-badge";
import { useTranslation } from "~/components/i18n";
import type { DelegationView } from "~/lib/views";

type Response = "accepted" | "tentative" | "declined" | "none";

interface Invitee {
  userId: string;
  name: string;
  delegationId: string | null;
  response: Response;
  respondedVia?: "page" | "calendar" | null;
}

interface Props {
  invitees: Invitee[];
  mine: Invitee | null;
  delegations: DelegationView[];
  canRespond: boolean;
}

const symbol: Record<Response, string> = { accepted: "✓", tentative: "?", declined: "✕", none: "…" };

/** The viewer's own answer, and who else is coming, by delegation. */
export function InvitationPanel({ invitees, mine, delegations, canRespond }: Props) {
  const { t } = useTranslation("meetings");
  const count = (r: Response) => invitees.filter((i) => i.response === r).length;
  const groups = [...delegations.map((d) => ({ key: d.id, delegation: d as DelegationView | null })), { key: "secretariat", delegation: null }];
  return (
    <>
      <section className="card" aria-labelledby="response-title" style={{ marginTop: "1rem" }}>
        <h2 id="response-title">{t("response.title")}</h2>
        {mine ? (
          <>
            {/* Only an answer given is "You answered"; before that, say that none is recorded. */}
            <p>{mine.response === "none" ? t("response.notYet") : t("response.current", { answer: t(`answers.${mine.response}`) })}</p>
            {canRespond ? (
              <Form method="post" className="response-buttons">
                <input type="hidden" name="intent" value="respond" />
                {(["accepted", "tentative", "declined"] as const).map((r) => (
                  <button key={r} type="submit" name="response" value={r} className="button" aria-pressed={mine.response === r}>
                    {t(`response.${r}`)}
                  </button>
                ))}
              </Form>
            ) : null}
          </>
        ) : (
          <p className="muted">{t("response.notInvited")}</p>
        )}
      </section>
      <section className="card" aria-labelledby="invitees-title" style={{ marginTop: "1rem" }}>
        <h2 id="invitees-title">{t("invitees.title")}</h2>
        {invitees.length === 0 ? (
          <p className="muted">{t("invitees.none")}</p>
        ) : (
          <>
            <p className="muted small">
              {t("invitees.summary", { accepted: count("accepted"), tentative: count("tentative"), declined: count("declined"), none: count("none") })}
            </p>
            <div className="grid-2">
              {groups.map(({ key, delegation }) => {
                const people = invitees.filter((i) => (delegation ? i.delegationId === delegation.id : i.delegationId === null));
                if (people.length === 0) return null;
                return (
                  <div key={key}>
                    <h3>{delegation ? <DelegationBadge delegation={delegation} /> : t("invitees.secretariat")}</h3>
                    <ul className="plain-list" role="list">
                      {people.map((p) => (
                        <li key={p.userId}>
                          <span aria-hidden="true" className={`answer answer--${p.response}`}>
                            {symbol[p.response]}
                          </span>{" "}
                          {p.name}{" "}
                          <span className="muted small">
                            — {t(`answers.${p.response}`)}
                            {p.response !== "none" && p.respondedVia === "calendar" ? ` (${t("answeredVia.calendar")})` : ""}
                          </span>
                        </li>
                      ))}
                    </ul>
                  </div>
                );
              })}
            </div>
          </>
        )}
      </section>
    </>
  );
}
