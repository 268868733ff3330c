import { Form, Link, NavLink, useMatches } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "~/components/i18n";
import { nameIn } from "~/lib/names";
import type { Role } from "~/lib/permissions";
import { LanguageSwitcher } from "./language-switcher";
import { SearchBox } from "./search-box";
import { useFocusAfterSubmit } from "./use-focus-after-submit";

export interface ShellBody {
  id: string;
  slug: string;
  nameEn: string;
  nameJa: string;
  nameKo: string;
  role: Role;
  delegationId: string | null;
  readsAudit: boolean;
}

interface Props {
  user: { name: string; email: string };
  bodies: ShellBody[];
  children: ReactNode;
}

/** The body a page belongs to: the deepest route whose data names one. */
function useCurrentBodySlug(): string | null {
  const matches = useMatches();
  for (let i = matches.length - 1; i >= 0; i--) {
    const data = matches[i].data as { bodySlug?: string } | undefined;
    if (data?.bodySlug) return data.bodySlug;
  }
  return null;
}

export function AppShell({ user, bodies, children }: Props) {
  const { t, locale } = useTranslation();
  const slug = useCurrentBodySlug();
  const current = bodies.find((b) => b.slug === slug) ?? (bodies.length === 1 ? bodies[0] : null);
  const base = current ? `/bodies/${current.slug}` : null;
  useFocusAfterSubmit();

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t("skipToContent")}
      </a>
      <header className="shell__header">
        <Link to="/" className="brand">
          <span className="brand__mark" aria-hidden="true">
            ◆
          </span>{" "}
          {t("appName")}
        </Link>
        {bodies.length > 1 ? (
          <details className="menu body-switch">
            <summary className="menu__button">
              <span className="visually-hidden">{t("body.switcher")}: </span>
              {current ? nameIn(current, locale) : t("body.yourBodies")}
            </summary>
            <ul className="menu__list" role="list">
              {bodies.map((b) => (
                <li key={b.id}>
                  <Link to={`/bodies/${b.slug}`} aria-current={b.slug === current?.slug ? "page" : undefined}>
                    {nameIn(b, locale)}
                  </Link>
                </li>
              ))}
            </ul>
          </details>
        ) : current ? (
          <span className="body-name">{nameIn(current, locale)}</span>
        ) : null}
        <div className="shell__tools">
          <SearchBox />
          <LanguageSwitcher />
          <details className="menu user-menu">
            <summary className="menu__button">
              <span className="visually-hidden">{t("user.signedInAs", { name: user.name })}</span>
              <span aria-hidden="true">{user.name}</span>
            </summary>
            <div className="menu__list">
              <p className="muted small">{user.email}</p>
              <Link to="/settings">{t("user.settings")}</Link>
              {/* The browser's copies of live documents belong to this person: gone when they sign out. */}
              <Form method="post" action="/logout" onSubmit={clearLocalCopiesLater}>
                <button type="submit" className="button button--link">
                  {t("user.signOut")}
                </button>
              </Form>
            </div>
          </details>
        </div>
      </header>
      <div className="shell__body">
        <nav className="shell__nav" aria-label={t("nav.label")}>
          {base ? (
            <ul role="list">
              <li>
                <NavLink to={base} end>
                  {t("nav.home")}
                </NavLink>
              </li>
              <li>
                <NavLink to={`${base}/meetings`}>{t("nav.meetings")}</NavLink>
              </li>
              <li>
                <NavLink to={`${base}/actions`}>{t("nav.actionItems")}</NavLink>
              </li>
              <li>
                <NavLink to={`${base}/members`}>{t("nav.members")}</NavLink>
              </li>
              {current?.readsAudit ? (
                <li>
                  <NavLink to={`${base}/audit`}>{t("nav.audit")}</NavLink>
                </li>
              ) : null}
            </ul>
          ) : (
            // Outside a body (a member of several, on their home or a cross-body page): the same
            // two destinations, across every body the person belongs to.
            <ul role="list">
              <li>
                <NavLink to="/" end>
                  {t("nav.home")}
                </NavLink>
              </li>
              <li>
                <NavLink to="/meetings" end>
                  {t("nav.meetings")}
                </NavLink>
              </li>
              <li>
                <NavLink to="/actions" end>
                  {t("nav.actionItems")}
                </NavLink>
              </li>
            </ul>
          )}
        </nav>
        <main id="main" className="shell__main" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}

/** At sign-out the browser's copies of live documents go (the next person must not find them);
 * the code that removes them is loaded then, not with every page (ADR 047). The form submits
 * without waiting: Remix's navigation keeps this page's JavaScript running until it is done. */
function clearLocalCopiesLater() {
  void import("~/components/minutes/local-copy.client").then((m) => m.clearLocalCopies());
}
