import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { removeServerFiles, startServer, type RunningServer } from "../support/server";

/**
 * Issue 16's "queries per page ≤ 6" (ADR 040, ADR 044), counted by the server itself
 * (QUERY_COUNT_HEADER=1 → X-Query-Count: every SQL statement of the request, the root's and
 * layout's loaders included) on the demo, for the bench's reader (a delegate), a head and
 * the secretariat. A count, not a timing: it holds on a loaded machine.
 *
 * "/" sends a member of one body to that body's start page; a member of several bodies (the
 * demo's secretariat, in two) gets the start page across bodies, which reads each kind of
 * waiting thing for all of them in one statement (ADR 048): held to 6 like every other page.
 */

let server: RunningServer;
let meetingId: string;

async function signIn(email: string): Promise<string> {
  const response = await fetch(`${server.url}/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: server.url },
    body: new URLSearchParams({ email, password: "concord-demo" }),
    redirect: "manual",
  });
  const cookie = response.headers.getSetCookie().find((c) => !c.startsWith("concord-fresh="));
  if (!cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  return cookie.split(";")[0];
}

async function statements(path: string, cookie: string, { across = false } = {}): Promise<number> {
  const response = await fetch(`${server.url}${path}`, { headers: { cookie } });
  expect(response.status, path).toBe(200);
  // "/" itself, not the one body's start page it sends a member of one body to.
  if (across) expect(response.redirected, path).toBe(false);
  await response.text();
  return Number(response.headers.get("x-query-count"));
}

beforeAll(async () => {
  server = await startServer({ env: { QUERY_COUNT_HEADER: "1" } });
  const client = createClient({ url: `file:${server.databaseFile}` });
  meetingId = String((await client.execute("select m.id from meetings m join bodies b on b.id = m.body_id where m.status = 'scheduled' and b.slug = 'trilateral-cyber' order by m.starts_at limit 1")).rows[0].id);
  client.close();
});

afterAll(async () => {
  await server?.stop();
  if (server) removeServerFiles(server);
});

describe("SQL statements per page", () => {
  for (const email of ["jp.delegate@concord.test", "jp.head@concord.test", "secretariat@concord.test"]) {
    it(`is at most 6 on "/", the body's start, meeting, agenda and dashboard pages for ${email}`, async () => {
      const cookie = await signIn(email);
      const pages = { home: "/", body: "/bodies/trilateral-cyber", meeting: `/meetings/${meetingId}`, agenda: `/meetings/${meetingId}/agenda`, dashboard: "/bodies/trilateral-cyber/actions" };
      const counts: Record<string, number> = {};
      for (const [name, path] of Object.entries(pages)) {
        // The second visit: the first may repair or create what start-up left (an agenda, a session touch).
        await statements(path, cookie);
        counts[name] = await statements(path, cookie);
      }
      console.log(`statements per page for ${email}: ${JSON.stringify(counts)}`);
      for (const [name, n] of Object.entries(counts)) expect(n, name).toBeLessThanOrEqual(6);
    });
  }

  /** Every column of `table`'s rows matching `where`, inserted again with `replace`'s expressions. */
  async function copyRows(client: Client, table: string, where: string, replace: Record<string, string>) {
    const columns = (await client.execute(`pragma table_info(${table})`)).rows.map((r) => String(r.name));
    const values = columns.map((c) => replace[c] ?? `"${c}"`).join(", ");
    await client.execute(`insert into ${table} (${columns.map((c) => `"${c}"`).join(", ")}) select ${values} from ${table} where ${where}`);
  }

  it("stays at most 6 on the start page across bodies however many bodies the reader belongs to", async () => {
    const cookie = await signIn("secretariat@concord.test");
    await statements("/", cookie, { across: true });
    const inTwo = await statements("/", cookie, { across: true });
    // Two more bodies like the demo's, with its delegations and meetings, the secretariat a member of each.
    const client = createClient({ url: `file:${server.databaseFile}` });
    const demo = "(select id from bodies where slug = 'trilateral-cyber')";
    for (const copy of ["copy-1", "copy-2"]) {
      const suffix = (column: string) => `case when ${column} is null then null else ${column} || '-${copy}' end`;
      await copyRows(client, "bodies", "slug = 'trilateral-cyber'", { id: suffix("id"), slug: `slug || '-${copy}'` });
      await copyRows(client, "delegations", `body_id = ${demo}`, { id: suffix("id"), body_id: suffix("body_id") });
      await copyRows(client, "meetings", `body_id = ${demo}`, { id: suffix("id"), body_id: suffix("body_id"), host_delegation_id: suffix("host_delegation_id") });
      await copyRows(client, "memberships", `body_id = ${demo} and user_id = (select id from users where email = 'secretariat@concord.test')`, { id: suffix("id"), body_id: suffix("body_id"), delegation_id: suffix("delegation_id") });
    }
    client.close();
    await statements("/", cookie, { across: true });
    const inFour = await statements("/", cookie, { across: true });
    const page = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
    expect(page.match(/\/bodies\/trilateral-cyber-copy-\d/g)?.length ?? 0, "the copies are listed").toBeGreaterThanOrEqual(2);
    console.log(`statements on the secretariat's start page: ${inTwo} in two bodies, ${inFour} in four`);
    expect(inFour).toBeLessThanOrEqual(6);
    expect(inFour).toBe(inTwo);
  });
});
