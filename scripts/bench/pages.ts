import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { buildApp, removeServerFiles, ROOT, startServer, type RunningServer } from "../../tests/support/server";
import { benchDriver } from "./driver";
import { compareOneAtATime, compareUnderLoad, concordManifest, fixtureOf, load, row, rssMb, startBare, type Fixture } from "./anchors";
import { ms, signInCookie } from "./support";

/**
 * Issue 16's figures, each beside its anchor (ADR 032): the meeting, agenda and dashboard pages
 * of the demo, the dashboard of 5,000 items over 40 meetings and the agenda of 60 items (both
 * with 10,000-character titles and descriptions among them) against a bare Remix app with
 * Concord's route table answering each route with Concord's loader data and rendering Concord's
 * elements, headers and compression (ADR 046; docs/performance.md says what each row compares);
 * /healthz against a bare Remix JSON route and a
 * bare Express one; cold start and idle memory against the bare app; SQL statements per page;
 * and the embedded driver against the libsql binding for the same SQL (scripts/bench/driver.ts).
 */

interface Page {
  name: string;
  label: string;
  server: RunningServer;
  path: string;
  cookie: string;
}

const QUERIES = { QUERY_COUNT_HEADER: "1" };

/**
 * `BENCH_PAGES=dashboard5000,dashboard` measures only the page rows named (by `Page.name`) and
 * skips /healthz, start-up, memory and the driver; unset, everything is measured.
 */
const only = process.env.BENCH_PAGES?.split(",").map((name) => name.trim()).filter(Boolean);

