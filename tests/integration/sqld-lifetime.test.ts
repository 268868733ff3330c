import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("a libSQL server a test started", () => {
  it("dies with the process that started it, even when that process is killed outright", async () => {
    const owner = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/start-sqld-and-wait.ts"], { stdio: ["ignore", "pipe", "inherit"] });
    const [pid, dir] = await new Promise<[number, string]>((resolve, reject) => {
      let out = "";
      owner.stdout!.on("data", (c: Buffer) => {
        out += c.toString();
        const m = /sqld (\d+) (\S+)\n/.exec(out);
        if (m) resolve([Number(m[1]), m[2]]);
      });
      owner.once("exit", (code) => reject(new Error(`exited with ${code} before starting sqld`)));
    });
    expect(alive(pid)).toBe(true);
    // SIGKILL: no exit handler, no afterAll runs (a worker killed on a timeout, a run stopped hard).
    owner.kill("SIGKILL");
    const deadline = Date.now() + 5_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const left = alive(pid);
    if (left) process.kill(pid, "SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    expect(left).toBe(false);
  }, 30_000);
});
