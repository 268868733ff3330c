import { Form, useLocation, useSearchParams } from "@remix-run/react";
import { useTranslation } from "~/components/i18n";
import { useFieldConstraint } from "~/components/ui/field";

/** The shell's one search box: a plain GET form, so it works before (and without) JavaScript. */
export function SearchBox() {
  const { t } = useTranslation("search");
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  const limit = useFieldConstraint("q")?.maxLength;
  const current = pathname === "/search" ? (params.get("q") ?? "") : "";
  return (
    <Form method="get" action="/search" role="search" className="shell-search" aria-label={t("title")}>
      <input key={current} type="search" name="q" defaultValue={current} aria-label={t("label")} placeholder={t("placeholder")} maxLength={limit} autoComplete="off" />
      <button type="submit" className="shell-search__button">
        <span aria-hidden="true">⌕</span>
        <span className="visually-hidden">{t("submit")}</span>
      </button>
    </Form>
  );
}
