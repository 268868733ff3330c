import type { AppLoadContext, EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { NonceProvider } from "~/components/nonce";
import { provideCatalogues } from "~/lib/catalogues";
import { coalescedStream } from "~/lib/coalesced-stream";
import type { Resources } from "~/lib/i18n";
import { catalogues } from "~/locales";

export { prepare, handleUpgrade, shutdown } from "~/server/process.server";
export { servePaperDownload } from "~/server/downloads.server";
export { serveHealth } from "~/server/health.server";
export { newRequestMemo, runInRequestScope } from "~/lib/request-scope.server";
export { routeReads } from "~/server/read-routing.server";
// server.ts serves the build with the build's own copy of Remix: one copy in the process (ADR 043).
export { createRequestHandler } from "@remix-run/express";

const ABORT_DELAY = 5_000;

// The server renders every page in every language from memory (ADR 039).
provideCatalogues(catalogues as Resources);

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = (loadContext as { cspNonce?: string }).cspNonce ?? "";
  // Signed-in pages hold TLP material: never stored by the browser or a proxy.
  if (!responseHeaders.has("Cache-Control")) responseHeaders.set("Cache-Control", "private, no-store");
  // Bots and no-JS clients get the whole document at once; browsers get it streamed.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const send = () => {
      shellRendered = true;
      // Pieces written in the same turn go on as one (why: lib/coalesced-stream.ts).
      const body = coalescedStream();
      responseHeaders.set("Content-Type", "text/html; charset=utf-8");
      resolve(
        new Response(createReadableStreamFromReadable(body), {
          headers: responseHeaders,
          status: responseStatusCode,
        }),
      );
      pipe(body);
    };
    const timer = setTimeout(() => abort(), ABORT_DELAY);
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        onShellReady() {
          if (!waitForAll) send();
        },
        onAllReady() {
          // Rendered to the end: nothing left to abort. A pending timer would hold the page's
          // whole render for ABORT_DELAY after it was sent (ADR 051).
          clearTimeout(timer);
          if (waitForAll) send();
        },
        onShellError(error: unknown) {
          clearTimeout(timer);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
  });
}

/** Loader data (`?_data=`) of signed-in pages: never cached either, unless the route says otherwise. */
export function handleDataRequest(response: Response) {
  if (!response.headers.has("Cache-Control")) response.headers.set("Cache-Control", "private, no-store");
  return response;
}

/** Unexpected errors are logged once, with the request id the error page shows. */
export const handleError: HandleErrorFunction = (error, { request, context }) => {
  if (request.signal.aborted) return;
  const requestId = (context as { requestId?: string }).requestId ?? "-";
  console.error(`[${requestId}] ${request.method} ${new URL(request.url).pathname}`, error);
};
