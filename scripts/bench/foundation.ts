import { spawnSync } from "node:child_process";
import { startServer, removeServerFiles } from "../../tests/support/server";
import { kb, ms, pageJavaScript, signInCookie, stats } from "./support";

/** Cold start to a healthy /healthz, and the JavaScript weight of the shell's pages. */
export async function benchFoundation() {
  const build = performance.now();
  spawnSync("npm", ["run", "build"], { stdio: "ignore", env: { ...process.env, NODE_ENV: "production" } });
  const buildMs = performance.now() - build;

  const starts: number[] = [];
  const warmStarts: number[] = [];
  let server;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    server = await startServer();
    starts.push(performance.now() - started);
    const file = server.databaseFile;
    await server.stop();
    const again = performance.now();
    const warm = await startServer({ databaseFile: file });
    warmStarts.push(performance.now() - again);
    await warm.stop();
    removeServerFiles(server);
    removeServerFiles(warm);
  }
  console.log(`  npm run build (app and server): ${ms(buildMs)}`);
  console.log(`  start to healthy /healthz, empty database (migrate + demo seed): median ${ms(stats(starts).median)} of ${starts.length}`);
  console.log(`  start to healthy /healthz, existing database: median ${ms(stats(warmStarts).median)} of ${warmStarts.length}`);

  server = await startServer();
  const cookie = await signInCookie(server.url, "jp.delegate@concord.test");
  for (const path of ["/login", "/bodies/trilateral-cyber", "/bodies/trilateral-cyber/members", "/settings"]) {
    const js = await pageJavaScript(server.url, path, path === "/login" ? "" : cookie);
    console.log(`  JavaScript of ${path}: ${kb(js.gzipped)} gzipped (${kb(js.raw)} raw, ${js.files} files)`);
  }
  await server.stop();
  removeServerFiles(server);
}
