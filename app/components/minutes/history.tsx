import { Form, Link } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";

interface Version {
  id: string;
  kind: "autosave" | "circulated" | "approval" | "adopted" | "restored" | "amendment";
  label: string | null;
  at: string;
  by: string | null;
  contributors: string[];
}

/** Named versions with who contributed; view, compare with now, or (in a draft) restore. */
export function MinutesHistory({ meetingId, versions, canRestore, draftExport }: { meetingId: string; versions: Version[]; canRestore: boolean; draftExport: boolean }) {
  const { t } = useTranslation("minutes");
  const zone = useViewerZone();
  return (
    <section className="card" aria-labelledby="history-title" style={{ marginTop: "1rem" }}>
      <h2 id="history-title">{t("versions.title")}</h2>
      {versions.length === 0 ? <p className="muted">{t("versions.none")}</p> : null}
      {draftExport ? (
        <p className="row small">
          <span>{t("export.exportDraft")}:</span>
          {(["pdf", "docx", "md"] as const).map((f) => (
            <a key={f} href={`/meetings/${meetingId}/minutes/export.${f}`} download>
              {t(`export.${f}`)}
            </a>
          ))}
        </p>
      ) : null}
      <ol className="plain-list">
        {versions.map((v) => (
          <li key={v.id} className="version">
            <div className="row">
              <strong>{t(`versions.kind.${v.kind}`)}</strong>
              <Time value={v.at} zone={zone} />
              {v.by ? <span className="muted">{v.by}</span> : null}
              <Link to={`/meetings/${meetingId}/minutes/versions/${v.id}`}>{t("versions.view")}</Link>
              <Link to={`/meetings/${meetingId}/minutes/versions/${v.id}?compare=current`}>{t("versions.compare")}</Link>
              {(["pdf", "docx", "md"] as const).map((f) => (
                <a key={f} href={`/meetings/${meetingId}/minutes/export.${f}?version=${v.id}`} download aria-label={`${t(`export.${f}`)} · ${t(`versions.kind.${v.kind}`)}`}>
                  {t(`export.${f}`)}
                </a>
              ))}
              {canRestore ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="restore" />
                  <input type="hidden" name="versionId" value={v.id} />
                  <button type="submit" className="button button--small" title={t("versions.restoreHint")}>
                    {t("versions.restore")}
                  </button>
                </Form>
              ) : null}
            </div>
            {v.contributors.length ? <p className="small muted">{t("versions.contributors", { names: v.contributors.join(", ") })}</p> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
