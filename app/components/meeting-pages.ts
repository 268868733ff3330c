/**
 * The small modules the agenda shares with a few other pages (meeting, plan, outcome document,
 * minutes, the action lists…), gathered so that the browser build puts them in one file
 * (ADR 058), as `every-page.ts` does for what every page uses (ADR 052): esbuild makes one chunk
 * per set of entries reaching a module, so these eight modules, each reached by a different set
 * of routes, were eight small files on the agenda, each gzipped apart. Every route that uses any
 * of them imports this module (second, after `every-page`), so all of it is reached by the same
 * routes and shares one file: the agenda 1.2 KB lighter; the others carry 0.8–2.9 KB of code
 * they may not use, and every page stays under 100 KB (`npm run bench -- bundles`).
 *
 * Only for what the agenda loads at first paint and other pages share; a module added here is
 * carried by all of the routes below it, so measure every page before adding one.
 */
import "~/components/agenda/use-live";
import "~/components/delegation-strip";
import "~/components/meetings/capital-times";
import "~/lib/capitals";
import "~/components/actions/status-badge";
import "~/components/actions/due-date";
import "~/components/ui/confirm-dialog";
import "~/components/ui/load-when-rendered";
import "~/lib/meeting-names";
import "~/models/agenda/page.server";
