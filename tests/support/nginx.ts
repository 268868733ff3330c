import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxConfig } from "../../scripts/cluster/nginx";
import { freePort } from "./server";

/** Debian's nginx in front of Concord instances, with the recipe's configuration (scripts/cluster/nginx.ts). */
export interface RunningNginx {
  url: string;
  port: number;
  output: () => string;
  remove: () => Promise<void>;
}

export async function startNginx({ port, instances }: { port?: number; instances: number[] }): Promise<RunningNginx> {
  const dir = mkdtempSync(join(tmpdir(), "concord-nginx-"));
  mkdirSync(join(dir, "logs"), { recursive: true });
  const listen = port ?? (await freePort());
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig({ dir, listen, instances }));
  let log = "";
  const child: ChildProcess = spawn("nginx", ["-c", conf, "-p", dir, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  const url = `http://localhost:${listen}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}:\n${log}`);
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`nginx did not answer:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: listen,
    output: () => log,
    remove: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGQUIT");
      }),
  };
}
