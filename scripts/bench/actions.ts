import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../tests/support/server";
import { ms, signInCookie, timePage } from "./support";

/** The action-item dashboard of a body with 5 000 items across 40 meetings: server render time over HTTP. */
export async function benchActions() {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-actions-"));
  const databaseFile = join(dir, "bench.db");
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const { generateBody } = await import("./generate-body");
  const generated = await generateBody({ meetingCount: 40, itemCount: 5000 });
  const { closeDatabase } = await import("../../app/lib/db.server");
  closeDatabase();
  const server = await startServer({ databaseFile, env: { SEED_DEMO: "0" } });
  const cookie = await signInCookie(server.url, generated.email, generated.password);
  for (const [label, query] of [
    ["default view (open and in progress)", ""],
    ["every status", "?status=all"],
    ["overdue, one delegation", "?due=overdue&status=all"],
  ] as const) {
    const s = await timePage(`${server.url}/bodies/${generated.slug}/actions${query}`, cookie);
    console.log(`  dashboard, 5 000 items / 40 meetings, ${label}: median ${ms(s.median)}, p95 ${ms(s.p95)} (${s.n} requests)`);
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
