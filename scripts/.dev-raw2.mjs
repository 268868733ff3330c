import { createClient } from "@libsql/client";
const c = createClient({ url: "file:/tmp/fts16b/bench.db" });
const time = async (label, sql, args = [], n = 10) => {
  await c.execute({ sql, args }); const t = performance.now(); let r;
  for (let i = 0; i < n; i++) r = await c.execute({ sql, args });
  console.log(((performance.now() - t) / n).toFixed(2).padStart(8), "ms", label, JSON.stringify(r.rows.map(x => [x[0], String(x[1]).length])).slice(0, 100));
};
for (const q of ['"the"*', '"indicators"*']) {
  await time("group distinct " + q, `SELECT kind, json_group_array(DISTINCT record_id) AS ids FROM search_entries WHERE id IN (SELECT rowid FROM search_words WHERE search_words MATCH ?) GROUP BY kind`, [q]);
  await time("group nodistinct " + q, `SELECT kind, json_group_array(record_id) AS ids FROM search_entries WHERE id IN (SELECT rowid FROM search_words WHERE search_words MATCH ?) GROUP BY kind`, [q]);
  await time("plain count " + q, `SELECT count(*) FROM search_entries WHERE id IN (SELECT rowid FROM search_words WHERE search_words MATCH ?)`, [q]);
  await time("fts only " + q, `SELECT count(*) FROM search_words WHERE search_words MATCH ?`, [q]);
}
console.log((await c.execute({ sql: `explain query plan SELECT kind, json_group_array(DISTINCT record_id) AS ids FROM search_entries WHERE id IN (SELECT rowid FROM search_words WHERE search_words MATCH ?) GROUP BY kind`, args: ['"the"*'] })).rows.map(r => r.detail).join("\n"));
