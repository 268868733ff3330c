import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../tests/support/server";
import { findSlots } from "../../app/lib/slots.server";
import { ms, stats } from "./support";

/**
 * The personal calendar feed of someone who belongs to 3 bodies with 40 announced meetings
 * each: median and p95 time per request over HTTP against the real server.
 */
export async function benchCalendar() {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-cal-"));
  const databaseFile = join(dir, "bench.db");
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const { generateFeedData } = await import("./generate-feed-data");
  const { token } = await generateFeedData({ bodies: 3, meetingsPerBody: 40 });

  const server = await startServer({ databaseFile, env: { SEED_DEMO: "0" } });
  const url = `${server.url}/feeds/${token}.ics`;
  const first = await fetch(url);
  const body = await first.text();
  const events = (body.match(/BEGIN:VEVENT/g) ?? []).length;
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const response = await fetch(url);
    await response.arrayBuffer();
    times.push(performance.now() - started);
  }
  const s = stats(times);
  console.log(`  personal feed, 3 bodies × 40 meetings (${events} events, ${(body.length / 1024).toFixed(0)} KB): median ${ms(s.median)}, p95 ${ms(s.p95)} over ${s.n} requests`);
  // A subscribed client revalidating an unchanged feed: the same work on the server, no body on the wire.
  const etag = first.headers.get("ETag") ?? "";
  const revalidations: number[] = [];
  let notModified = 0;
  for (let i = 0; i < 200; i++) {
    const started = performance.now();
    const response = await fetch(url, { headers: { "If-None-Match": etag } });
    await response.arrayBuffer();
    revalidations.push(performance.now() - started);
    if (response.status === 304) notModified++;
  }
  const r = stats(revalidations);
  console.log(`  same feed revalidated with If-None-Match: ${notModified}/${r.n} answered 304, median ${ms(r.median)}, p95 ${ms(r.p95)}`);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  benchSlotRanking();
}

/** Ranking a full week of half-hour candidates for three capitals: what the scheduling page does per request. */
function benchSlotRanking() {
  const capitals = [
    { delegationId: "us", code: "US", timeZone: "America/New_York" },
    { delegationId: "jp", code: "JP", timeZone: "Asia/Tokyo" },
    { delegationId: "kr", code: "KR", timeZone: "Asia/Seoul" },
  ];
  const rank = (weekStart: string) => findSlots({ weekStart, referenceZone: "America/New_York", durationMinutes: 120, capitals, history: [] });
  rank("2027-02-01"); // warm up the JIT and the formatters
  const times: number[] = [];
  let offered = 0;
  for (let i = 0; i < 50; i++) {
    const started = performance.now();
    offered = rank("2027-09-06").length;
    times.push(performance.now() - started);
  }
  const s = stats(times);
  console.log(`  slot ranking, every half-hour start of a week for three capitals, ${offered} offered: median ${ms(s.median)}, p95 ${ms(s.p95)} over ${s.n} runs`);
}
