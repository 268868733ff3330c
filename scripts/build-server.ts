/**
 * `npm run build:server` (after `remix build`): the process's JavaScript as two files with their
 * libraries inside (ADR 043). Node spent most of a start-up resolving, reading and linking
 * about 900 small modules of node_modules one by one (1.2 s of CPU); one file each for
 * `server.ts` (build/server.js) and the Remix server build (build/server/index.js, rewritten
 * in place) is read and compiled at once.
 *
 * React, Remix and the router are inside the build only: `server.ts` takes the request handler
 * from the build's entry module, so the process has one copy (the handler checks the build's
 * `defer()` and errors with `instanceof`).
 *
 * Left outside, loaded by Node from node_modules as before:
 * - native bindings (the embedded driver, argon2);
 * - the live-document stack (Yjs, lib0, ProseMirror, tiptap, Hocuspocus, ws): packages loaded
 *   later (the Redis extension) import Yjs themselves, and two copies of Yjs or ProseMirror
 *   cannot read each other's documents;
 * - everything the app imports with `import()` (the PDF, DOCX, mail and upload renderers of
 *   ADR 033): bundling them would make every start parse them.
 */
import { build, type Plugin } from "esbuild";
import { renameSync } from "node:fs";

const EXTERNAL = [
  // native bindings
  /^libsql(\/|$)/,
  /^@libsql\/(linux|darwin|win32)/,
  /^@neon-rs\//,
  /^@node-rs\//,
  // the live-document stack
  /^yjs(\/|$)/,
  /^lib0(\/|$)/,
  /^y-protocols(\/|$)/,
  /^y-indexeddb(\/|$)/,
  /^@hocuspocus\//,
  /^@tiptap\//,
  /^prosemirror-/,
  /^ws(\/|$)/,
  // required only by Remix's installGlobals(), which Concord never calls (Node has fetch)
  /^undici(\/|$)/,
  /^web-streams-polyfill(\/|$)/,
  // body-parser's character sets (490 KB of tables in build/server.js, compiled at every start):
  // loaded from node_modules by the first request body that is not UTF-8, which is never.
  /^iconv-lite(\/|$)/,
];

/** Bare imports: bundled unless listed above or imported with `import()`. */
const externals: Plugin = {
  name: "concord-externals",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      if (args.kind === "dynamic-import" || EXTERNAL.some((re) => re.test(args.path))) return { path: args.path, external: true };
      return undefined;
    });
  },
};

/**
 * zod's `locales` namespace (64 languages, 297 KB of the server build) is exported beside `z`, so
 * it cannot be tree-shaken; Concord never calls `z.config(z.locales.…())` — field errors are our
 * own catalogue's (app/lib/validation.ts) — and zod itself only reads English (`locales/en.js`,
 * imported directly by its schemas). The namespace keeps English alone.
 */
const zodEnglishOnly: Plugin = {
  name: "concord-zod-english-only",
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /node_modules\/zod\/v4\/(classic|core)$/.test(args.resolveDir) ? { path: `${args.resolveDir}/../locales/en.js`, namespace: "zod-locales" } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: "/" }));
  },
};

// CommonJS libraries inside an ES module still call require() for Node's built-ins.
const banner = { js: 'import { createRequire as __concordCreateRequire } from "node:module"; const require = __concordCreateRequire(import.meta.url);' };

const common = {
  bundle: true,
  platform: "node" as const,
  format: "esm" as const,
  target: "node20",
  banner,
  plugins: [zodEnglishOnly, externals],
  logLevel: "warning" as const,
  // Packages that ship "module" builds use them; the rest come through their CommonJS entry.
  mainFields: ["module", "main"],
  legalComments: "none" as const,
  // Less source for Node to read and V8 to keep: about 9 MB less resident memory and 50 ms less
  // CPU at start, measured (ADR 043). Names stay, so stack traces still say which function.
  minifyWhitespace: true,
  minifySyntax: true,
  // SOURCEMAP=1 writes a .map beside each file, for reading a CPU profile by source file and package.
  sourcemap: process.env.SOURCEMAP === "1",
};

// `remix build` makes a production build; React's and the router's development builds stay out.
const result = await build({
  ...common,
  define: { "process.env.NODE_ENV": '"production"' },
  metafile: !!process.env.META,
  entryPoints: ["build/server/index.js"],
  outfile: "build/server/index.bundled.js",
});
// META=file.json writes esbuild's metafile: what is in the bundle, by input.
if (process.env.META) (await import("node:fs")).writeFileSync(process.env.META, JSON.stringify(result.metafile));
renameSync("build/server/index.bundled.js", "build/server/index.js");
if (process.env.SOURCEMAP === "1") renameSync("build/server/index.bundled.js.map", "build/server/index.js.map");
await build({ ...common, entryPoints: ["server.ts"], outfile: "build/server.js" });
