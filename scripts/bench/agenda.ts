import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../tests/support/server";
import { ms, signInCookie, stats, timePage } from "./support";

/**
 * The agenda page with 60 items (server render over HTTP), and the time from one person's
 * save to every other viewer hearing of it on the live channel, with 20 viewers connected.
 */
export async function benchAgenda() {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-agenda-"));
  const databaseFile = join(dir, "bench.db");
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const { generateAgenda } = await import("./generate-agenda");
  const { meetingId, email, password } = await generateAgenda({ items: 60 });
  const server = await startServer({ databaseFile, env: { SEED_DEMO: "0" } });
  const cookie = await signInCookie(server.url, email, password);
  const page = `${server.url}/meetings/${meetingId}/agenda`;
  const r = await timePage(page, cookie);
  console.log(`  agenda page, 60 items: median ${ms(r.median)}, p95 ${ms(r.p95)} (${r.n} requests)`);

  // 20 viewers listen; one person proposes items; how long until each viewer hears of it?
  const viewers = await Promise.all(Array.from({ length: 20 }, () => listen(`${page}/events`, cookie)));
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const heard = viewers.map((v) => v.next());
    const started = performance.now();
    const response = await fetch(page, {
      method: "POST",
      headers: { cookie, origin: server.url, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "propose", title: `Bench item ${i}`, kind: "discussion", minutes: "0", marking: "TLP:GREEN" }),
    });
    if (!response.ok) throw new Error(`propose: ${response.status} ${await response.text()}`);
    for (const arrival of await Promise.all(heard)) latencies.push(arrival - started);
  }
  const l = stats(latencies);
  console.log(`  save → other viewers' live channel, 20 viewers: median ${ms(l.median)}, p95 ${ms(l.p95)} (${l.n} deliveries)`);
  for (const v of viewers) v.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** A minimal server-sent-events reader: resolves `next()` when the next data line arrives. */
async function listen(url: string, cookie: string) {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let waiting = null as ((at: number) => void) | null;
  let buffer = "";
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const chunk = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (chunk.startsWith("data:") && waiting) {
            const resolve = waiting;
            waiting = null;
            resolve(performance.now());
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    next: () => new Promise<number>((resolve) => (waiting = resolve)),
    close: () => controller.abort(),
  };
}
