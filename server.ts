import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import helmet from "helmet";
import { bodyProblem, cspNonce, helmetOptions, PERMISSIONS_POLICY, trustProxySetting } from "./app/lib/http-guards.server";
import { allowedOrigins, isSameOriginRequest } from "./app/lib/origin.server";
import type { RequestMemo } from "./app/lib/request-scope.server";

/**
 * One process serves the Remix app, its static files and the collaboration WebSocket
 * (`/collab`) on one port. Everything the process needs from the app comes through the
 * server build's entry module, so the app and the WebSocket share one module graph.
 */

const mode = process.env.NODE_ENV ?? "production";
const port = Number(process.env.PORT ?? 3000);
// Paths from the working directory (like public/ below): this file runs as build/server.js,
// compiled by `npm run build`, and as server.ts under `remix dev`.
const buildPath = resolve("build/server/index.js");
const migrationsFolder = resolve("db/migrations");
const origins = allowedOrigins(process.env.ALLOWED_ORIGINS, process.env.PUBLIC_URL);
const quiet = process.env.LOG_LEVEL === "silent" || process.env.LOG_LEVEL === "error";

interface ServerHooks {
  prepare(options: { migrationsFolder: string }): Promise<{ signIn: string[] }>;
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  shutdown(): Promise<void>;
  servePaperDownload(req: IncomingMessage, res: ServerResponse, origin: string): Promise<boolean>;
  serveHealth(req: IncomingMessage, res: ServerResponse): Promise<void>;
  newRequestMemo(): RequestMemo;
  runInRequestScope<T>(memo: RequestMemo, fn: () => T): T;
  routeReads(req: IncomingMessage, res: ServerResponse, next: () => void): void;
  createRequestHandler: typeof createRequestHandler;
}

// `npm run bench` counts the SQL statements of each page; nobody else needs to see them.
const countQueries = process.env.QUERY_COUNT_HEADER === "1";

type Build = ServerBuild & { entry: { module: ServerBuild["entry"]["module"] & ServerHooks } };

async function loadBuild(): Promise<Build> {
  return (await import(`${pathToFileURL(buildPath).href}?t=${Date.now()}`)) as Build;
}

let build = await loadBuild();
const hooks = build.entry.module;
const startup = await hooks.prepare({ migrationsFolder });

const app = express();
app.disable("x-powered-by");
const trustProxy = trustProxySetting(process.env.TRUST_PROXY);
if (trustProxy !== undefined) app.set("trust proxy", trustProxy);
app.use(compression());

app.use((req, res, next) => {
  const requestId = randomUUID();
  res.locals.requestId = requestId;
  res.locals.cspNonce = cspNonce();
  res.setHeader("X-Request-Id", requestId);
  res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
  if (!quiet) {
    const started = performance.now();
    res.on("finish", () => {
      const ms = (performance.now() - started).toFixed(1);
      console.log(`${req.method} ${req.originalUrl.replace(/\/feeds\/[^/]+/, "/feeds/…")} ${res.statusCode} ${ms}ms`);
    });
  }
  next();
});

