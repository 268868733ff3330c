import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { TextareaField } from "~/components/ui/field";
import { formatInstant, zoneCity } from "~/lib/datetime";

/** A head clears the text as it is now for their capital, or agrees ad referendum. */
export function ClearancePanel({ hash, openBrackets, status }: { hash: string; openBrackets: number; status: string }) {
  const { t } = useTranslation("outcomes");
  return (
    <section className="card" aria-labelledby="clear-title" style={{ marginTop: "1rem" }}>
      <h2 id="clear-title">{t("clearance.title")}</h2>
      {openBrackets ? (
        <p className="muted">{t("clearance.blocked", { count: openBrackets })}</p>
      ) : (
        <>
          <p className="muted small">{status === "silence" ? t("clearance.hintSilence") : t("clearance.hint")}</p>
          <div className="row">
            <Form method="post">
              <input type="hidden" name="intent" value="clear" />
              <input type="hidden" name="kind" value="cleared" />
              <input type="hidden" name="hash" value={hash} />
              <button type="submit" className="button button--primary">
                {t("clearance.clear")}
              </button>
            </Form>
            <Form method="post">
              <input type="hidden" name="intent" value="clear" />
              <input type="hidden" name="kind" value="ad_referendum" />
              <input type="hidden" name="hash" value={hash} />
              <button type="submit" className="button">
                {t("clearance.adReferendum")}
              </button>
            </Form>
          </div>
        </>
      )}
    </section>
  );
}

interface Silence {
  status: string;
  deadline: string;
  timeZone: string;
  reason: string | null;
  brokenBy: string | null;
  brokenDelegationId: string | null;
}

const cityKey = (zone: string) => `outcomes:city.${zone}`;

/** The running (or last) silence procedure: its deadline in every capital's time, and "Break silence" for heads. */
export function SilencePanel({ silence, status, delegations, canBreak }: { silence: Silence | null; status: string; delegations: Array<{ id: string; code: string; timeZone: string }>; canBreak: boolean }) {
  const { t, locale } = useTranslation("outcomes");
  if (!silence) return null;
  const city = (zone: string) => (t(cityKey(zone)) === cityKey(zone) ? zoneCity(zone) : t(cityKey(zone)));
  const running = status === "silence" && silence.status === "running";
  return (
    <section className="card" aria-labelledby="silence-title" style={{ marginTop: "1rem" }}>
      <h2 id="silence-title">{running ? t("silence.running") : t(`silence.ended.${silence.status}`)}</h2>
      <p>{t("silence.deadline")}</p>
      <ul className="capital-times plain-list row" aria-label={t("silence.deadline")}>
        {delegations.map((d) => (
          <li key={d.id}>
            <strong>{city(d.timeZone)}</strong>{" "}
            <time dateTime={silence.deadline} suppressHydrationWarning>
              {formatInstant(silence.deadline, locale, d.timeZone, "dateTime")}
            </time>
          </li>
        ))}
      </ul>
      {silence.status === "broken" ? (
        <p>
          {t("silence.brokenBy", { name: silence.brokenBy ?? "—", delegation: delegations.find((d) => d.id === silence.brokenDelegationId)?.code ?? "" })} <q>{silence.reason}</q>
        </p>
      ) : null}
      {running && canBreak ? (
        <Form method="post" className="stack" onSubmit={(e) => !confirm(t("silence.breakConfirm")) && e.preventDefault()}>
          <input type="hidden" name="intent" value="breakSilence" />
          <TextareaField label={t("silence.reason")} name="reason" rows={2} required />
          <button type="submit" className="button">
            {t("silence.break")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
