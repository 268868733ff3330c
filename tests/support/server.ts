import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts the real server (build/server.js on the built app, see `npm run build`) on a free port with its own
 * database file, exactly as `npm start` would, and waits for /healthz.
 */
export interface RunningServer {
  url: string;
  port: number;
  dir: string;
  databaseFile: string;
  process: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function buildApp(): void {
  // `npm test` builds once before the suites that need it (scripts/test.ts) and says so here.
  if (process.env.CONCORD_TEST_BUILT === "1") return;
  const result = spawnSync("npm", ["run", "build"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error(`npm run build failed:\n${result.stdout}\n${result.stderr}`);
}

/** A port nobody is listening on, so links the server writes (PUBLIC_URL) can name it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export async function startServer(options: { env?: Record<string, string>; databaseFile?: string; port?: number } = {}): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "concord-e2e-"));
  const chosenPort = options.port ?? (await freePort());
  const databaseFile = options.databaseFile ?? join(dir, "concord.db");
  let log = "";
  // The compiled server, as `npm start` runs it (no TypeScript loader at run time).
  const child = spawn(process.execPath, ["build/server.js"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(chosenPort),
      PUBLIC_URL: `http://localhost:${chosenPort}`,
      DATABASE_URL: `file:${databaseFile}`,
      SEED_DEMO: "1",
      LOG_LEVEL: "error",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const match = /listening on http:\/\/localhost:(\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${log}`));
    });
  });
  const url = `http://localhost:${port}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    dir,
    databaseFile,
    process: child,
    output: () => log,
    stop: (signal = "SIGTERM") =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
        child.once("exit", (code) => resolve(code));
        child.kill(signal);
      }),
  };
}

export function removeServerFiles(server: RunningServer): void {
  rmSync(server.dir, { recursive: true, force: true });
}
