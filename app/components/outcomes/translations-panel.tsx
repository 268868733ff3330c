import { Link } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";

interface Summary {
  language: string;
  final: boolean;
  current: number;
  stale: number;
  missing: number;
}

/** Each language version: final or draft, and how many paragraphs are current, stale or missing. */
export function TranslationsPanel({ documentId, sourceLanguage, translations, authenticity }: { documentId: string; sourceLanguage: string; translations: Summary[]; authenticity: string }) {
  const { t } = useTranslation("outcomes");
  return (
    <section className="card" aria-labelledby="versions-title" style={{ marginTop: "1rem" }}>
      <h2 id="versions-title">{t("versions.title")}</h2>
      <p className="small">{t("versions.source", { language: t(`language.${sourceLanguage}`) })} · {authenticity === "all" ? t("versions.authenticAll") : t("versions.authenticSource", { language: t(`language.${sourceLanguage}`) })}</p>
      <ul className="plain-list stack">
        {translations.map((v) => (
          <li key={v.language} className="row">
            <Link to={`/outcomes/${documentId}/versions/${v.language}`}>{t("versions.open", { language: t(`language.${v.language}`) })}</Link>
            <span className={`badge ${v.final ? "badge--ok" : "badge--warn"}`}>{v.final ? t("versions.final") : t("versions.draft")}</span>
            <span className="small">{t("versions.counts", { current: v.current, stale: v.stale, missing: v.missing })}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
