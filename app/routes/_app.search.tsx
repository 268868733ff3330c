import "~/components/every-page";
import "~/components/meeting-pages";
import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { useTranslation } from "~/components/i18n";
import { Marking } from "~/components/marking";
import { Time } from "~/components/time";
import { useViewerZone } from "~/components/use-viewer-zone";
import { runLoader } from "~/lib/http.server";
import { highlight, PER_KIND, searchKinds, type SearchKind } from "~/lib/search";
import { meetingName } from "~/lib/meeting-names";
import { title } from "~/lib/meta";
import { nameIn } from "~/lib/names";
import { requireUser } from "~/models/people/current-user.server";
import { search, type SearchHit } from "~/models/search/search.server";
import { useFieldConstraint } from "~/components/ui/field";
import type { I18nHandle } from "~/lib/catalogues";

/** The catalogues this page translates with, beyond its parents' (ADR 039). */
export const handle: I18nHandle = { i18n: ["actions", "agenda", "meetings", "minutes", "outcomes"] };

export async function loader(args: LoaderFunctionArgs) {
  return runLoader(args, async ({ request }) => {
    const user = await requireUser(request);
    const input = Object.fromEntries(new URL(request.url).searchParams);
    const result = await search({ actor: user, input });
    // With one body the shell's navigation stays on it while searching.
    return json({ ...result, bodySlug: result.bodies.length === 1 ? result.bodies[0].slug : undefined, manyBodies: result.bodies.length > 1 });
  });
}

/** Every match of every term in a text, marked so that it stands out (and is announced as marked). */
function Marked({ text, terms }: { text: string; terms: string[] }) {
  return (
    <>
      {highlight(text, terms).map((s, i) => (s.match ? <mark key={i}>{s.text}</mark> : <Fragment key={i}>{s.text}</Fragment>))}
    </>
  );
}

function Snippet({ hit, terms }: { hit: SearchHit; terms: string[] }) {
  const { before, match, after } = hit.snippet;
  if (!before && !match && !after) return null;
  return (
    <p className="search-hit__snippet">
      <Marked text={`${before}${match}${after}`} terms={terms} />
    </p>
  );
}

const statusKey: Record<SearchKind, string> = { agenda: "agenda:status", minutes: "minutes:status", decisions: "", actions: "actions:status", outcomes: "outcomes:status", papers: "" };

function Hit({ hit, manyBodies, terms }: { hit: SearchHit; manyBodies: boolean; terms: string[] }) {
  const { t, locale } = useTranslation("search");
  const zone = useViewerZone();
  const meeting = hit.meeting ? meetingName(hit.meeting, t, locale) : null;
  const heading =
    hit.kind === "minutes" && meeting
      ? t("minutes:of", { meeting })
      : hit.kind === "decisions"
        ? t("decision", { number: hit.ref ?? "" })
        : hit.kind === "actions"
          ? `${t("actions:ref", { ref: hit.ref ?? "" })} ${hit.title}`
          : hit.title;
  return (
    <li className="search-hit">
      <h3 className="search-hit__title">
        <Link to={hit.href}>
          <Marked text={heading} terms={terms} />
          {hit.shortened ? <span className="visually-hidden">{` ${t("actions:list.shortened")}`}</span> : null}
        </Link>
      </h3>
      <p className="search-hit__meta muted small">
        {manyBodies ? <span>{nameIn(hit.body, locale)}</span> : null}
        {hit.meeting && hit.kind !== "minutes" ? (
          <span>{hit.kind === "actions" ? t("raisedAt", { meeting: meeting ?? "" }) : meeting}</span>
        ) : null}
        {hit.meeting ? <Time value={hit.meeting.startsAt} zone={zone} style="date" /> : null}
        {statusKey[hit.kind] ? <span className="badge">{t(`${statusKey[hit.kind]}.${hit.status}`)}</span> : null}
        {hit.marking ? <Marking value={hit.marking} /> : null}
      </p>
      <Snippet hit={hit} terms={terms} />
    </li>
  );
}

export default function SearchRoute() {
  const data = useLoaderData<typeof loader>();
  const queryLimit = useFieldConstraint("q")?.maxLength;
  const { t } = useTranslation("search");
  const total = searchKinds.reduce((n, k) => n + data.hits[k].length, 0);
  const href = (kind: string) => `?${new URLSearchParams({ q: data.query, ...(kind === "all" ? {} : { kind }) })}`;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("intro")}</p>
        </div>
      </header>

      <Form method="get" role="search" className="search-form card" aria-label={t("title")}>
        <label htmlFor="search-page-q" className="visually-hidden">
          {t("label")}
        </label>
        <input
          id="search-page-q"
          className="input"
          type="search"
          name="q"
          defaultValue={data.query}
          placeholder={t("placeholder")}
          maxLength={queryLimit}
          autoComplete="off"
          aria-invalid={data.error ? true : undefined}
          aria-describedby={data.error ? "search-page-error" : undefined}
        />
        {data.kind !== "all" ? <input type="hidden" name="kind" value={data.kind} /> : null}
        <button type="submit" className="button button--primary">
          {t("submit")}
        </button>
        <p className="muted small search-form__hint">{t("hint")}</p>
        {data.error ? (
          <p id="search-page-error" className="field__errors" role="alert">
            {t(data.error.key, data.error.values)}
          </p>
        ) : null}
      </Form>

      {data.query && !data.error ? (
        <>
          <nav className="row search-kinds" aria-label={t("kinds.label")}>
            {(["all", ...searchKinds] as const).map((k) => (
              <Link key={k} to={href(k)} className="button button--small" aria-current={data.kind === k ? "page" : undefined}>
                {t(`kinds.${k}`)}
              </Link>
            ))}
          </nav>
          <h2 className="visually-hidden">{t("resultsFor", { query: data.query })}</h2>
          <p className="muted" role="status">
            {total ? t("count", { count: total }) : t("none", { query: data.query })}
          </p>
          {searchKinds
            .filter((k) => data.hits[k].length)
            .map((k) => (
              <section key={k} className="card search-group" aria-labelledby={`search-${k}`}>
                <h2 id={`search-${k}`}>
                  {t(`kinds.${k}`)} <span className="muted small">({data.hits[k].length})</span>
                </h2>
                <ul className="plain-list search-hits" role="list">
                  {data.hits[k].map((hit) => (
                    <Hit key={`${hit.kind}-${hit.id}`} hit={hit} manyBodies={data.manyBodies} terms={data.terms} />
                  ))}
                </ul>
                {data.more.includes(k) ? <p className="muted small">{t("more", { count: PER_KIND })}</p> : null}
              </section>
            ))}
        </>
      ) : null}
    </div>
  );
}

export const meta: MetaFunction<typeof loader> = ({ matches, data }) =>
  title(matches, (t) => (data?.query ? `${data.query} · ${t("search:title")}` : t("search:title")));
