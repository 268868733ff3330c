import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../tests/support/server";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { ms, signInCookie, timePage } from "./support";

/**
 * Search over ten years of one body: 40 meetings, each with 15 agenda items, minutes of
 * about 20 000 characters and 5 decisions, and 5 000 action items. Server time over HTTP
 * for the whole results page.
 */
export async function benchSearch() {
  const dir = mkdtempSync(join(tmpdir(), "concord-bench-search-"));
  const databaseFile = join(dir, "bench.db");
  process.env.DATABASE_URL = `file:${databaseFile}`;
  const { generateBody } = await import("./generate-body");
  const generated = await generateBody({ meetingCount: 40, itemCount: 5000 });
  await addRecords(generated.slug);
  const { closeDatabase } = await import("../../app/lib/db.server");
  closeDatabase();
  const server = await startServer({ databaseFile, env: { SEED_DEMO: "0" } });
  const cookie = await signInCookie(server.url, generated.email, generated.password);
  for (const [label, q] of [
    ["a word in almost everything", "indicators"],
    ["a rare word", "zeroday"],
    ["three words", "joint advisory exchanges"],
    ["Japanese", "注意喚起"],
  ] as const) {
    const s = await timePage(`${server.url}/search?q=${encodeURIComponent(q)}`, cookie, 20);
    console.log(`  search page, 40 meetings / 600 agenda items / 800 KB of minutes / 5 000 action items, ${label} ("${q}"): median ${ms(s.median)}, p95 ${ms(s.p95)}`);
  }
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  // In a process of its own: the app's database settings are read once per process.
  console.log("\nsearch at scale");
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(new URL("./search-scale.ts", import.meta.url))], { stdio: "inherit" });
  if (child.status !== 0) throw new Error("the search-at-scale bench failed");
}

async function addRecords(slug: string) {
  const { generateKeyBetween } = await import("fractional-indexing");
  const { eq } = await import("drizzle-orm");
  const { db } = await import("../../app/lib/db.server");
  const { agendaItems, bodies, decisions, meetings, minutes } = await import("../../db/schema");
  const [body] = await db().select().from(bodies).where(eq(bodies.slug, slug));
  const rows = await db().select().from(meetings).where(eq(meetings.bodyId, body.id));
  const paragraph = (n: number) =>
    `Item ${n}. The delegations exchanged views on recent intrusions, shared indicators with the national CERTs and discussed the joint advisory. ` +
    `佐藤代表団長は、共同注意喚起の最終案を提示した。김민준 대표단장은 설명회 개최 계획을 설명하였다. `;
  let number = 0;
  for (const meeting of rows) {
    let position: string | null = null;
    await db()
      .insert(agendaItems)
      .values(
        Array.from({ length: 15 }, (_, i) => {
          position = generateKeyBetween(position, null);
          return { meetingId: meeting.id, bodyId: body.id, position, title: `Agenda item ${i + 1}: developments since the last meeting`, description: "<p>Briefing on <strong>indicators</strong> and exchanges.</p>", kind: "discussion" as const, minutes: 10, marking: "TLP:AMBER" as const, status: "agreed" as const };
        }),
      );
    const text = Array.from({ length: 80 }, (_, i) => paragraph(i + 1)).join("\n");
    await db().insert(minutes).values({ meetingId: meeting.id, bodyId: body.id, status: "adopted", text });
    await db()
      .insert(decisions)
      .values(Array.from({ length: 5 }, () => ({ bodyId: body.id, meetingId: meeting.id, number: ++number, text: `Decision ${number}: the delegations will publish a joint advisory and share indicators.` })));
  }
}