export async function benchPages() {
  buildApp();
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-pages-"));

  // The demo: meeting, agenda and dashboard pages.
  const demo = await startServer({ env: QUERIES });
  const demoCookie = await signInCookie(demo.url, "jp.delegate@concord.test");
  const demoDb = createClient({ url: `file:${demo.databaseFile}` });
  const meetingId = String((await demoDb.execute("select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' order by m.starts_at limit 1")).rows[0].id);
  demoDb.close();

  // 5,000 action items over 40 meetings; an agenda of 60 items; long titles among them.
  const bigFile = join(dir, "big.db");
  process.env.DATABASE_URL = `file:${bigFile}`;
  const { generateAgenda } = await import("./generate-agenda");
  const { generateBody } = await import("./generate-body");
  const { closeDatabase } = await import("../../app/lib/db.server");
  const body = await generateBody({ meetingCount: 40, itemCount: 5000, longText: true });
  const agenda = await generateAgenda({ items: 60, longText: true, body });
  closeDatabase();
  const big = await startServer({ databaseFile: bigFile, env: { SEED_DEMO: "0", ...QUERIES } });
  const bigCookie = await signInCookie(big.url, body.email, body.password);

  const allPages: Page[] = [
    { name: "meeting", label: "meeting page (demo)", server: demo, path: `/meetings/${meetingId}`, cookie: demoCookie },
    { name: "agenda", label: "agenda page (demo)", server: demo, path: `/meetings/${meetingId}/agenda`, cookie: demoCookie },
    { name: "dashboard", label: "dashboard (demo)", server: demo, path: "/bodies/trilateral-cyber/actions", cookie: demoCookie },
    { name: "dashboard5000", label: "dashboard, 5,000 items / 40 meetings", server: big, path: `/bodies/${body.slug}/actions`, cookie: bigCookie },
    { name: "dashboard5000all", label: "dashboard, 5,000 items, every status", server: big, path: `/bodies/${body.slug}/actions?status=all`, cookie: bigCookie },
    { name: "agenda60", label: "agenda page, 60 items", server: big, path: `/meetings/${agenda.meetingId}/agenda`, cookie: bigCookie },
  ];
  const pages = only ? allPages.filter((page) => only.includes(page.name)) : allPages;
  if (only && pages.length !== only.length) throw new Error(`BENCH_PAGES: unknown page(s); known: ${allPages.map((p) => p.name).join(", ")}`);

  // What each page is made of, and how many statements it runs.
  const fixtures: Record<string, Fixture> = {};
  for (const page of pages) {
    const response = await fetch(`${page.server.url}${page.path}`, { headers: { cookie: page.cookie } });
    if (!response.ok) throw new Error(`${page.path}: ${response.status}`);
    const html = await response.text();
    fixtures[page.name] = fixtureOf(page.path, html, response.headers);
    const data = JSON.stringify(fixtures[page.name].data ?? null).length;
    console.log(`  ${page.label}: ${response.headers.get("x-query-count")} SQL statements, ${(html.length / 1024).toFixed(1)} KB HTML (${(data / 1024).toFixed(1)} KB loader data), ${html.match(/<[a-z]/g)?.length ?? 0} elements | load ${load()}`);
  }
  const bare = await startBare(dir, fixtures, concordManifest(ROOT));
  // The anchor must send what Concord sends: say how close its page is, in bytes and elements.
  for (const page of pages) {
    const response = await fetch(`${bare.url}${page.path}`);
    const html = await response.text();
    const ours = await fetch(`${page.server.url}${page.path}`, { headers: { cookie: page.cookie } });
    const concordHtml = await ours.text();
    console.log(`  anchor for ${page.label}: ${(html.length / 1024).toFixed(1)} KB HTML (Concord ${(concordHtml.length / 1024).toFixed(1)} KB), ${html.match(/<[a-z]/g)?.length ?? 0} elements (Concord ${concordHtml.match(/<[a-z]/g)?.length ?? 0}), ${[...response.headers].length} headers (Concord ${[...ours.headers].length}), ${response.headers.get("content-encoding") ?? "identity"} (Concord ${ours.headers.get("content-encoding") ?? "identity"})`);
  }

  for (const page of pages) {
    const concord = { url: `${page.server.url}${page.path}`, cookie: page.cookie };
    const anchor = { url: `${bare.url}${page.path}` };
    const one = await compareOneAtATime(concord, anchor);
    row(`${page.label}, one at a time`, `p50 ${ms(one.a.median)}, p95 ${ms(one.a.p95)}`, `bare route p50 ${ms(one.b.median)}, p95 ${ms(one.b.p95)}`, one.a.median / one.b.median, "× slower (p50)");
    // The anchor: Concord's routes, loader data and elements in a bare Remix app (ADR 046). The
    // body's markup as one string under a three-route app (the anchor before ADR 046, which React
    // copies without rendering an element) is measured in the same rounds.
    const c = await compareUnderLoad(concord, anchor, 3, 2500, { url: `${bare.url}/page/${page.name}` });
    row(
      `${page.label}, concurrency 10`,
      `${c.a.rps.toFixed(1)} req/s, p99 ${ms(c.a.p99)}`,
      `bare route ${c.b.rps.toFixed(1)} req/s, p99 ${ms(c.b.p99)} (markup as one string: ${c.c!.rps.toFixed(1)} req/s, ratio ${(c.a.rps / c.c!.rps).toFixed(2)}×)`,
      c.a.rps / c.b.rps,
    );
  }

  if (only) {
    await Promise.all([bare.stop(), demo.stop(), big.stop()]);
    removeServerFiles(demo);
    removeServerFiles(big);
    rmSync(dir, { recursive: true, force: true });
    return;
  }

  const health = { url: `${demo.url}/healthz`, cookie: "" };
  for (const [label, path] of [["bare Remix JSON route", "/healthz-remix"], ["bare Express JSON route", "/json"]] as const) {
    const c = await compareUnderLoad(health, { url: `${bare.url}${path}` });
    row(`/healthz, concurrency 10 (vs ${label})`, `${c.a.rps.toFixed(0)} req/s`, `${c.b.rps.toFixed(0)} req/s`, c.a.rps / c.b.rps);
  }

  // Start-up on an existing database, and memory once idle, beside the bare app's.
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  await demo.stop();
  const starts: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const again = await startServer({ databaseFile: demo.databaseFile, env: { SEED_DEMO: "0" } });
    starts.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 2000));
    rss.push(rssMb(again.process.pid!));
    await again.stop();
    removeServerFiles(again);
  }
  await bare.stop();
  // The bare app's start-up and memory without the fixtures: the page fixtures (the 60-item
  // agenda's is 2 MB, held with its element tree) are the bench's data, not the app's.
  const bareStarts: number[] = [];
  const bareRssAll: number[] = [];
  for (let i = 0; i < 3; i++) {
    const b = await startBare(dir, {});
    bareStarts.push(b.startedMs);
    await new Promise((r) => setTimeout(r, 2000));
    bareRssAll.push(rssMb(b.process.pid!));
    await b.stop();
  }
  const bareRss = median(bareRssAll);
  row("cold start to healthy, existing database (median of 3)", ms(median(starts)), `bare app ${ms(median(bareStarts))}`, median(starts) / median(bareStarts), "× slower");
  row("idle RSS after start-up (median of 3)", `${median(rss).toFixed(0)} MB`, `bare app idle ${bareRss.toFixed(0)} MB (median of 3)`, median(rss) / bareRss, "×");

  await big.stop();
  removeServerFiles(demo);
  removeServerFiles(big);

  // The driver: the dashboard's page query and 1,000 primary-key reads, against the binding (ADR 044).
  await benchDriver(bigFile, body.slug);
  rmSync(dir, { recursive: true, force: true });
  // The 100,000-paragraph search generator and figures belong to the search group (scripts/bench/search.ts).
}
