/**
 * What the suites need from the system, checked before anything runs: a missing browser should
 * stop `npm test` in its first second with the command that fixes it, not fail minutes later.
 * As root on Debian the packages are installed with apt; otherwise the exact command is printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface Requirement {
  /** What needs it, for the message. */
  why: string;
  /** The Debian package that provides it. */
  apt: string;
  present: () => boolean;
  /** The suites that need it. */
  suites: string[];
}

const succeeds = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore" }).status === 0;

export const requirements: Requirement[] = [
  {
    why: "Chromium drives the end-to-end and crash tests",
    apt: "chromium",
    present: () => existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium"),
    suites: ["e2e", "crash"],
  },
  {
    why: "Python's icalendar is the independent second parser of the calendar tests",
    apt: "python3-icalendar",
    present: () => succeeds("/usr/bin/python3", ["-c", "import icalendar"]),
    suites: ["integration"],
  },
  {
    why: "CJK fonts, so Japanese and Korean pages render (and measure) as people see them",
    apt: "fonts-noto-cjk",
    present: () => succeeds("fc-list", [":lang=ja"]) && spawnSync("fc-list", [":lang=ja"], { encoding: "utf8" }).stdout.trim().length > 0,
    suites: ["e2e"],
  },
  {
    why: "Redis carries live events and minutes between instances (events-redis, cluster tests)",
    apt: "redis-server",
    present: () => succeeds("redis-server", ["--version"]),
    suites: ["integration", "e2e"],
  },
  {
    why: "nginx stands in front of two instances in the cluster test (WebSocket upgrades through a proxy)",
    apt: "nginx",
    present: () => existsSync("/usr/sbin/nginx") || succeeds("nginx", ["-v"]),
    suites: ["e2e"],
  },
];

/** Installs what is missing for these suites (as root, with apt), or returns the command to run. */
export function ensureRequirements(suites: string[]): { ok: true } | { ok: false; message: string } {
  const missing = requirements.filter((r) => r.suites.some((s) => suites.includes(s)) && !r.present());
  if (missing.length === 0) return { ok: true };
  const packages = [...new Set(missing.map((r) => r.apt))];
  const command = `apt-get update && apt-get install -y ${packages.join(" ")}`;
  const reasons = missing.map((r) => `  - ${r.apt}: ${r.why}`).join("\n");
  const root = process.getuid?.() === 0;
  if (root && existsSync("/usr/bin/apt-get")) {
    console.log(`Installing what the tests need from the system:\n${reasons}\n$ ${command}`);
    const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
    const install = update.status === 0 ? spawnSync("apt-get", ["install", "-y", "-qq", ...packages], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } }) : update;
    const still = missing.filter((r) => !r.present());
    if (install.status === 0 && still.length === 0) return { ok: true };
    return { ok: false, message: `Installing ${packages.join(" ")} failed. Run as root:\n  ${command}` };
  }
  return { ok: false, message: `The tests need system packages that are missing:\n${reasons}\nRun:\n  sudo ${command}` };
}
