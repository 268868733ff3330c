import "~/components/every-page";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { runLoader } from "~/lib/http.server";
import { nameIn } from "~/lib/names";
import { getPublicOutcome } from "~/models/outcomes/issue.server";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["outcomes"] };

/**
 * The public address of an issued TLP:CLEAR outcome document: no sign-in, and nothing of the
 * body but its name and this document's issued texts. An unknown or revoked token is a 404.
 */
export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ params }) => {
    const { document, issue, body } = await getPublicOutcome(params.token!);
    return json(
      { token: params.token!, title: document.title, kind: document.kind, marking: document.marking, authenticity: document.authenticity, language: document.language, issuedAt: document.issuedAt?.toISOString() ?? null, symbol: issue.symbol, sha256: issue.sha256, versions: issue.versions, body },
      { headers: { "Cache-Control": "no-store", "X-Robots-Tag": "noindex" } },
    );
  });
}

export default function PublicOutcome() {
  const data = useLoaderData<typeof loader>();
  const { t, locale } = useTranslation("outcomes");
  const languages = Object.keys(data.versions);
  return (
    <main className="page" style={{ maxWidth: "72rem", margin: "0 auto", padding: "1rem" }}>
      <div className="marking-bar" role="note">
        <Marking value={data.marking} />
      </div>
      <p className="muted">{data.body ? nameIn(data.body, locale) : null}</p>
      <h1>{data.title}</h1>
      <p className="row">
        <code>{data.symbol}</code> <span>{t(`kind.${data.kind}`)}</span> <span className="badge badge--ok">{t("status.issued")}</span>
      </p>
      <p className="small">{data.authenticity === "all" ? t("versions.authenticAll") : t("versions.authenticSource", { language: t(`language.${data.language}`) })}</p>
      <p className="row">
        {languages.map((l) => (
          <a key={l} className="button button--small" href={`/public/outcomes/${data.token}/${l}.pdf`} download>
            {t("export.pdf", { language: t(`language.${l}`) })}
          </a>
        ))}
      </p>
      {languages.map((l) => (
        <section key={l} lang={l} aria-labelledby={`version-${l}`} className="card" style={{ marginTop: "1rem" }}>
          <h2 id={`version-${l}`}>{t(`language.${l}`)}</h2>
          {data.versions[l].paragraphs.map((p, i) => (p.type === "heading" ? <h3 key={i}>{p.text}</h3> : <p key={i}>{p.text}</p>))}
        </section>
      ))}
      <p className="small muted">{t("issue.sha", { hash: data.sha256 })}</p>
      <div className="marking-bar marking-bar--bottom" role="note">
        <Marking value={data.marking} />
      </div>
    </main>
  );
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.symbol} ${data.title}` : "Concord" }, { name: "robots", content: "noindex" }];
