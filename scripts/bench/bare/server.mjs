/**
 * The bench's anchor (ADR 032, ADR 046): a bare Remix 2 app on the same stack Concord runs on
 * (Express, compression, @remix-run/express, React 18 streaming), with no app code. FIXTURES
 * names a JSON file written by the bench in the same run: `pages`, what Concord sent for each
 * page (its path, element tree, loader data per route, headers), and `manifest`, Concord's
 * route table as its build wrote it for the browser. The bare app declares the same routes at
 * the same paths; each route's loader returns what Concord's returned, and the deepest route
 * renders Concord's elements with React, as a route's JSX would. So Remix matches, loads,
 * serialises, renders, streams and compresses the same work, and a ratio between the two is
 * what Concord's own code costs: sessions, models, SQL, components, its middleware.
 *
 * Also served: /page/<name>, the page's markup as one string under a bare root (the anchor
 * before ADR 046: React copies the string without rendering an element, and the route table
 * has three routes); /healthz-remix, a bare Remix JSON route; /json, a bare Express one.
 * Plain JavaScript run with plain node, as Concord now is.
 */
import { readFileSync } from "node:fs";
import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, json } from "@remix-run/node";
import { createRequestHandler } from "@remix-run/express";
import { Links, Meta, Outlet, RemixServer, ScrollRestoration, Scripts, useLocation, useOutlet, useParams } from "@remix-run/react";
import compression from "compression";
import express from "express";
import { createElement as h, Fragment } from "react";
import { renderToPipeableStream } from "react-dom/server";

const { pages = {}, manifest = null } = process.env.FIXTURES ? JSON.parse(readFileSync(process.env.FIXTURES, "utf8")) : {};
const HEALTH = { status: "ok", database: { kind: "embedded", ms: 0, ok: true }, bus: { kind: "in-process", ok: true } };
const byPath = new Map(Object.values(pages).map((page) => [page.path, page]));

/** The page a URL asks for: Concord's path and query, or /page/<name>. */
function pageOf(url) {
  const { pathname, search } = new URL(url, "http://bare");
  const named = /^\/page\/([^/?]+)/.exec(pathname);
  return named ? pages[named[1]] : byPath.get(pathname + search);
}

function Root() {
  const location = useLocation();
  const head = pageOf(location.pathname + location.search)?.head;
  // Concord's head (its charset, title, catalogue preloads, stylesheet, error texts) when the page has one.
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

/** Every route of Concord's table: a layout renders its child; the deepest renders the page. */
function ConcordRoute() {
  const outlet = useOutlet();
  const location = useLocation();
  if (outlet) return outlet;
  return h(Fragment, null, ...elements(pageOf(location.pathname + location.search)?.tree ?? []));
}

/** /page/<name>: the body's markup as one string (the anchor before ADR 046). */
function Page() {
  const { name } = useParams();
  return h("div", { dangerouslySetInnerHTML: { __html: pages[name]?.markup ?? "" } });
}

function handleRequest(request, status, headers, remixContext) {
  // The headers Concord sent with the same page (CSP, helmet's, Permissions-Policy, cache control…).
  for (const [header, value] of Object.entries(pageOf(request.url)?.headers ?? {})) headers.set(header, value);
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

const client = (id, parentId, path, hasLoader) => ({ id, parentId, path, module: `/build/${id}.js`, hasAction: false, hasLoader, hasClientAction: false, hasClientLoader: false, hasErrorBoundary: false });
const serverRoutes = {};
const clientRoutes = {};
// Concord's table: the same ids, parents, paths and index flags; each loader answers what Concord's did.
for (const [id, r] of Object.entries(manifest?.routes ?? {})) {
  if (id === "root") continue;
  const loader = r.hasLoader ? ({ request }) => json(pageOf(request.url)?.data?.[id] ?? null) : undefined;
  serverRoutes[id] = { id, parentId: r.parentId, path: r.path, index: r.index, caseSensitive: r.caseSensitive, module: { default: ConcordRoute, loader } };
  clientRoutes[id] = r;
}
const rootLoader = ({ request }) => json(pageOf(request.url)?.data?.root ?? null);
serverRoutes.root = { id: "root", path: "", module: { default: Root, loader: manifest?.routes.root?.hasLoader ? rootLoader : undefined } };
clientRoutes.root = manifest?.routes.root ?? client("root", undefined, "", false);
serverRoutes["bench/page"] = { id: "bench/page", parentId: "root", path: "page/:name", module: { default: Page, loader: ({ params }) => json(pages[params.name]?.data ?? null) } };
clientRoutes["bench/page"] = client("bench/page", "root", "page/:name", true);
serverRoutes["bench/healthz"] = { id: "bench/healthz", parentId: "root", path: "healthz-remix", module: { loader: () => json(HEALTH) } };
clientRoutes["bench/healthz"] = client("bench/healthz", "root", "healthz-remix", true);

const build = {
  mode: "production",
  entry: { module: { default: handleRequest } },
  routes: serverRoutes,
  assets: manifest ? { ...manifest, routes: clientRoutes } : { entry: { imports: [], module: "/build/entry.js" }, routes: clientRoutes, url: "/build/manifest.js", version: "bench" },
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
