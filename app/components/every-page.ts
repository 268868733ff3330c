/**
 * What (nearly) every page's browser code uses, gathered so that the browser build puts it in
 * one file (ADR 052). esbuild, under Remix's classic compiler, makes one chunk per set of
 * entries (the client entry, each route) that reach a module, with no setting over it: a
 * module the root, the shell and thirty routes import, and another that twenty of the same
 * routes import, land in two files, each gzipped apart — about 0.1–0.2 KB lost per file. The
 * client entry, the root, every page route and every module loaded with `import()` (an entry of
 * its own) import this module, first (a unit test checks it), so everything below is reached by
 * the same entries and shares one file, with React and Remix.
 *
 * Only for small modules most pages use: a page pays for all of it. The `.server` imports are
 * the browser build's empty stand-ins for them (one file each, otherwise); nothing of the
 * server reaches the browser.
 */
import "~/lib/catalogues";
import "~/lib/i18n";
import "~/lib/inline-catalogue";
import "~/lib/names";
import "~/lib/meta";
import "~/lib/forms";
import "~/lib/datetime";
import "~/lib/markings";
import "~/components/i18n";
import "~/components/error-boundary";
import "~/components/ui/field";
import "~/components/marking";
import "~/components/time";
import "~/components/delegation-badge";
import "~/components/shell/language-switcher";
import "~/lib/http.server";
import "~/models/people/current-user.server";
import "~/models/people/accounts.server";
import "~/models/people/bodies.server";
import "~/models/search/search.server";
import "@remix-run/node";
// Modules routes import for their loaders only: nothing of them is left in the browser build,
// but esbuild still writes an empty file for each set of routes reaching one (views: 27 pages).
import "~/lib/views";
import "~/lib/permissions";
import "~/lib/time-zones";
