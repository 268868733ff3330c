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
import { Links, Meta, Outlet, RemixServer, ScrollRestoration, Scripts, useLoaderData, useParams, useSearchParams } from "@remix-run/react";
import compression from "compression";
import express from "express";
import { createElement as h } from "react";
import { renderToPipeableStream } from "react-dom/server";

const fixtures = process.env.FIXTURES ? JSON.parse(readFileSync(process.env.FIXTURES, "utf8")) : {};
const HEALTH = { status: "ok", database: { kind: "embedded", ms: 0, ok: true }, bus: { kind: "in-process", ok: true } };

function Root() {
  const { name } = useParams();
  const head = fixtures[name]?.head;
  // Concord's head (its charset, title, preloads, stylesheet, error texts) when the page has one.
  return h(
    "html",
    { lang: "en" },
    h("head", null, ...(head ? elements(head) : [h("meta", { charSet: "utf-8", key: "charset" })]), h(Meta), h(Links)),
    h("body", null, h(Outlet), h(ScrollRestoration), h(Scripts)),
  );
}

// Attributes React writes for a prop named otherwise, and those whose value is a boolean.
const PROP_NAMES = { class: "className", for: "htmlFor", readonly: "readOnly", novalidate: "noValidate", tabindex: "tabIndex", enctype: "encType" };
const BOOLEAN = new Set(["async", "checked", "disabled", "hidden", "multiple", "novalidate", "open", "readonly", "required", "selected", "autofocus", "defer", "inert"]);
const camel = (name) => (name.startsWith("--") ? name : name.replace(/-([a-z])/g, (_, c) => c.toUpperCase()));

function propsOf(attributes, key) {
  const props = { key };
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "style") props.style = Object.fromEntries(value.split(";").filter(Boolean).map((d) => { const i = d.indexOf(":"); return [camel(d.slice(0, i).trim()), d.slice(i + 1).trim()]; }));
    else props[PROP_NAMES[name] ?? name] = BOOLEAN.has(name) ? true : value;
  }
  return props;
}

/** The tree as React elements, made afresh on each render as a route's JSX is. */
function elements(nodes) {
  return nodes.map((node, i) => {
    if (typeof node === "string") return node;
    const [tag, attributes, children] = node;
    const props = propsOf(attributes, i);
    // React takes a textarea's text as its value, not as children.
    if (tag === "textarea") return h(tag, { ...props, defaultValue: children.join("") });
    // React writes a script's text unescaped only from dangerouslySetInnerHTML, as Concord's root does.
    if (tag === "script") return h(tag, { ...props, dangerouslySetInnerHTML: { __html: children.join("") } });
    return children.length ? h(tag, props, ...elements(children)) : h(tag, props);
  });
}

/**
 * Concord's page rendered by React from the same elements (the anchor). `?as=string` puts the
 * markup in as one string instead, which React copies without rendering an element (the anchor
 * before ADR 046, printed beside it).
 */
function Page() {
  const { name } = useParams();
  const [params] = useSearchParams();
  useLoaderData();
  const fixture = fixtures[name];
  if (params.get("as") === "string") return h("div", { dangerouslySetInnerHTML: { __html: fixture?.markup ?? "" } });
  return h("div", null, ...elements(fixture?.tree ?? []));
}

function handleRequest(request, status, headers, remixContext) {
  // The headers Concord sent with the same page (CSP, helmet's, Permissions-Policy, cache control…).
  const name = /\/page\/([^/?]+)/.exec(new URL(request.url).pathname)?.[1];
  for (const [header, value] of Object.entries(fixtures[name]?.headers ?? {})) headers.set(header, value);
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
