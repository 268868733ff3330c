/**
 * The import rules of docs/architecture.md, checked by `npm run check:imports` (part of
 * `npm test`). Type-only imports count: a cycle through types is still a cycle of concepts.
 */
module.exports = {
  forbidden: [
    {
      name: "no-cycles",
      severity: "error",
      comment: "No import cycles, static or dynamic (await import(…) included).",
      from: {},
      to: { circular: true },
    },
    {
      name: "lib-uses-packages-only",
      severity: "error",
      comment: "app/lib depends on packages, itself and the schema; never on models, process wiring, routes or components.",
      from: { path: "^app/lib/" },
      to: { path: "^app/(models|server|routes|components)/" },
    },
    {
      name: "db-never-imports-app",
      severity: "error",
      from: { path: "^db/" },
      to: { path: "^app/" },
    },
    {
      name: "models-below-routes-and-wiring",
      severity: "error",
      comment: "Models are called by routes and app/server, never the other way round.",
      from: { path: "^app/models/" },
      to: { path: "^app/(server|routes|components)/" },
    },
    {
      name: "core-is-the-floor",
      severity: "error",
      comment: "models/core may be used by every concept and uses none of them.",
      from: { path: "^app/models/core/" },
      to: { path: "^app/models/(?!core/)" },
    },
    {
      name: "routes-never-import-routes",
      severity: "error",
      from: { path: "^app/routes/" },
      to: { path: "^app/routes/" },
    },
    {
      name: "routes-never-touch-the-orm",
      severity: "error",
      comment: "Routes call model functions; queries live in app/models.",
      from: { path: "^app/routes/" },
      to: { path: "(^db/schema|node_modules/drizzle-orm|^app/lib/db\\.server)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(build|public/build|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default"], extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
