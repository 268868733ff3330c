import { createClient } from "@libsql/client";

/**
 * A writer of the search index for tests/integration/search-index-crash.test.ts, killed
 * (SIGKILL) by the test while it writes: every transaction rewrites one meeting's minutes text
 * and one agenda item's description, so the SQL triggers of migration 0012 delete and re-add
 * their entries in both FTS5 tables. After each commit it prints `committed <n>` — n is also
 * the marker (`m<round>x<n>`) in the texts just written.
 *
 * Usage: node --import tsx tests/support/search-index-writer.ts <database file> <meeting id> <agenda item id> <round>
 */
const [file, meetingId, itemId, round] = process.argv.slice(2);
const client = createClient({ url: `file:${file}` });
await client.execute("PRAGMA busy_timeout = 10000");

const words = ["indicators", "資産", "해킹", "注意喚起", "사이버", "joint advisory", "の", "의"];
/** Texts of different lengths, so FTS5 writes segments of different sizes and merges them. */
function textOf(n: number): string {
  const paragraphs = 5 + ((n * 7) % 60);
  return Array.from({ length: paragraphs }, (_, p) => `<p>m${round}x${n} ${words[(n + p) % words.length]} paragraph ${p} 北朝鮮 북한</p>`).join("");
}

for (let n = 0; ; n++) {
  const tx = await client.transaction("write");
  await tx.execute({ sql: "UPDATE minutes SET text = ? WHERE meeting_id = ?", args: [textOf(n), meetingId] });
  await tx.execute({ sql: "UPDATE agenda_items SET description = ? WHERE id = ?", args: [`<p>m${round}x${n} agenda ${words[n % words.length]}</p>`, itemId] });
  await tx.commit();
  process.stdout.write(`committed ${n}\n`);
}
