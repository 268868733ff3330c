/**
 * The bench's anchor (ADR 032): a bare Remix 2 app and a bare Express JSON route on the same
 * stack Concord runs on (Express, compression, @remix-run/express, React 18 streaming), with
 * no app code. It serves the markup and loader data that Concord's pages produced in the same
 * bench run (FIXTURES: a JSON file of { [name]: { markup, data } }), so a ratio between the two
 * is what Concord's own work costs. Plain JavaScript run with plain node, as Concord now is.
 */
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/express";
import { Links, Meta, Outlet, RemixServer, Scripts, useLoaderData, useParams } from "@remix-run/react";
import compression from "compression";
import express from "express";
import { createElement as h } from "react";
import { renderToPipeableStream } from "react-dom/server";

const fixtures = process.env.FIXTURES ? JSON.parse(readFileSync(process.env.FIXTURES, "utf8")) : {};
const HEALTH = { status: "ok", database: { kind: "embedded", ms: 0, ok: true }, bus: { kind: "in-process", ok: true } };

function Root() {
  return h("html", { lang: "en" }, h("head", null, h("meta", { charSet: "utf-8" }), h(Meta), h(Links)), h("body", null, h(Outlet), h(Scripts)));
}

function Page() {
  const { name } = useParams();
  useLoaderData();
  return h("div", { dangerouslySetInnerHTML: { __html: fixtures[name]?.markup ?? "" } });
}

function handleRequest(request, status, headers, remixContext) {
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(h(RemixServer, { context: remixContext, url: request.url }), {
      onShellReady() {
        const body = new PassThrough();
        headers.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(createReadableStreamFromReadable(body), { headers, status }));
        pipe(body);
      },
      onShellError: reject,
    });
  });
}

const route = (id, parentId, path, module, hasLoader) => ({
  server: { id, parentId, path, module },
  client: { id, parentId, path, module: `/build/${id}.js`, hasAction: false, hasLoader, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false },
});
const routes = {
  root: route("root", undefined, "", { default: Root }, false),
  "routes/page": route("routes/page", "root", "page/:name", { default: Page, loader: ({ params }) => json(fixtures[params.name]?.data ?? null) }, true),
  "routes/healthz": route("routes/healthz", "root", "healthz-remix", { loader: () => json(HEALTH) }, true),
};
const build = {
  mode: "production",
  entry: { module: { default: handleRequest } },
  routes: Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, r.server])),
  assets: { entry: { imports: [], module: "/build/entry.js" }, routes: Object.fromEntries(Object.entries(routes).map(([id, r]) => [id, r.client])), url: "/build/manifest.js", version: "bench" },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true, v3_lazyRouteDiscovery: true },
  isSpaMode: false,
};

const app = express();
app.disable("x-powered-by");
app.use(compression());
app.get("/json", (_req, res) => res.json(HEALTH));
app.all("*", createRequestHandler({ build, mode: "production" }));
const server = app.listen(Number(process.env.PORT ?? 0), () => console.log(`bare listening on http://localhost:${server.address().port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
