import { isRouteErrorResponse, Link, useRouteError, useRouteLoaderData } from "@remix-run/react";
import { MessageText, useTranslation } from "~/components/i18n";
import type { Message } from "~/lib/errors";

interface RootLike {
  requestId: string | null;
}

/** One error view for every route: 404, 403 with its reason, and the unexpected. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation("errors");
  const root = useRouteLoaderData<RootLike>("root");
  // Our handlers answer 500 with the id of the failed request; a document's own id is the fallback.
  const requestId =
    (isRouteErrorResponse(error) ? (error.data as { requestId?: string } | null)?.requestId : null) ?? root?.requestId;

  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <p className="error-page__code">404</p>
        <h1 id="error-title">{t("notFound.title")}</h1>
        <p>{t("notFound.body")}</p>
        <p>
          <Link to="/">{t("backHome")}</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 403) {
    const reason = (error.data as { reason?: Message } | undefined)?.reason;
    return (
      <section className="error-page" aria-labelledby="error-title">
        <p className="error-page__code">403</p>
        <h1 id="error-title">{t("forbidden.title")}</h1>
        <p>{reason ? <MessageText k={reason.key} values={reason.values} /> : t("forbidden.body")}</p>
        <p>
          <Link to="/">{t("backHome")}</Link>
        </p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status === 503) {
    return (
      <section className="error-page" aria-labelledby="error-title" role="alert">
        <p className="error-page__code">503</p>
        <h1 id="error-title">{t("unavailable.title")}</h1>
        <p>{t("unavailable.body")}</p>
      </section>
    );
  }
  if (isRouteErrorResponse(error) && error.status !== 500) {
    return (
      <section className="error-page" aria-labelledby="error-title">
        <p className="error-page__code">{error.status}</p>
        <h1 id="error-title">{t("unexpected.title")}</h1>
        <p>{t("badRequest.body")}</p>
      </section>
    );
  }
  return (
    <section className="error-page" aria-labelledby="error-title">
      <h1 id="error-title">{t("unexpected.title")}</h1>
      <p>{t("unexpected.body")}</p>
      {requestId ? <p className="muted">{t("unexpected.reference", { id: requestId })}</p> : null}
      <p>
        <Link to="/">{t("backHome")}</Link>
      </p>
    </section>
  );
}
