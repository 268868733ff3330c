import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInCookie } from "../../scripts/bench/support";
import { buildApp, removeServerFiles, startServer, type RunningServer } from "../support/server";
import { integrityCheck } from "~/lib/database-integrity.server";

/**
 * ADR 018: a silence procedure ends at its deadline by the server, durably and once. The
 * server is killed with SIGKILL before the deadline and again right around it; after restarts
 * (and with two instances on the same database racing for the same deadline) every document
 * is adopted exactly once: one audit event, one message per head and the secretariat.
 */

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const env = { OUTCOME_SILENCE_INTERVAL_MS: "200" };

let database: Client;
const servers: RunningServer[] = [];
let meetingId: string;
let secretariat: string;

beforeAll(async () => {
  buildApp();
  const first = await startServer({ env });
  servers.push(first);
  database = createClient({ url: `file:${first.databaseFile}` });
  const rows = await database.execute("select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' limit 1");
  meetingId = String(rows.rows[0]?.id ?? "");
  expect(meetingId).not.toBe("");
  secretariat = await signInCookie(first.url, "secretariat@concord.test");
});

afterAll(async () => {
  database?.close();
  for (const s of servers) await s.stop("SIGKILL");
  for (const s of servers) removeServerFiles(s);
});

const current = () => servers[servers.length - 1];

async function post(path: string, form: Record<string, string>) {
  const response = await fetch(`${current().url}${path}`, { method: "POST", headers: { cookie: secretariat, origin: current().url, "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form), redirect: "manual" });
  return response;
}

/** A new document under silence until `ms` from now (a deadline in UTC with seconds). */
async function underSilence(ms: number, n: number, at?: number): Promise<{ id: string; deadline: number }> {
  const created = await post(`/meetings/${meetingId}/outcomes`, { title: `Readout ${n}`, kind: "readout" });
  expect(created.status).toBe(302);
  const id = created.headers.get("location")!.split("/").pop()!;
  const deadline = at ?? Math.ceil((Date.now() + ms) / 1000) * 1000;
  const iso = new Date(deadline).toISOString();
  const started = await post(`/outcomes/${id}?index`, { intent: "startSilence", date: iso.slice(0, 10), time: iso.slice(11, 19), timeZone: "UTC" });
  expect(started.status, await started.text()).toBe(200);
  return { id, deadline };
}

async function restart(): Promise<RunningServer> {
  const next = await startServer({ env, databaseFile: servers[0].databaseFile });
  servers.push(next);
  secretariat = await signInCookie(next.url, "secretariat@concord.test");
  return next;
}

async function outcomeOf(id: string) {
  const doc = await database.execute({ sql: "select status, adopted_how from outcome_documents where id = ?", args: [id] });
  const audits = await database.execute({ sql: "select count(*) as n from audit_events where action = 'outcome.adopt.silence' and entity_id = ?", args: [id] });
  return { status: String(doc.rows[0]?.status), how: doc.rows[0]?.adopted_how, audits: Number(audits.rows[0].n) };
}

/** Messages telling of the adoption of the document titled `title` (subjects end with the title). */
const adoptedMailsOf = async (title: string) => Number((await database.execute({ sql: "select count(*) as n from outbox_messages where kind = 'outcome.adopted' and subject like ?", args: [`%${title}`] })).rows[0].n);

describe("the silence deadline across SIGKILL", () => {
  it("is adopted once after the server died before the deadline, and not again after another crash", async () => {
    const { id, deadline } = await underSilence(4000, 1);
    await current().stop("SIGKILL");
    await sleep(Math.max(0, deadline - Date.now()) + 500);
    await restart();
    await expect.poll(async () => (await outcomeOf(id)).status, { timeout: 15_000 }).toBe("adopted");
    await current().stop("SIGKILL");
    await restart();
    await sleep(1000);
    expect(await outcomeOf(id)).toMatchObject({ status: "adopted", how: "silence", audits: 1 });
    expect(await adoptedMailsOf("Readout 1")).toBe(4); // three heads and the secretariat
  });

  it("is adopted once when the server is killed right around the deadline, again and again", async () => {
    const docs: Array<{ id: string; title: string }> = [];
    for (let round = 0; round < 4; round++) {
      const { id, deadline } = await underSilence(2500, 10 + round);
      docs.push({ id, title: `Readout ${10 + round}` });
      // Kill anywhere from just before to just after the deadline (the job runs every 200 ms).
      await sleep(Math.max(0, deadline - Date.now()) - 300 + Math.random() * 600);
      await current().stop("SIGKILL");
      await restart();
    }
    for (const d of docs) {
      await expect.poll(async () => (await outcomeOf(d.id)).status, { timeout: 15_000 }).toBe("adopted");
      expect((await outcomeOf(d.id)).audits).toBe(1);
      expect(await adoptedMailsOf(d.title)).toBe(4);
    }
    expect(await integrityCheck(database)).toEqual(["ok"]);
  });

  it("is adopted without delay after the server was killed partway through adopting a batch", async () => {
    // Three batches of eight documents, each batch sharing a deadline, so the job is adopting
    // them one by one when the server dies. Whatever it was doing then must not hold the
    // restarted server off: the rest are adopted within seconds of the restart.
    const first = Math.ceil((Date.now() + 12_000) / 1000) * 1000;
    const batches: Array<{ at: number; docs: Array<{ id: string; title: string }> }> = [];
    for (let b = 0; b < 3; b++) {
      const at = first + b * 9000;
      const docs: Array<{ id: string; title: string }> = [];
      for (let n = 0; n < 8; n++) {
        const title = 30 + b * 10 + n;
        docs.push({ id: (await underSilence(0, title, at)).id, title: `Readout ${title}` });
      }
      batches.push({ at, docs });
    }
    const counts: string[] = [];
    for (const { docs } of batches) {
      const args = docs.map((d) => d.id);
      const stillSilent = async () => Number((await database.execute({ sql: `select count(*) as n from outcome_silences where status = 'running' and document_id in (${args.map(() => "?").join(",")})`, args })).rows[0].n);
      // Once the first of the batch is adopted, kill at a random point among the others.
      await expect.poll(stillSilent, { timeout: 20_000, interval: 5 }).toBeLessThan(8);
      await sleep(Math.random() * 60);
      await current().stop("SIGKILL");
      const left = await stillSilent();
      const restarted = Date.now();
      await restart();
      await expect.poll(stillSilent, { timeout: 10_000 }).toBe(0);
      counts.push(`${8 - left} of 8 before the kill, the rest by ${Date.now() - restarted} ms after the restart began`);
      for (const d of docs) {
        expect(await outcomeOf(d.id)).toMatchObject({ status: "adopted", how: "silence", audits: 1 });
        expect(await adoptedMailsOf(d.title)).toBe(4);
      }
    }
    console.info(`silence batches: ${counts.join("; ")}`);
  });

  it("is adopted once when two instances on one database race for the same deadline", async () => {
    const { id, deadline } = await underSilence(3000, 20);
    const second = await startServer({ env, databaseFile: servers[0].databaseFile });
    servers.push(second);
    await sleep(Math.max(0, deadline - Date.now()) + 1500);
    await expect.poll(async () => (await outcomeOf(id)).status, { timeout: 15_000 }).toBe("adopted");
    expect((await outcomeOf(id)).audits).toBe(1);
    expect(await adoptedMailsOf("Readout 20")).toBe(4);
  });
});
