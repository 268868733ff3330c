import { readFileSync } from "node:fs";
import { createClient } from "@libsql/client";
import { renderPdf } from "../../app/lib/documents/pdf.server";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../../tests/support/server";
import { ms, signInCookie, stats } from "./support";

/**
 * Papers: a 50 MB upload and download through the real server (throughput, and the server's
 * peak resident memory, which must not grow by the file's size: both directions stream), and
 * the meeting book bound from the agenda and 20 papers.
 */

const MB = 1024 * 1024;
// Just under the default limit, multipart overhead included; PAPERS_BENCH_MB compares sizes.
const BIG = Number(process.env.PAPERS_BENCH_MB ?? 50) * MB - 64 * 1024;
const mb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The server process's resident memory now and at its peak, from /proc. */
function memory(server: RunningServer) {
  const status = readFileSync(`/proc/${server.process.pid}/status`, "utf8");
  const kbOf = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kbOf("VmRSS"), peak: kbOf("VmHWM") };
}

/** A multipart body generated as it is sent, so the client does not hold the file either. */
function streamedUpload(boundary: string, fields: Record<string, string>, size: number): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  const head = Object.entries(fields)
    .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)
    .join("");
  const parts: Uint8Array[] = [enc.encode(`${head}--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\n%`)];
  let sent = 10;
  const block = new Uint8Array(MB).fill(0x20);
  return new ReadableStream({
    pull(controller) {
      const first = parts.shift();
      if (first) return controller.enqueue(first);
      if (sent < size) {
        const n = Math.min(block.byteLength, size - sent);
        sent += n;
        return controller.enqueue(block.subarray(0, n));
      }
      controller.enqueue(enc.encode(`\r\n--${boundary}--\r\n`));
      controller.close();
    },
  });
}

async function upload(server: RunningServer, cookie: string, meetingId: string, fields: Record<string, string>, body: ReadableStream<Uint8Array> | FormData, boundary?: string) {
  const response = await fetch(`${server.url}/meetings/${meetingId}/papers`, {
    method: "POST",
    body,
    duplex: "half",
    headers: { cookie, origin: server.url, ...(boundary ? { "content-type": `multipart/form-data; boundary=${boundary}` } : {}) },
  } as RequestInit);
  const json = (await response.json()) as { ok: boolean; paperId: string };
  if (!response.ok || !json.ok) throw new Error(`upload failed: ${response.status} ${JSON.stringify(json)}`);
  void fields;
  return json.paperId;
}

export async function benchPapers() {
  buildApp();
  const server = await startServer({ env: { PAPER_MAX_MB: String(Math.max(50, Math.ceil(BIG / MB) + 1)) } });
  try {
    const database = createClient({ url: `file:${server.databaseFile}` });
    const meeting = await database.execute("select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' limit 1");
    const meetingId = String(meeting.rows[0].id);
    const cookie = await signInCookie(server.url, "us.delegate@concord.test");
    const reader = await signInCookie(server.url, "jp.delegate@concord.test");
    await fetch(`${server.url}/meetings/${meetingId}/agenda`, { headers: { cookie } }).then((r) => r.text()); // creates the agenda
    const items = (await database.execute({ sql: "select id from agenda_items where meeting_id = ? and status != 'withdrawn' order by position", args: [meetingId] })).rows.map((r) => String(r.id));

    const before = memory(server);
    const boundary = "----concord-bench";
    const fields = { title: "Fifty megabytes", marking: "TLP:GREEN", agendaItemId: items[0] };
    let started = performance.now();
    const paperId = await upload(server, cookie, meetingId, fields, streamedUpload(boundary, fields, BIG), boundary);
    const uploadMs = performance.now() - started;
    const afterUpload = memory(server);

    started = performance.now();
    const response = await fetch(`${server.url}/papers/${paperId}/download`, { headers: { cookie: reader } });
    let received = 0;
    const body = response.body!.getReader();
    for (let next = await body.read(); !next.done; next = await body.read()) received += next.value.byteLength;
    const downloadMs = performance.now() - started;
    const afterDownload = memory(server);

    console.log(`  upload of ${mb(BIG)} (GREEN, streamed into chunk rows): ${ms(uploadMs)}, ${(BIG / MB / (uploadMs / 1000)).toFixed(1)} MB/s`);
    console.log(`  download of ${mb(received)} (streamed from chunk rows): ${ms(downloadMs)}, ${(received / MB / (downloadMs / 1000)).toFixed(1)} MB/s`);
    console.log(`  server RSS before ${mb(before.rss)} (peak so far ${mb(before.peak)}); peak after upload ${mb(afterUpload.peak)}; peak after download ${mb(afterDownload.peak)}`);
    console.log(`  peak growth over the whole round trip: ${mb(afterDownload.peak - before.peak)} for a ${mb(BIG)} file`);

    // The meeting book: the agenda and 20 papers of 5 pages each, half of them stamped (AMBER).
    await database.execute({ sql: "insert into invitations (id, meeting_id, user_id, delegation_id, response, invited_at) select lower(hex(randomblob(8))), ?, m.user_id, m.delegation_id, 'none', 0 from memberships m join bodies b on b.id = m.body_id where b.slug = 'trilateral-cyber' on conflict do nothing", args: [meetingId] });
    const paper = new Uint8Array(
      await renderPdf({ title: "Read-ahead", marking: "TLP:CLEAR", lang: "en", blocks: Array.from({ length: 220 }, (_, i) => ({ type: "paragraph" as const, content: [{ text: `Paragraph ${i}: laundering routes, bridges and mixers.` }] })) }),
    );
    for (let i = 0; i < 20; i++) {
      const form = new FormData();
      form.append("title", `Paper ${i + 1}`);
      form.append("marking", i % 2 ? "TLP:AMBER" : "TLP:GREEN");
      form.append("agendaItemId", items[i % items.length]);
      form.append("file", new Blob([paper], { type: "application/pdf" }), `paper-${i + 1}.pdf`);
      await upload(server, cookie, meetingId, {}, form);
    }
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < 5; i++) {
      started = performance.now();
      const book = await fetch(`${server.url}/meetings/${meetingId}/book.pdf`, { headers: { cookie: reader } });
      if (!book.ok) throw new Error(`meeting book: ${book.status}`);
      bytes = (await book.arrayBuffer()).byteLength;
      times.push(performance.now() - started);
    }
    const s = stats(times);
    console.log(`  meeting book, agenda + 20 papers (${paper.byteLength >> 10} KB each, 10 stamped): median ${ms(s.median)}, max ${ms(s.max)} over ${s.n}; ${mb(bytes)}`);
    database.close();
  } finally {
    await server.stop();
    removeServerFiles(server);
  }
}
