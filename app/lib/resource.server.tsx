import { renderToStaticMarkup } from "react-dom/server";
import stylesheet from "~/styles/app.css";
import { toErrorResponse } from "./http.server";
import { getT, resolveLocale } from "./i18n.server";

interface Args {
  request: Request;
  context: unknown;
}

const pages: Record<number, { title: string; body: string }> = {
  400: { title: "errors:unexpected.title", body: "errors:badRequest.body" },
  403: { title: "errors:forbidden.title", body: "errors:forbidden.body" },
  404: { title: "errors:notFound.title", body: "errors:notFound.body" },
};

/**
 * Runs a resource route's loader (a file, a feed, a stream). Those routes have no error
 * boundary, so a refusal would reach a person as raw JSON (`{"notFound":true}`) when they open
 * a link in the browser. For a browser (Accept: text/html) the 400/403/404 is the app's own
 * error page, in their language; calendar clients and scripts get the same status in plain text.
 */
export async function runResource<A extends Args>(args: A, fn: (args: A) => Promise<Response>): Promise<Response> {
  try {
    return await fn(args);
  } catch (error) {
    const response = toErrorResponse(error, args);
    if (!(response instanceof Response)) throw response;
    const page = pages[response.status];
    if (!page) return response;
    const locale = await resolveLocale(args.request);
    const t = getT(locale);
    const headers = { "Cache-Control": "private, no-store" };
    if (!(args.request.headers.get("accept") ?? "").includes("text/html")) {
      return new Response(`${t(page.title)}\n`, { status: response.status, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
    }
    const html = renderToStaticMarkup(
      <html lang={locale}>
        <head>
          <meta charSet="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${t(page.title)} · ${t("common:appName")}`}</title>
          <link rel="stylesheet" href={stylesheet} />
        </head>
        <body>
          <main className="page page--narrow">
            <section className="error-page" aria-labelledby="error-title">
              <h1 id="error-title">{t(page.title)}</h1>
              <p>{t(page.body)}</p>
              <p>
                <a href="/">{t("errors:backHome")}</a>
              </p>
            </section>
          </main>
        </body>
      </html>,
    );
    return new Response(`<!DOCTYPE html>${html}`, { status: response.status, headers: { ...headers, "Content-Type": "text/html; charset=utf-8" } });
  }
}