const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${port}`;
app.use(helmet(helmetOptions({ publicUrl, development: mode === "development", nonce: (res) => (res as express.Response).locals.cspNonce as string })));
// A 503 (the database restarting, a thrown error page) always says when to try again, even
// where Remix renders the error boundary without the thrown response's headers.
app.use((_req, res, next) => {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
  res.writeHead = ((...args: unknown[]) => {
    if ((args[0] === 503 || res.statusCode === 503) && !res.getHeader("Retry-After")) res.setHeader("Retry-After", "5");
    return writeHead(...args);
  }) as typeof res.writeHead;
  next();
});

// The health check answers here, with the security headers above but without Remix's route
// matching and request objects, which cost ten times the check itself (ADR 051).
app.get("/healthz", (req, res, next) => {
  hooks.serveHealth(req, res).catch(next);
});

// Fingerprinted bundles never change; everything else in public/ may.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
// Translation catalogues, named by their content too (ADR 039); a name not written by the build
// falls through to the route that serves the same files from memory.
app.use("/locales", express.static("public/locales", { immutable: true, maxAge: "1y", index: false }));
// The rest of public/ is files with an extension (favicon.svg). A page's path has none in its
// last segment, so it does not ask the disk first: serve-static's stat of a missing file, and
// the error it builds, were 2.5–5.7 % of a page's CPU in the profiles (ADR 046).
const publicFiles = express.static("public", { maxAge: "1h" });
app.use((req, res, next) => (/\.[^/]*$/.test(req.path) ? publicFiles(req, res, next) : next()));

app.use((req, res, next) => {
  const allowed = isSameOriginRequest({
    method: req.method,
    host: req.get("host"),
    protocol: req.protocol,
    origin: req.get("origin"),
    referer: req.get("referer"),
    hasCookie: !!req.get("cookie"),
    allowed: origins,
  });
  if (!allowed) {
    res.status(403).type("text/plain").send("Cross-site request refused.");
    return;
  }
  // The Origin has been checked against this site, PUBLIC_URL and ALLOWED_ORIGINS. Remix's own
  // check compares it with the Host header only and throws (a 500) behind a proxy that rewrites
  // Host or for an allowed second origin, so it does not see the header again.
  if (req.method !== "GET" && req.method !== "HEAD") delete req.headers.origin;
  const hasBody = req.get("content-length") !== undefined ? Number(req.get("content-length")) > 0 : req.get("transfer-encoding") !== undefined;
  const problem = bodyProblem(req.method, req.get("content-type"), hasBody);
  if (problem === 415) res.status(415).type("text/plain").send("Only form submissions are accepted.");
  else if (problem === 400) res.status(400).type("text/plain").send("Malformed form submission.");
  else next();
});

// With a read replica, page reads go to it unless this browser has just written (ADR 030).
app.use((req, res, next) => hooks.routeReads(req, res, next));

// Paper downloads stream with backpressure outside Remix's adapter (app/server/downloads.server.ts).
app.get("/papers/:paperId/download", (req, res, next) => {
  hooks.servePaperDownload(req, res, `${req.protocol}://${req.get("host")}`).then((done) => (done ? undefined : next()), next);
});

const remix = hooks.createRequestHandler({
  // In development `remix dev` rebuilds the app; the next request picks the new build up.
  build: mode === "development" ? () => Promise.resolve(build) : build,
  mode,
  getLoadContext: (req, res) => ({
    requestId: res.locals.requestId as string,
    clientAddress: req.ip ?? "unknown",
    cspNonce: res.locals.cspNonce as string,
    // Session, profile and memberships, looked up once however many loaders ask (ADR 032).
    memo: res.locals.memo as RequestMemo,
  }),
});

app.all("*", (req, res, next) => {
  const memo = hooks.newRequestMemo();
  res.locals.memo = memo;
  if (countQueries) {
    const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
    res.writeHead = ((...args: unknown[]) => {
      res.setHeader("X-Query-Count", String(memo.queries));
      return writeHead(...args);
    }) as typeof res.writeHead;
  }
  void hooks.runInRequestScope(memo, () => remix(req, res, next));
});

const server = app.listen(port, () => {
  const address = server.address();
  const actual = typeof address === "object" && address ? address.port : port;
  console.log(`Concord listening on http://localhost:${actual}`);
  // A newcomer's first question after `npm start`: where to go and how to get in.
  console.log(`Sign in at http://localhost:${actual}/login`);
  for (const line of startup.signIn) console.log(line);
});

if (mode === "development") {
  const { watch } = await import("node:fs");
  const { broadcastDevReady } = await import("@remix-run/node");
  void broadcastDevReady(build);
  watch(buildPath, async () => {
    build = await loadBuild();
    void broadcastDevReady(build);
  });
}

server.on("upgrade", (request, socket, head) => hooks.handleUpgrade(request, socket, head));

// An idle keep-alive connection must be closed by the client or the proxy, never by us while
// its next request is already on the way: Node's default (5 s) closed connections whose next
// POST had arrived but not yet been read on a busy process, and the client saw ECONNRESET
// (POSTs are not retried). 65 s outlasts the idle timeouts of nginx (upstream keepalive 60 s),
// HAProxy and cloud balancers (60 s), and clients that honour the Keep-Alive hint close first.
server.keepAliveTimeout = 65_000;
// Must exceed keepAliveTimeout, or a slow request on a kept-alive connection is cut short.
server.headersTimeout = 66_000;

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: shutting down`);
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  server.close();
  server.closeIdleConnections();
  await hooks.shutdown();
  process.exit(0);
}
process.on("SIGTERM", () => void stop("SIGTERM"));
process.on("SIGINT", () => void stop("SIGINT"));
