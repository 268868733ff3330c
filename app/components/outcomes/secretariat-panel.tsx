import { Form } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Field, SelectField, TextareaField } from "~/components/ui/field";
import { useViewerZone } from "~/components/use-viewer-zone";

interface Props {
  document: { id: string; title: string; marking: string; status: string; authenticity: string; publicUrl: string | null };
  hash: string;
  openBrackets: number;
  translations: Array<{ language: string; final: boolean; stale: number; missing: number }>;
  issued: boolean;
  delegations: Array<{ timeZone: string }>;
}

/** What the secretariat does: silence procedure, settings, issue, public address, revision. */
export function SecretariatPanel({ document: d, hash, openBrackets, translations, delegations }: Props) {
  const { t } = useTranslation("outcomes");
  const viewerZone = useViewerZone();
  const zones = [...new Set([viewerZone, ...delegations.map((x) => x.timeZone), "UTC"])];
  const ready = translations.every((v) => v.final && !v.stale && !v.missing);
  return (
    <div className="grid-2 no-print" style={{ marginTop: "1rem" }}>
      {d.status === "negotiating" ? (
        <section className="card" aria-labelledby="start-silence-title">
          <h2 id="start-silence-title">{t("silence.start")}</h2>
          {openBrackets ? (
            <p className="muted">{t("silence.blocked", { count: openBrackets })}</p>
          ) : (
            <Form method="post" className="stack">
              <input type="hidden" name="intent" value="startSilence" />
              <p className="muted small">{t("silence.startHint")}</p>
              <Field label={t("silence.date")} name="date" type="date" required />
              <Field label={t("silence.time")} name="time" type="time" step={1} required />
              <SelectField label={t("silence.zone")} name="timeZone" defaultValue={viewerZone}>
                {zones.map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </SelectField>
              <button type="submit" className="button button--primary">
                {t("silence.start")}
              </button>
            </Form>
          )}
        </section>
      ) : null}
      {(d.status === "negotiating" || d.status === "silence") && !openBrackets ? (
        <section className="card" aria-labelledby="request-clearance-title">
          <h2 id="request-clearance-title">{t("clearance.request")}</h2>
          <p className="muted small">{t("clearance.requestHint")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="requestClearance" />
            <input type="hidden" name="hash" value={hash} />
            <button type="submit" className="button">
              {t("clearance.requestButton")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.status === "adopted" ? (
        <section className="card" aria-labelledby="issue-title-form">
          <h2 id="issue-title-form">{t("issue.title")}</h2>
          <p className="muted small">{ready ? t("issue.hint") : t("issue.notReady")}</p>
          <Form method="post" onSubmit={(e) => !confirm(t("issue.confirm")) && e.preventDefault()}>
            <input type="hidden" name="intent" value="issue" />
            <button type="submit" className="button button--primary">
              {t("issue.button")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.status === "issued" ? (
        <section className="card" aria-labelledby="public-title">
          <h2 id="public-title">{t("public.title")}</h2>
          {d.marking !== "TLP:CLEAR" ? <p className="muted small">{t("public.onlyClear")}</p> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="public" />
            <input type="hidden" name="public" value={d.publicUrl ? "0" : "1"} />
            <button type="submit" className="button" disabled={d.marking !== "TLP:CLEAR" && !d.publicUrl}>
              {d.publicUrl ? t("public.off") : t("public.on")}
            </button>
          </Form>
          <Form method="post" className="stack" style={{ marginTop: "1rem" }} onSubmit={(e) => !confirm(t("issue.reviseConfirm")) && e.preventDefault()}>
            <input type="hidden" name="intent" value="revise" />
            <TextareaField label={t("issue.reviseReason")} name="reason" rows={2} required />
            <button type="submit" className="button">
              {t("issue.revise")}
            </button>
          </Form>
        </section>
      ) : null}
      {d.status !== "issued" ? (
        <section className="card" aria-labelledby="settings-title">
          <h2 id="settings-title">{t("settings.title")}</h2>
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="settings" />
            <Field label={t("fields.title")} name="title" defaultValue={d.title} required />
            <SelectField label={t("fields.marking")} name="marking" defaultValue={d.marking}>
              {["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:RED"].map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </SelectField>
            <SelectField label={t("settings.authenticity")} name="authenticity" defaultValue={d.authenticity}>
              <option value="source">{t("settings.authenticSource")}</option>
              <option value="all">{t("settings.authenticAll")}</option>
            </SelectField>
            <button type="submit" className="button">
              {t("settings.save")}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
