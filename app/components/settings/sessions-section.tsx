import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";

export interface SessionView {
  id: string;
  userAgent: string | null;
  address: string | null;
  lastSeenAt: string;
  current: boolean;
}

/** A readable name for a browser from its User-Agent: "Chrome on Windows". */
export function deviceName(userAgent: string | null): { browser: string | null; system: string | null } {
  const ua = userAgent ?? "";
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : null;
  const system = /Windows/.test(ua) ? "Windows" : /Android/.test(ua) ? "Android" : /iPhone|iPad/.test(ua) ? "iOS" : /Mac OS X/.test(ua) ? "macOS" : /Linux/.test(ua) ? "Linux" : null;
  return { browser, system };
}

/** Settings → "Active sessions": every browser signed in as this person, and a way to end the others. */
export function SessionsSection({ sessions, zone }: { sessions: SessionView[]; zone: string }) {
  const { t } = useTranslation("settings");
  const others = sessions.filter((s) => !s.current).length;
  return (
    <section className="card" aria-labelledby="sessions-title" style={{ marginTop: "1rem" }}>
      <h2 id="sessions-title">{t("sessions.title")}</h2>
      <ul className="card-list">
        {sessions.map((s) => {
          const { browser, system } = deviceName(s.userAgent);
          const device = browser && system ? t("sessions.device", { browser, system }) : (browser ?? system ?? t("sessions.unknownDevice"));
          return (
            <li key={s.id}>
              <strong>{device}</strong> {s.current ? <span className="badge">{t("sessions.current")}</span> : null}
              <br />
              <span className="small muted">
                {t("sessions.address")}: {s.address ?? t("sessions.unknownAddress")} · {t("sessions.lastSeen")} <Time value={s.lastSeenAt} zone={zone} />
              </span>
            </li>
          );
        })}
      </ul>
      {others > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <button type="submit" className="button button--danger">
            {t("sessions.signOutOthers")}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
